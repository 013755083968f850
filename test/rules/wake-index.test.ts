// The index the hook wakes rules by (src/rules/wake-index.ts) is generated from the tables, and with it a commit
// whose lines wake no rule never builds them: masking what the hook prints after a one-line change, and scanning
// that change, build no rule, and a line that holds a secret still finds it.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { renderWakeIndex, WAKE_INDEX_FILE } from '../../scripts/rules-index.js';
import { CATEGORIES } from '../../src/types.js';
import { FAKE_GITHUB_TOKEN as GHP } from './fixtures/fakes.js';
import { addedFile, diffFile } from './fixtures/make-diff.js';

// Spies on two of the table's builders: the secrets table (one family stands for it) and the code rules.
vi.mock('../../src/rules/secrets/saas.js', async (original) => {
  const real = await original<typeof import('../../src/rules/secrets/saas.js')>();
  return { ...real, saasRules: vi.fn(real.saasRules) };
});
vi.mock('../../src/rules/code.js', async (original) => {
  const real = await original<typeof import('../../src/rules/code.js')>();
  return { ...real, codeRules: vi.fn(real.codeRules) };
});

const { codeRules } = await import('../../src/rules/code.js');
const { saasRules } = await import('../../src/rules/secrets/saas.js');
const { builtinRuleIds, findSecrets, maskSecretsInLine, runBuiltinRules } = await import('../../src/rules/scan.js');

const ALL = { disabled: [], categories: [...CATEGORIES] };

describe('wake index', () => {
  it('builds no rule for a one-line change that wakes none, nor to mask what the hook prints about it', () => {
    const change = diffFile('counter.js', [
      { kind: 'del', text: 'export const n = 1;' },
      { kind: 'add', text: 'export const n = 2;' },
    ]);
    expect(runBuiltinRules([change], ALL)).toEqual([]);
    const printed = ['codeai-hook · builtin · 1 file, 0 units · 23ms', 'provider: builtin in .codeairc.yaml: built-in rules only', '✔ passed · no findings'];
    for (const line of printed) expect(maskSecretsInLine(line, '')).toBe(line);
    expect(builtinRuleIds()).toContain('sql-injection');
    expect(saasRules).not.toHaveBeenCalled();
    expect(codeRules).not.toHaveBeenCalled();
  });

  it('builds the tables once a line wakes a rule, and then finds what it holds', () => {
    expect(findSecrets(`const leaked = '${GHP}';`).map((m) => m.rule.id)).toEqual(['github-token']);
    expect(runBuiltinRules([addedFile('src/db.ts', ['db.query("SELECT * FROM t WHERE id = " + id);'])], ALL).map((f) => f.rule)).toEqual(['sql-injection']);
    expect(saasRules).toHaveBeenCalledTimes(1);
    expect(codeRules).toHaveBeenCalled();
  });

  // Last: rendering the index builds the tables.
  it('is what the tables give (run `npx tsx scripts/rules-index.ts --write` after changing a rule)', () => {
    expect(readFileSync(WAKE_INDEX_FILE, 'utf8')).toBe(renderWakeIndex());
  });
});
