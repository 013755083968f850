import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { runBuiltinRules } from '../../src/rules/scan.js';
import { readBaseline, renderBaseline } from '../../src/review/baseline.js';
import { applySuppressions } from '../../src/review/suppress.js';
import { CATEGORIES } from '../../src/types.js';
import { FAKE_AWS_KEY_ID } from './fixtures/fakes.js';
import { addedFile } from './fixtures/make-diff.js';

const ALL = { disabled: [], categories: [...CATEGORIES] };
const dir = mkdtempSync(join(tmpdir(), 'codeai-baseline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// codeai-ignore: sql-injection, aws-access-key-id samples for the rules under test
const OLD_CODE = ['debugger;', "const q = db.query('SELECT * FROM t WHERE id = ' + id);", `const k = '${FAKE_AWS_KEY_ID}';`];

describe('baseline', () => {
  it('round-trips: render, write, read, and still suppresses after the code moved down', async () => {
    const before = [addedFile('src/old.ts', OLD_CODE)];
    const findings = runBuiltinRules(before, ALL);
    expect(findings.map((f) => f.rule)).toEqual(['debugger-statement', 'sql-injection', 'aws-access-key-id']);
    const path = join(dir, 'round-trip.json');
    writeFileSync(path, renderBaseline(findings));
    const baseline = await readBaseline(path);

    const after = [addedFile('src/old.ts', ['// a new header', '', ...OLD_CODE, 'debugger;  // a new one'], 10)];
    const again = runBuiltinRules(after, ALL);
    expect(again.map((f) => f.line)).toEqual([12, 13, 14, 15]);
    const { kept, suppressed } = applySuppressions(again, after, { baseline, enabled: true });
    expect(kept.map((f) => [f.line, f.rule])).toEqual([[15, 'debugger-statement']]);
    expect(suppressed).toEqual({ inline: 0, baseline: 3 });
  });

  it('renders sorted, deduplicated, byte-stable pretty JSON without secrets', () => {
    const findings = runBuiltinRules([addedFile('b.ts', ['debugger;', 'debugger;']), addedFile('a.ts', OLD_CODE)], ALL);
    const text = renderBaseline(findings);
    expect(renderBaseline([...findings].reverse())).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).not.toContain(FAKE_AWS_KEY_ID);
    const parsed = JSON.parse(text) as { version: number; findings: Array<Record<string, string>> };
    expect(parsed.version).toBe(1);
    expect(parsed.findings.map((e) => [e['file'], e['rule']])).toEqual([
      ['a.ts', 'aws-access-key-id'],
      ['a.ts', 'debugger-statement'],
      ['a.ts', 'sql-injection'],
      ['b.ts', 'debugger-statement'],
    ]);
    expect(Object.keys(parsed.findings[0]!)).toEqual(['fingerprint', 'file', 'rule', 'title']);
    expect(text).toBe(`${JSON.stringify(parsed, null, 2)}\n`);
  });

  it('renders a model finding without a rule', () => {
    const text = renderBaseline([{ file: 'a.ts', line: 3, severity: 'low', category: 'bug', title: 'Off by one', message: 'm', source: 'model', code: 'i <= n' }]);
    expect(Object.keys((JSON.parse(text) as { findings: object[] }).findings[0]!)).toEqual(['fingerprint', 'file', 'title']);
  });

  it('reads an absent file as no baseline', async () => {
    expect(await readBaseline(join(dir, 'missing.json'))).toBeNull();
  });

  it.each([
    ['not JSON', '{"version": 1, "findings": ['],
    ['wrong version', '{"version": 2, "findings": []}'],
    ['no list', '{"version": 1}'],
    ['entry without fingerprint', '{"version": 1, "findings": [{"file": "a.ts"}]}'],
    ['an array', '[]'],
  ])('rejects a corrupt file (%s) with a ConfigError naming it and the fix', async (name, content) => {
    const path = join(dir, `${name.replace(/\W/g, '-')}.json`);
    writeFileSync(path, content);
    const err = await readBaseline(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain(path);
    expect((err as ConfigError).message).toContain('codeai-hook baseline');
    expect((err as ConfigError).file).toBe(path);
  });

  it('rejects a path it cannot read as a file', async () => {
    await expect(readBaseline(dir)).rejects.toBeInstanceOf(ConfigError);
  });
});
