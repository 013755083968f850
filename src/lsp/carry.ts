// Between two saves the model is not asked again, but what it said at the last save still holds where the code it
// spoke of is unchanged: each model finding is placed again on the changed line nearest its old one that reads as
// its line did, and goes away when no changed line does (the line was edited, or committed). The pipeline then
// suppresses, re-checks the fix of, and judges the carried findings with the built-in ones.

import type { DiffFile, Finding } from '../types.js';

export interface RememberedFinding {
  finding: Finding;
  /** The text of the finding's line in the buffer the model reviewed. */
  text: string;
}

/** `file`: the buffer's diff now (absent: nothing is changed any more). */
export function carryFindings(remembered: readonly RememberedFinding[], file: DiffFile | undefined): Finding[] {
  if (!file || remembered.length === 0) return [];
  const added = new Map<string, number[]>();
  for (const hunk of file.hunks) {
    for (const l of hunk.lines) {
      if (l.kind === 'add' && l.newLine !== undefined) added.set(l.text, [...(added.get(l.text) ?? []), l.newLine]);
    }
  }
  const out: Finding[] = [];
  for (const { finding, text } of remembered) {
    const candidates = added.get(text);
    if (!candidates) continue;
    const line = candidates.reduce((best, n) => (Math.abs(n - finding.line) < Math.abs(best - finding.line) ? n : best));
    out.push(moved(finding, line - finding.line));
  }
  return out;
}

function moved(f: Finding, delta: number): Finding {
  if (delta === 0) return f;
  return {
    ...f,
    line: f.line + delta,
    ...(f.endLine !== undefined ? { endLine: f.endLine + delta } : {}),
    ...(f.fix ? { fix: { ...f.fix, startLine: f.fix.startLine + delta, endLine: f.fix.endLine + delta } } : {}),
  };
}

/** What to remember of a model review: its model findings with the text of their lines. */
export function rememberFindings(findings: readonly Finding[], lines: readonly string[]): RememberedFinding[] {
  return findings.filter((f) => f.source === 'model').map((finding) => ({ finding, text: lines[finding.line - 1] ?? '' }));
}
