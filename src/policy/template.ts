import { ON_ERROR, PROVIDER_NAMES, SEVERITIES, type ProviderName } from '../types.js';
import { DEFAULT_POLICY } from './defaults.js';

/**
 * The commented `.codeairc.yaml` that `init` writes: every key with its default (read from DEFAULT_POLICY, so the
 * two cannot disagree) and one line on what it does and what it takes. Unset keys are shown commented out.
 */
export function renderConfigTemplate(opts: { provider: ProviderName; model?: string }): string {
  const d = DEFAULT_POLICY;
  const lines = [
    '# codeai-hook policy: what the AI reviewer looks at and what blocks a commit.',
    '# Every key is shown with its default; a commented-out key is unset. Check this file with: codeai-hook doctor',
    '# API keys are never read from here: set OPENAI_API_KEY, ANTHROPIC_API_KEY or DEEPSEEK_API_KEY in the environment.',
    '',
    `# Who reviews: ${PROVIDER_NAMES.map((name) => name + (PROVIDER_NOTES[name] ?? '')).join(' | ')}.`,
    `provider: ${scalar(opts.provider)}`,
    "# The model name; unset: the provider's default model.",
    opts.model !== undefined ? `model: ${scalar(opts.model)}` : '# model: qwen2.5-coder:7b',
    "# The server's http(s) URL, for Ollama or an OpenAI-compatible server; unset: the provider's usual address.",
    '# An API key goes only to its provider, this machine, or a host its owner trusts (CODEAI_TRUSTED_HOSTS).',
    '# baseURL: http://127.0.0.1:11434',
    '',
    '# The commit is blocked when either rule below matches.',
    'block:',
    `  # Any finding at or above this severity blocks: ${SEVERITIES.join(' | ')} | none (never).`,
    `  severity: ${scalar(d.block.severity)}`,
    `  # More than N findings of one severity blocks, e.g. { medium: 5 }; keys: ${SEVERITIES.join(', ')}.`,
    `  max: ${flowMap(d.block.max)}`,
    '# What the reviewer reports: any of bug, security, performance, style, improvement.',
    `categories: ${flowList(d.categories)}`,
    '# Files to review: globs relative to the repository root.',
    `include: ${flowList(d.include)}`,
    "# Files never reviewed: globs, e.g. ['dist/**', '**/*.snap'].",
    `exclude: ${flowList(d.exclude)}`,
    '# Skip lockfiles and minified, generated and vendored files (each is listed with why): true | false.',
    `defaultExcludes: ${d.defaultExcludes}`,
    '',
    `# When the model cannot be reached or answers garbage: ${ON_ERROR.join(' | ')}; unset: warn in the hook, block in ci.`,
    '# onError: warn',
    '# How long one model request may take, in milliseconds: 1000 to 600000.',
    `timeoutMs: ${d.timeoutMs}`,
    '# Model requests in flight at once: 1 to 32.',
    `concurrency: ${d.concurrency}`,
    '# Tokens of diff sent in one request; a larger diff is split over several: 500 to 1000000.',
    `maxDiffTokens: ${d.maxDiffTokens}`,
    '# Unchanged lines sent around each change: 0 to 20.',
    `contextLines: ${d.contextLines}`,
    '# A file whose added text is larger than this many bytes is skipped (and listed): 1000 or more.',
    `maxFileBytes: ${d.maxFileBytes}`,
    '',
    '# Extra guidance added to the reviewer\'s prompt: text, at most 4000 characters.',
    '# instructions: Flag any SQL built by string concatenation.',
    "# Instruction files written for coding agents, read as team conventions: true (AGENTS.md, CLAUDE.md, Copilot's and Cursor's rules) | false | a list of paths.",
    `instructionFiles: ${d.instructionFiles === true ? 'true' : d.instructionFiles === false ? 'false' : flowList(d.instructionFiles)}`,
    '# Per-path rules, in order, a later one wins: files (globs) plus block, categories and/or instructions.',
    'overrides: []',
    '# overrides:',
    "#   - files: ['test/**']",
    '#     block: { severity: critical }',
    '# Built-in rule ids to turn off, e.g. [console-log].',
    `disableRules: ${flowList(d.disableRules)}`,
    '# What may go to a cloud model (secrets are always masked first): allow | redacted-only (files that held a secret are not sent) | never (local models only).',
    `sendToCloud: ${scalar(d.sendToCloud)}`,
    '# Skip the review while a rebase, cherry-pick or revert is in progress: true | false.',
    `skipDuringRebase: ${d.skipDuringRebase}`,
    '# Checks on the commit message (commit-msg hook).',
    'commitMessage:',
    '  # conventional ("type(scope): subject") | none.',
    `  convention: ${scalar(d.commitMessage.convention)}`,
  ];
  return `${lines.join('\n')}\n`;
}

const PROVIDER_NOTES: Partial<Record<ProviderName, string>> = {
  builtin: ' (rules only, no model)',
  auto: ' (the first that answers)',
};

// A tiny YAML writer for the values above: plain where YAML reads them back as the same string, quoted otherwise.

function scalar(value: string): string {
  const plain = /^[A-Za-z][\w./@+-]*(:[\w./@+-]+)*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(value);
  return plain ? value : `'${value.replaceAll("'", "''")}'`;
}

function flowList(values: readonly string[]): string {
  return `[${values.map(scalar).join(', ')}]`;
}

function flowMap(values: Partial<Record<string, number>>): string {
  const entries = Object.entries(values).map(([key, n]) => `${key}: ${n}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}
