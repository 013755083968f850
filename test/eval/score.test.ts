import { describe, expect, it } from 'vitest';
import { changedLineLabels, languageOf } from '../../src/eval/labels.js';
import { scoreCase, TOLERANCE } from '../../src/eval/score.js';
import { parseDiff } from '../../src/diff/parse.js';
import type { Finding } from '../../src/types.js';

const f = (file: string, line: number, endLine?: number): Finding => ({
  file, line, ...(endLine ? { endLine } : {}), severity: 'high', category: 'bug', title: 't', message: 'm', source: 'model',
});

describe('scoreCase', () => {
  const bug = [{ file: 'a.js', lines: [10, 11] }];

  it('counts a blocking finding within the tolerance of a bug line as caught', () => {
    expect(scoreCase(bug, { findings: [f('a.js', 11 + TOLERANCE)], verdict: verdictBlocking([0]) })).toEqual({ caught: true, found: true, falseFindings: 0, falseBlocks: 0 });
    expect(scoreCase(bug, { findings: [f('a.js', 1, 8)], verdict: verdictBlocking([0]) }).caught).toBe(true);
  });

  it('a finding on the bug that does not block is found, not caught', () => {
    expect(scoreCase(bug, { findings: [f('a.js', 10)], verdict: verdictBlocking([]) })).toEqual({ caught: false, found: true, falseFindings: 0, falseBlocks: 0 });
  });

  it('findings elsewhere (another line, another file) are false, and false blocks when they block', () => {
    const findings = [f('a.js', 11 + TOLERANCE + 1), f('b.js', 10), f('a.js', 10)];
    expect(scoreCase(bug, { findings, verdict: verdictBlocking([0]) })).toEqual({ caught: false, found: true, falseFindings: 2, falseBlocks: 1 });
  });
});

function verdictBlocking(blocking: number[]) {
  return { blocked: blocking.length > 0, reasons: [], rules: [], counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, blocking };
}

describe('labels mined from history', () => {
  it('the lines the reversal adds, and where a reversal only removes, the line where the removed lines were', () => {
    const diff = [
      'diff --git a/x.py b/x.py',
      '--- a/x.py',
      '+++ b/x.py',
      '@@ -1,3 +1,3 @@',
      ' a',
      '-b = 1',
      '+b = 2',
      ' c',
      '@@ -10,4 +10,2 @@',
      ' d',
      '-if x is None:',
      '-    return',
      ' e',
      '',
    ].join('\n');
    expect(changedLineLabels(parseDiff(diff))).toEqual([{ file: 'x.py', lines: [2, 11] }]);
  });

  it('names the language by the extensions', () => {
    expect(languageOf(['a.go', 'b.go', 'c.md'])).toBe('go');
    expect(languageOf(['a.ts', 'b.py'])).toBe('mixed');
    expect(languageOf([])).toBe('other');
  });
});
