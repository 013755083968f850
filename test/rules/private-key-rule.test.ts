// The private-key rule is looked up once, on first need: loading key-blocks.ts or redact.ts builds no rule table
// (the tables are built lazily on purpose, rules/table.ts), and flagging or redacting many rotated keys asks the
// secrets table no more often than doing it once. The findings and redactions themselves: key-blocks.test.ts.
import { describe, expect, it, vi } from 'vitest';
import type { DiffFile } from '../../src/types.js';
import { diffFile } from './fixtures/make-diff.js';

const tableBuilds = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../../src/rules/secrets.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/rules/secrets.js')>();
  return {
    ...real,
    secretRules: () => {
      tableBuilds.calls += 1;
      return real.secretRules();
    },
  };
});

const body = (seed: string) => Array.from({ length: 4 }, (_, i) => `${seed}${i}`.repeat(64).slice(0, 64));
const rotated = (heading: string): DiffFile => {
  const file = diffFile('deploy/key.txt', [
    ...body('MIIEowIBAAKCAQEAold').map((text) => ({ kind: 'del' as const, text })),
    ...body('MIIEpAIBAAKCAQEAnew').map((text) => ({ kind: 'add' as const, text })),
  ], { firstLine: 2 });
  return { ...file, hunks: file.hunks.map((h) => ({ ...h, heading })), keyLines: { old: [1, 2, 3, 4, 5, 6], new: [1, 2, 3, 4, 5, 6] } };
};

describe('the private-key rule', () => {
  it('is not looked up at load, then once for any number of keys flagged and redacted', async () => {
    const { keyBlockFindings, privateKeyRule } = await import('../../src/rules/key-blocks.js');
    const { redact } = await import('../../src/diff/redact.js');
    expect(tableBuilds.calls).toBe(0);

    const first = keyBlockFindings([rotated('x')]);
    expect(redact([rotated('MIIEowIBAAKCAQEAold0MIIEowIBAAKCAQEAold0')]).files[0]!.hunks[0]!.heading).toBe('[REDACTED:private-key]');
    const afterOne = tableBuilds.calls;

    const many = Array.from({ length: 20 }, () => rotated('MIIEowIBAAKCAQEAold1MIIEowIBAAKCAQEAold1'));
    expect(keyBlockFindings(many)).toHaveLength(20);
    expect(redact(many).files.every((f) => f.hunks[0]!.heading === '[REDACTED:private-key]')).toBe(true);
    expect(tableBuilds.calls).toBe(afterOne);

    // The finding carries the rule's own words, the same object each time.
    const rule = privateKeyRule();
    expect(privateKeyRule()).toBe(rule);
    expect(first).toEqual([expect.objectContaining({ rule: 'private-key', title: rule.title, severity: rule.severity, category: rule.category, suggestion: rule.hint })]);
  });
});
