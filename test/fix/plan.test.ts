import { describe, expect, it } from 'vitest';
import { readAnswer } from '../../src/commands/fix.js';
import { chooseFindings, refuseOverlaps, worthAsking, type Outcome } from '../../src/fix/plan.js';
import { finding } from '../report/sample.js';

describe('which findings fix works on', () => {
  const a = finding({ file: 'a.ts', line: 3, endLine: 5 });
  const b = finding({ file: 'a.ts', line: 20, fix: { startLine: 21, endLine: 22, replacement: '' } });
  const c = finding({ file: 'b.ts', line: 1 });

  it('all without targets; FILE, or FILE:LINE inside a finding’s lines or its fix’s', () => {
    expect(chooseFindings([a, b, c], []).chosen).toEqual([a, b, c]);
    expect(chooseFindings([a, b, c], [{ file: 'a.ts' }]).chosen).toEqual([a, b]);
    expect(chooseFindings([a, b, c], [{ file: 'a.ts', line: 4 }]).chosen).toEqual([a]);
    expect(chooseFindings([a, b, c], [{ file: 'a.ts', line: 22 }]).chosen).toEqual([b]);
    expect(chooseFindings([a, b, c], [{ file: 'a.ts', line: 9 }, { file: 'b.ts' }])).toEqual({ chosen: [c], unmatched: [{ file: 'a.ts', line: 9 }] });
  });

  it('asks the model only for model findings without a fix; a remark only when named', () => {
    expect(worthAsking(a, false)).toBe(true);
    expect(worthAsking(b, false)).toBe(false);
    expect(worthAsking({ ...a, source: 'builtin', rule: 'conflict-marker' }, true)).toBe(false);
    expect(worthAsking({ ...a, severity: 'info' }, false)).toBe(false);
    expect(worthAsking({ ...a, severity: 'info' }, true)).toBe(true);
  });

  it('refuses a fix that overlaps an earlier one in the same file', () => {
    const fix = (startLine: number, endLine: number) => ({ startLine, endLine, replacement: 'x\n' });
    const offered: Outcome[] = [
      { kind: 'offered', finding: a, fix: fix(3, 5) },
      { kind: 'offered', finding: b, fix: fix(5, 6) },
      { kind: 'offered', finding: c, fix: fix(5, 6) },
    ];
    const out = refuseOverlaps(offered);
    expect(out.map((o) => o.kind)).toEqual(['offered', 'refused', 'offered']);
    expect(out[1]).toMatchObject({ reason: expect.stringMatching(/overlaps the fix of lines 3-5/) });
  });

  it('reads y, n, a, q; anything else is no', () => {
    expect(['y', 'YES', ' a ', 'q', '', 'maybe'].map(readAnswer)).toEqual(['yes', 'yes', 'all', 'quit', 'no', 'no']);
  });
});
