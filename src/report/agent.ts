// The report for coding agents that commit through the hook (Claude Code, Cursor, Codex, Gemini CLI, Aider, Copilot,
// ...): plain text, no colour and no layout, one block per finding with where, what, the fix and the exact next
// step, worst first. Every line starts with a fixed label, so text from the diff or the model never starts a line
// (where a reader could take it for a command of its own); control characters are made visible.

import type { Finding, ReviewResult } from '../types.js';
import { blockingSet, bySeverity, FAILED_CLOSED, failsClosed, findingsPhrase, providerPhrase, suppressedPhrase, visibleText } from './format.js';

export interface AgentOptions {
  /** 'run' is the hook: the next step is about the commit. */
  command: 'run' | 'review' | 'ci';
}

export function renderAgent(result: ReviewResult, opts: AgentOptions): string {
  const blocking = blockingSet(result);
  const shown = result.findings.map((f, index) => ({ f, blocks: blocking.has(index) })).sort((a, b) => bySeverity(a.f, b.f));
  const blockers = shown.filter((s) => s.blocks).length;
  const lines: string[] = [summary(result, blockers, opts)];
  if (blockers > 0) {
    lines.push(
      opts.command === 'run'
        ? `do: fix each finding marked BLOCKING below, stage the fixed files with git add, then run the same git commit again. Do not skip the check (no --no-verify, no CODEAI_SKIP=1) unless the user asks you to; if a finding looks wrong, tell the user instead.`
        : `do: fix each finding marked BLOCKING below, then run the review again.`,
    );
  }
  lines.push(`reviewed-by: ${text(providerPhrase(result))}; ${result.files.length} file(s)`);
  for (const e of result.errors) lines.push(`warning: ${text(e)}`);
  const hidden = suppressedPhrase(result);
  if (hidden) lines.push(`suppressed: ${hidden}`);
  shown.forEach(({ f, blocks }, i) => lines.push('', ...findingBlock(f, blocks, i + 1, opts)));
  return `${lines.join('\n')}\n`;
}

function summary(result: ReviewResult, blockers: number, opts: AgentOptions): string {
  const subject = opts.command === 'run' ? 'commit' : 'change';
  if (result.verdict.blocked) {
    const exit = opts.command === 'run' ? '; the commit did not happen' : '';
    return `result: ${subject} BLOCKED (exit 1)${exit}: ${blockers} blocking, ${findingsPhrase(result)}; ${text(result.verdict.reasons.join('; '))}`;
  }
  // onError block turns an incomplete review into exit 3: the line says so, never "passed".
  if (failsClosed(result)) return `result: ${subject} BLOCKED (exit 3)${opts.command === 'run' ? '; the commit did not happen' : ''}: ${FAILED_CLOSED}; ${findingsPhrase(result)}`;
  const incomplete = result.incomplete ? '; the model review did not complete, only the built-in rules ran (see warning)' : '';
  return `result: ${subject} passed: ${findingsPhrase(result)}${incomplete}`;
}

function findingBlock(f: Finding, blocks: boolean, n: number, opts: AgentOptions): string[] {
  const where = f.endLine !== undefined && f.endLine > f.line ? `${f.file}:${f.line}-${f.endLine}` : `${f.file}:${f.line}`;
  const rule = `${f.rule ? ` rule=${f.rule}` : ''}${f.confidence === 'low' ? ' confidence=low' : ''}`;
  const lines = [`finding ${n}: ${blocks ? 'BLOCKING' : 'not blocking'} ${f.severity} ${f.category}${rule} at ${text(where)}`];
  lines.push(`problem: ${text(oneLine(f.title))}`);
  if (f.message.trim() && f.message.trim() !== f.title.trim()) lines.push(`detail: ${text(oneLine(f.message))}`);
  if (f.code !== undefined && f.code.trim() !== '') lines.push(`code: ${text(f.code.trim())}`);
  if (f.suggestion) lines.push(`fix: ${text(oneLine(f.suggestion))}`);
  if (f.fix) lines.push(`autofix: codeai-hook fix ${shellWord(text(`${f.file}:${f.line}`))} --yes writes the suggested change to the work tree (not the index)`);
  if (f.explanation) lines.push(`why: ${text(oneLine(f.explanation))}`);
  lines.push(`next: ${nextStep(f, blocks, where, opts)}`);
  return lines;
}

function nextStep(f: Finding, blocks: boolean, where: string, opts: AgentOptions): string {
  const file = text(f.file);
  const fix = f.suggestion ? 'apply the fix above' : 'correct the problem';
  if (!blocks) return `optional: ${fix} at ${text(where)} if it is right for this change; it does not block.`;
  const stage = opts.command === 'run' ? `, git add ${shellWord(file)}, and commit again` : ', and review again';
  if (f.source === 'builtin' && f.category === 'security' && f.rule && /key|token|secret|password|credential|private|env-file|jwt|webhook/.test(f.rule)) {
    return `remove the secret from ${text(where)} (read it from the environment or a secrets store instead)${stage}; if it was ever pushed, tell the user to rotate it.`;
  }
  return `${fix} at ${text(where)}${stage}.`;
}

function oneLine(s: string): string {
  return s.replace(/\s*\r?\n\s*/g, ' ').trim();
}

/** Control characters made visible; "##[" (the runner's other command grammar) broken up. */
function text(s: string): string {
  return visibleText(s).replace(/[\r\n]+/g, ' ').replace(/##\[/g, '#\u200b#[');
}

function shellWord(s: string): string {
  return /^[\w./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
