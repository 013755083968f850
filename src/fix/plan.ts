// Which findings `codeai-hook fix` works on, and what happens to each: a fix to offer, or why not. Pure: the command
// (src/commands/fix.ts) reads git, asks the model and writes the work tree.

import type { Finding, Fix } from '../types.js';
import { lineRange, overlaps } from './lines.js';

export interface Target {
  file: string;
  line?: number;
}

export type Outcome =
  | { kind: 'offered'; finding: Finding; fix: Fix }
  | { kind: 'applied'; finding: Finding; fix: Fix }
  | { kind: 'printed'; finding: Finding; fix: Fix }
  | { kind: 'declined'; finding: Finding; fix: Fix }
  /** There is no fix to offer (the rule has none, the model had none): nothing to refuse. */
  | { kind: 'no-fix'; finding: Finding; reason: string }
  /** A fix was refused: stale lines, an unsafe path, an overlap, git apply's refusal. */
  | { kind: 'refused'; finding: Finding; fix?: Fix; reason: string };

/** The findings the user named (all, without targets); a target that names no finding is the user's error. */
export function chooseFindings(findings: Finding[], targets: Target[]): { chosen: Finding[]; unmatched: Target[] } {
  if (targets.length === 0) return { chosen: findings, unmatched: [] };
  const matches = (f: Finding, t: Target) => f.file === t.file && (t.line === undefined || covers(f, t.line));
  const chosen = findings.filter((f) => targets.some((t) => matches(f, t)));
  const unmatched = targets.filter((t) => !findings.some((f) => matches(f, t)));
  return { chosen, unmatched };
}

/** The finding's own lines, or its fix's. */
function covers(f: Finding, line: number): boolean {
  const inFinding = line >= f.line && line <= (f.endLine ?? f.line);
  return inFinding || (f.fix !== undefined && line >= f.fix.startLine && line <= f.fix.endLine);
}

/** A model finding worth a fix request when it has none: anything but a remark, or one the user named. */
export function worthAsking(f: Finding, named: boolean): boolean {
  return f.source === 'model' && f.fix === undefined && (named || f.severity !== 'info');
}

/** Offered fixes that overlap an earlier one in the same file (worst finding first) are refused. */
export function refuseOverlaps(outcomes: Outcome[]): Outcome[] {
  const kept: Array<{ finding: Finding; fix: Fix }> = [];
  return outcomes.map((o) => {
    if (o.kind !== 'offered') return o;
    const clash = kept.find((k) => k.finding.file === o.finding.file && overlaps(k.fix, o.fix));
    if (clash) {
      const where = lineRange(clash.fix.startLine, clash.fix.endLine);
      return { kind: 'refused', finding: o.finding, fix: o.fix, reason: `overlaps the fix of ${where} ("${clash.finding.title}"): run fix again after it` };
    }
    kept.push(o);
    return o;
  });
}
