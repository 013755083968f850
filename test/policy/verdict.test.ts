import { describe, expect, it } from 'vitest';
import { validatePolicy } from '../../src/policy/validate.js';
import { decideVerdict } from '../../src/policy/verdict.js';
import type { Category, Finding, Severity } from '../../src/types.js';

function finding(file: string, line: number, severity: Severity, title = `${severity} issue`, category: Category = 'bug'): Finding {
  return { file, line, severity, category, title, message: title, source: 'model' };
}

const defaults = validatePolicy(undefined, null);
const none = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };

describe('decideVerdict', () => {
  it('passes a clean review', () => {
    expect(decideVerdict([], defaults)).toEqual({ blocked: false, reasons: [], rules: [], counts: none, blocking: [] });
  });

  it('blocks on a finding at the threshold and says which rule and which finding', () => {
    const findings = [finding('src/a.ts', 3, 'low'), finding('src/db.ts', 12, 'high', 'SQL built by string concatenation')];
    expect(decideVerdict(findings, defaults)).toEqual({
      blocked: true,
      reasons: ['1 high finding at or above high (block.severity): src/db.ts:12 SQL built by string concatenation'],
      rules: ['1 high finding at or above high (block.severity)'],
      counts: { ...none, high: 1, low: 1 },
      blocking: [1],
    });
  });

  it('passes any number of mediums when only the threshold (high) is set', () => {
    const findings = Array.from({ length: 40 }, (_, i) => finding('src/a.ts', i + 1, 'medium'));
    const verdict = decideVerdict(findings, defaults);
    expect(verdict.blocked).toBe(false);
    expect(verdict.counts.medium).toBe(40);
  });

  it('counts mixed severities at or above the threshold in one reason', () => {
    const findings = [finding('b.ts', 1, 'high'), finding('a.ts', 9, 'critical', 'Secret'), finding('c.ts', 2, 'high')];
    expect(decideVerdict(findings, defaults).reasons).toEqual([
      '3 findings (1 critical, 2 high) at or above high (block.severity): b.ts:1 high issue, a.ts:9 Secret, c.ts:2 high issue',
    ]);
  });

  it('blocks on more than block.max findings of a severity, and not on exactly max', () => {
    const policy = validatePolicy({ block: { max: { medium: 5 } } }, null);
    const five = Array.from({ length: 5 }, (_, i) => finding(`src/f${i}.ts`, 1, 'medium', `Unused variable ${i}`));
    expect(decideVerdict(five, policy).blocked).toBe(false);
    const six = [...five, finding('src/g.ts', 7, 'medium'), finding('src/h.ts', 1, 'low')];
    expect(decideVerdict(six, policy)).toEqual({
      blocked: true,
      // Every finding the rule caught is named, not only the first.
      reasons: [
        '6 medium findings, more than block.max.medium = 5: src/f0.ts:1 Unused variable 0, src/f1.ts:1 Unused variable 1, ' +
          'src/f2.ts:1 Unused variable 2, src/f3.ts:1 Unused variable 3, src/f4.ts:1 Unused variable 4, src/g.ts:7 medium issue',
      ],
      rules: ['6 medium findings, more than block.max.medium = 5'],
      counts: { ...none, medium: 6, low: 1 },
      blocking: [0, 1, 2, 3, 4, 5],
    });
  });

  it('never blocks on severity with block.severity none', () => {
    const policy = validatePolicy({ block: { severity: 'none' } }, null);
    expect(decideVerdict([finding('a.ts', 1, 'critical')], policy).blocked).toBe(false);
    const withMax = validatePolicy({ block: { severity: 'none', max: { critical: 0 } } }, null);
    expect(decideVerdict([finding('a.ts', 1, 'critical')], withMax).reasons).toEqual([
      '1 critical finding, more than block.max.critical = 0: a.ts:1 critical issue',
    ]);
  });

  it('lets an override relax test/** to critical only', () => {
    const policy = validatePolicy({ overrides: [{ files: ['test/**'], block: { severity: 'critical' } }] }, null);
    const findings = [finding('test/a.test.ts', 4, 'high'), finding('src/a.ts', 8, 'high'), finding('test/b.test.ts', 1, 'critical')];
    expect(decideVerdict(findings, policy)).toMatchObject({
      blocked: true,
      reasons: [
        '1 high finding at or above high (block.severity): src/a.ts:8 high issue',
        '1 critical finding at or above critical (overrides[0].block.severity): test/b.test.ts:1 critical issue',
      ],
      blocking: [1, 2],
    });
    expect(decideVerdict([findings[0]!], policy).blocked).toBe(false);
  });

  it('lets an override tighten a path', () => {
    const policy = validatePolicy({ overrides: [{ files: ['src/auth/**'], block: { severity: 'medium' } }] }, null);
    expect(decideVerdict([finding('src/ui/x.ts', 1, 'medium')], policy).blocked).toBe(false);
    expect(decideVerdict([finding('src/auth/login.ts', 30, 'medium', 'Timing-unsafe compare')], policy).reasons).toEqual([
      '1 medium finding at or above medium (overrides[0].block.severity): src/auth/login.ts:30 Timing-unsafe compare',
    ]);
  });

  it('counts a max only among the files where that same rule applies', () => {
    const policy = validatePolicy(
      { block: { max: { low: 2 } }, overrides: [{ files: ['test/**'], block: { max: { low: 3 } } }] },
      null,
    );
    const findings = [
      finding('src/a.ts', 1, 'low'),
      finding('test/a.ts', 1, 'low'),
      finding('test/b.ts', 1, 'low'),
      finding('src/b.ts', 1, 'low'),
      finding('test/c.ts', 1, 'low'),
    ];
    expect(decideVerdict(findings, policy).blocked).toBe(false);
    const verdict = decideVerdict([...findings, finding('src/c.ts', 5, 'low', 'Magic number')], policy);
    expect(verdict.reasons).toEqual(['3 low findings, more than block.max.low = 2: src/a.ts:1 low issue, src/b.ts:1 low issue, src/c.ts:5 Magic number']);
    expect(verdict.blocking).toEqual([0, 3, 5]);
  });

  it('ignores for blocking a category outside the file’s categories, but still counts it', () => {
    const policy = validatePolicy({ overrides: [{ files: ['docs/**'], categories: ['security'] }] }, null);
    const verdict = decideVerdict([finding('docs/a.md', 1, 'critical', 'Typo', 'style')], policy);
    expect(verdict).toEqual({ blocked: false, reasons: [], rules: [], counts: { ...none, critical: 1 }, blocking: [] });
  });

  it('lists each finding once in blocking when two rules catch it', () => {
    const policy = validatePolicy({ block: { severity: 'medium', max: { medium: 0 } } }, null);
    const verdict = decideVerdict([finding('a.ts', 1, 'info'), finding('a.ts', 2, 'medium')], policy);
    expect(verdict.reasons).toHaveLength(2);
    expect(verdict.blocking).toEqual([1]);
  });
});

describe('decideVerdict: block.minConfidence', () => {
  const sure = (f: Finding, confidence: Finding['confidence']): Finding => ({ ...f, confidence });

  it('shows a low-confidence high finding but does not block on it (default minConfidence: medium)', () => {
    const findings = [sure(finding('src/a.ts', 3, 'high', 'Maybe null'), 'low'), sure(finding('src/b.ts', 4, 'high', 'Null'), 'medium')];
    const verdict = decideVerdict(findings, defaults);
    expect(verdict.blocking).toEqual([1]);
    expect(verdict.reasons).toEqual(['1 high finding at or above high (block.severity): src/b.ts:4 Null']);
    expect(verdict.counts.high).toBe(2);
  });

  it('keeps findings below minConfidence out of block.max counts too', () => {
    const policy = validatePolicy({ block: { max: { medium: 1 } } }, null);
    const guesses = [1, 2, 3].map((line) => sure(finding('a.ts', line, 'medium'), 'low'));
    expect(decideVerdict(guesses, policy).blocked).toBe(false);
    expect(decideVerdict([...guesses, sure(finding('a.ts', 9, 'medium'), 'high'), sure(finding('a.ts', 10, 'medium'), 'medium')], policy).blocking).toEqual([3, 4]);
  });

  it('minConfidence: high blocks only on sure findings; low blocks on everything; absent counts as sure', () => {
    const high = validatePolicy({ block: { minConfidence: 'high' } }, null);
    const low = validatePolicy({ block: { minConfidence: 'low' } }, null);
    const findings = [sure(finding('a.ts', 1, 'critical'), 'medium'), sure(finding('a.ts', 2, 'high'), 'low'), finding('a.ts', 3, 'high')];
    expect(decideVerdict(findings, high).blocking).toEqual([2]);
    expect(decideVerdict(findings, low).blocking).toEqual([0, 1, 2]);
  });

  it('an override sets minConfidence for its files only', () => {
    const policy = validatePolicy({ overrides: [{ files: ['test/**'], block: { minConfidence: 'high' } }] }, null);
    const findings = [sure(finding('test/a.ts', 1, 'high'), 'medium'), sure(finding('src/a.ts', 1, 'high'), 'medium')];
    expect(decideVerdict(findings, policy).blocking).toEqual([1]);
  });

  it('names each blocking rule apart from its findings, in the order of the reasons, whatever the names hold', () => {
    // A title that reads like a rule ("(x): "), a path with ": " and "= 3": the short form never comes from parsing.
    const policy = validatePolicy({ block: { max: { low: 1 } } }, null);
    const findings = [finding('src/a: b.ts', 1, 'high', 'Looks (like): a rule = 3'), finding('a.ts', 2, 'low'), finding('b.ts', 3, 'low')];
    const verdict = decideVerdict(findings, policy);
    expect(verdict.rules).toEqual(['1 high finding at or above high (block.severity)', '2 low findings, more than block.max.low = 1']);
    expect(verdict.reasons).toHaveLength(verdict.rules.length);
    verdict.reasons.forEach((reason, i) => expect(reason.startsWith(`${verdict.rules[i]}: `)).toBe(true));
  });
});
