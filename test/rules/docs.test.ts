// The README's rules table is generated from the tables (npm run rules-table --write): these fail when it drifts,
// and when the policy template's example of `disableRules` is not a real rule id.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigTemplate } from '../../src/policy/template.js';
import { renderRulesTable, TABLE_END, TABLE_START } from '../../src/rules/docs.js';
import { builtinRuleIds, FILE_RULES, lineRules } from '../../src/rules/scan.js';
import { GITLEAKS_COVERAGE } from '../../bench/gitleaks-map.js';

describe('rules documentation', () => {
  it('the README holds the table the rules print (run `npm run rules-table -- --write` after changing a rule)', () => {
    const readme = readFileSync('README.md', 'utf8');
    const start = readme.indexOf(TABLE_START);
    const end = readme.indexOf(TABLE_END);
    expect(start, 'README rules-table markers').toBeGreaterThan(0);
    expect(readme.slice(start, end + TABLE_END.length)).toBe(renderRulesTable());
  });

  it('lists every rule once, with a family and what it does not catch', () => {
    const table = renderRulesTable();
    for (const rule of [...lineRules(), ...FILE_RULES]) {
      expect(rule.limits.trim().length, rule.id).toBeGreaterThan(10);
      expect(rule.family.trim().length, rule.id).toBeGreaterThan(0);
      expect(table.split(`| \`${rule.id}\` |`).length - 1, rule.id).toBe(1);
    }
  });

  it('gives a real rule id as the example of disableRules, in the template and in .codeairc.example', () => {
    const ids = new Set(builtinRuleIds());
    for (const text of [renderConfigTemplate({ provider: 'auto' }), readFileSync('.codeairc.example', 'utf8')]) {
      const example = /rule ids to turn off, e\.g\. \[([\w-]+)\]/.exec(text)?.[1];
      expect(example && ids.has(example), `example id ${example}`).toBe(true);
    }
  });

  it("maps each rule of gitleaks' default config to rules that exist (the bench checks the list against the TOML)", () => {
    const ids = new Set(builtinRuleIds());
    expect(Object.keys(GITLEAKS_COVERAGE).length).toBeGreaterThanOrEqual(222);
    for (const [gitleaksId, ours] of Object.entries(GITLEAKS_COVERAGE)) {
      for (const id of ours) expect(ids.has(id), `${gitleaksId} → ${id}`).toBe(true);
    }
  });
});
