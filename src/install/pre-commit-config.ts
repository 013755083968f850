// codeai-hook as a `repo: local` hook of the pre-commit framework (.pre-commit-config.yaml), so the team's
// `pre-commit install` keeps owning git's hooks and core.hooksPath is never set.

import { UsageError } from '../errors.js';
import { hookCommandLine, shellQuote, type HookName } from './block.js';
import { findKey, inlineValue, insertAt, markedBlock, valueEnd, yamlLines, yamlString, isObject, parseYamlConfig as parse } from './yaml-text.js';

export const PRE_COMMIT_HOOK_IDS: Record<HookName, string> = {
  'pre-commit': 'codeai-hook',
  'commit-msg': 'codeai-hook-commit-msg',
};

export interface PreCommitEntryOptions {
  packageDir: string;
  globalBinary: boolean;
  /**
   * The stage name of git's pre-commit hook: 'pre-commit' since pre-commit 3.2, 'commit' before (3.0 rejects the
   * new name; newer versions warn on the old one on every run).
   */
  stageName: 'pre-commit' | 'commit';
}

/** The `entry` pre-commit runs (it splits it like a shell and runs it without one, so sh -c carries our line). */
export function preCommitEntry(hook: HookName, opts: PreCommitEntryOptions): string {
  // pre-commit appends the commit message file to a commit-msg hook's command: it becomes $1 of the sh -c line.
  return `sh -c ${shellQuote(hookCommandLine(hook, opts))} codeai-hook`;
}

function entryLines(hook: HookName, opts: PreCommitEntryOptions, indent: string): string[] {
  const stage = hook === 'pre-commit' ? opts.stageName : 'commit-msg';
  return [
    `${indent}- id: ${PRE_COMMIT_HOOK_IDS[hook]}`,
    `${indent}  name: ${hook === 'pre-commit' ? 'codeai-hook (AI code review)' : 'codeai-hook (commit message)'}`,
    `${indent}  entry: ${yamlString(preCommitEntry(hook, opts))}`,
    `${indent}  language: system`,
    // The review reads the staged diff itself; with no file filter it also runs for a commit of deletions only.
    ...(hook === 'pre-commit' ? [`${indent}  pass_filenames: false`] : []),
    `${indent}  always_run: true`,
    // Its warnings (a model that is down, files skipped) matter on a passing commit too: always show its output.
    `${indent}  verbose: true`,
    `${indent}  stages: [${stage}]`,
  ];
}

/** The lines to add to `repos:` by hand, for the messages that cannot place them. */
export function preCommitSnippet(hooks: HookName[], opts: PreCommitEntryOptions): string {
  return ['- repo: local', '  hooks:', ...hooks.flatMap((h) => entryLines(h, opts, '    '))].join('\n');
}

/**
 * The config with our local repo appended to `repos:`, or null when a hook of ours is already there (by a block,
 * or as the codeai-hook repository's own hook ids). Throws a UsageError, changing nothing, when the file cannot be
 * read as a pre-commit config or our entry cannot be placed where pre-commit would read it.
 */
export function planPreCommitConfig(text: string, file: string, hooks: HookName[], opts: PreCommitEntryOptions): string | null {
  const byHand = `add this to its repos: by hand:\n${preCommitSnippet(hooks, opts)}`;
  const config = parse(text, file);
  const repos = config?.repos;
  if (!Array.isArray(repos)) throw new UsageError(`${file} has no repos: list, so pre-commit would not read a hook there: ${byHand}`);
  const ids = new Set(repos.flatMap((r) => (isObject(r) && Array.isArray(r.hooks) ? r.hooks : [])).map((h) => (isObject(h) ? h.id : undefined)));
  if (hooks.every((h) => ids.has(PRE_COMMIT_HOOK_IDS[h]))) return null;

  const lines = yamlLines(text);
  const at = findKey(lines, 'repos', 0);
  if (at < 0 || inlineValue(lines[at]!) !== '') {
    throw new UsageError(`${file} writes repos: on one line (flow style), where a block cannot be added safely: ${byHand}`);
  }
  const end = valueEnd(lines, at);
  const first = lines.slice(at + 1, end).find((l) => !l.empty);
  const indent = ' '.repeat(first && first.text.trimStart().startsWith('-') ? first.indent : 2);
  const missing = hooks.filter((h) => !ids.has(PRE_COMMIT_HOOK_IDS[h]));
  const block = markedBlock([`${indent}- repo: local`, `${indent}  hooks:`, ...missing.flatMap((h) => entryLines(h, opts, `${indent}    `))]);
  const after = insertAt(text, lines, end, block);

  // Proof by reading it back: our hooks are in a local repo of repos:, and nothing else changed meaning.
  const reread = parse(after, file);
  const local = Array.isArray(reread?.repos) ? reread.repos.at(repos.length) : undefined;
  const placed = isObject(local) && local.repo === 'local' && Array.isArray(local.hooks) && local.hooks.length === missing.length;
  if (!placed || reread!.repos.length !== repos.length + 1) {
    throw new UsageError(`${file}: codeai-hook's entry could not be placed safely in repos: (unusual layout): ${byHand}`);
  }
  return after;
}
