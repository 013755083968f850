// How a review of one labelled case scores. A finding found the bug when its lines come within TOLERANCE lines of a
// labelled bug line of the same file (models cite the line they reason about, which may be the one next to it).
// It counts toward recall only when it blocks under the policy the review ran with, as the hook would block.

import type { ReviewResult } from '../types.js';
import type { LineLabel } from './cases.js';

export const TOLERANCE = 2;

export interface CaseScore {
  /** A blocking finding on the bug. */
  caught: boolean;
  /** Any finding on the bug, blocking or not. */
  found: boolean;
  /** Findings away from the bug. */
  falseFindings: number;
  /** Findings away from the bug that block: a commit stopped for nothing. */
  falseBlocks: number;
}

export function scoreCase(bug: readonly LineLabel[], result: Pick<ReviewResult, 'findings' | 'verdict'>): CaseScore {
  const blocking = new Set(result.verdict.blocking);
  const onBug = result.findings.map((f) => {
    const end = f.endLine !== undefined && f.endLine >= f.line ? f.endLine : f.line;
    return bug.some((label) => label.file === f.file && label.lines.some((n) => n >= f.line - TOLERANCE && n <= end + TOLERANCE));
  });
  let falseFindings = 0;
  let falseBlocks = 0;
  onBug.forEach((hit, i) => {
    if (hit) return;
    falseFindings++;
    if (blocking.has(i)) falseBlocks++;
  });
  return {
    caught: onBug.some((hit, i) => hit && blocking.has(i)),
    found: onBug.some((hit) => hit),
    falseFindings,
    falseBlocks,
  };
}
