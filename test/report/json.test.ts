import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { fingerprint } from '../../src/review/fingerprint.js';
import type { ReviewResult } from '../../src/types.js';
import { finding, result, sampleResult } from './sample.js';

const TOP_KEYS = [
  'version',
  'verdict',
  'findings',
  'files',
  'suppressed',
  'suppressions',
  'dropped',
  'provider',
  'model',
  'providerReason',
  'units',
  'errors',
  'incomplete',
  'droppedFixes',
];

/** The same values, every object's keys in reverse order. */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)])) as T;
  }
  return value;
}

describe('renderJson', () => {
  it('is pretty JSON with a trailing newline and the keys in the documented order', () => {
    const out = renderJson(sampleResult());
    expect(out.endsWith('}\n')).toBe(true);
    expect(out).toContain('\n  "verdict": {\n    "blocked": true,');
    expect(Object.keys(JSON.parse(out))).toEqual(TOP_KEYS);
  });

  it('adds run statistics (calls, cache hits, timings) only when asked', () => {
    const plain = JSON.parse(renderJson(sampleResult()));
    expect(plain.timings).toBeUndefined();
    expect(plain.calls).toBeUndefined();
    const parsed = JSON.parse(renderJson(sampleResult(), { timings: true }));
    expect(Object.keys(parsed)).toEqual([...TOP_KEYS, 'tokens', 'calls', 'cached', 'timings']);
    expect(parsed).toMatchObject({ calls: 2, cached: 1 });
    expect(parsed.timings).toEqual({ prepareMs: 40, reviewMs: 1160, totalMs: 1234 });
  });

  it('carries each checked fix, and the fixes dropped with their reasons', () => {
    const fix = { startLine: 10, endLine: 11, replacement: 'if (err) throw err;\n', original: 'use(result);\nmore();\n' };
    const r = result([finding({ fix }), finding({ line: 20 })], { droppedFixes: [{ file: 'src/app.ts', line: 20, reason: 'the replacement changes nothing' }] });
    const parsed = JSON.parse(renderJson(r));
    expect(parsed.findings[0].fix).toEqual(fix);
    expect(Object.keys(parsed.findings[0]).indexOf('fix')).toBe(Object.keys(parsed.findings[0]).indexOf('message') + 1);
    expect(parsed.findings[1].fix).toBeUndefined();
    expect(parsed.droppedFixes).toEqual([{ file: 'src/app.ts', line: 20, reason: 'the replacement changes nothing' }]);
    expect(JSON.parse(renderJson(result([finding()]))).droppedFixes).toEqual([]);
  });

  it('adds each finding its fingerprint, keeps the order and the verdict indexes', () => {
    const r = sampleResult();
    const parsed = JSON.parse(renderJson(r));
    expect(parsed.findings.map((f: { fingerprint: string }) => f.fingerprint)).toEqual(r.findings.map(fingerprint));
    expect(parsed.findings[2]).toMatchObject({ file: 'src/config.ts', rule: 'aws-access-key', source: 'builtin' });
    expect(parsed.verdict.blocking).toEqual([0, 2]);
    expect(Object.keys(parsed.findings[1])).toEqual([
      'file',
      'line',
      'endLine',
      'severity',
      'category',
      'title',
      'message',
      'suggestion',
      'source',
      'code',
      'fingerprint',
    ]);
  });

  it('says what was reviewed and what was skipped, not only what was found', () => {
    const parsed = JSON.parse(renderJson(sampleResult()));
    expect(parsed.files).toContainEqual({
      path: 'package-lock.json',
      status: 'modified',
      added: 300,
      removed: 120,
      reviewed: false,
      skipped: 'lockfile',
    });
    expect(parsed.files).toContainEqual({
      path: 'src/util/retry.ts',
      oldPath: 'src/retry.ts',
      status: 'renamed',
      added: 5,
      removed: 2,
      reviewed: true,
    });
    expect(parsed).toMatchObject({ model: 'qwen2.5-coder:7b', units: 3, incomplete: true });
  });

  it('keeps a null model', () => {
    expect(JSON.parse(renderJson(result([], { provider: 'builtin', model: null }))).model).toBeNull();
  });

  it('is byte-identical for equal input, however its objects were built', () => {
    const r: ReviewResult = sampleResult();
    expect(renderJson(reversedKeys(r), { timings: true })).toBe(renderJson(r, { timings: true }));
    expect(renderJson(sampleResult())).toBe(renderJson(sampleResult()));
  });

  it('round-trips text that JSON must escape', () => {
    const f = finding({ message: 'quote " backslash \\ newline \n nul \u0000 and \u2028' });
    expect(JSON.parse(renderJson(result([f]))).findings[0].message).toBe(f.message);
  });

  it('lists each suppression with its reason, and the model findings dropped with why', () => {
    const json = JSON.parse(renderJson(sampleResult()));
    expect(json.suppressions.map((s: { file: string; line: number; suppressedBy: string; reason: string }) => [s.file, s.line, s.suppressedBy, s.reason])).toEqual([
      ['src/cli.ts', 4, 'inline', 'the CLI prints on purpose'],
      ['src/cli.ts', 9, 'inline', ''],
      ['src/legacy.ts', 30, 'baseline', 'listed in the baseline'],
    ]);
    expect(json.suppressions[0].fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(json.dropped).toEqual([
      { reason: 'line 55 of src/api/users.ts is not in the diff', title: 'Off by one' },
      { reason: 'duplicate of an earlier finding at src/config.ts:3', title: 'Hard-coded key' },
    ]);
  });

  it('masks a secret in a suppressed finding and a dropped one, like every other part of a report', async () => {
    const { maskedResult } = await import('../../src/report/masked.js');
    const key = 'AKIA' + 'QYLPMN5HFIQR7BLZ';
    const r = result([], {
      suppressions: [{ finding: finding({ message: `uses ${key}` }), kind: 'inline', reason: `kept ${key}` }],
      dropped: [{ reason: `the model quoted ${key}`, title: key }],
    });
    expect(renderJson(maskedResult(r))).not.toContain(key.slice(4));
  });
});
