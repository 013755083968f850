// Masking with the prefilter's shortcuts (keywords looked up one by one on little text, `needs` before a pattern
// runs) against masking as it was before them: the keyword automaton over every secrets rule, each pattern run
// whenever its keywords occur. On every sample line and on built lines, both find the same secrets at the same
// places under the same rules, and show the same text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replaceRanges, maskSecret } from '../../src/rules/mask.js';
import { applies, claimSecrets, findSecrets, maskSecretsInLine, type RuleMatch } from '../../src/rules/match.js';
import { keywordAutomaton } from '../../src/rules/prefilter.js';
import { secretRules } from '../../src/rules/secrets.js';
import type { LineRule } from '../../src/rules/types.js';
import { mutatedLine, ruleLikeLine, sampleLines, type SampleLine } from './fixtures/sample-lines.js';

/** Each secrets rule without `needs`: its pattern runs whenever it is woken, as before. */
const ungated = new Map<LineRule, LineRule>(secretRules().map((r) => [r, Object.create(r, { needs: { value: undefined } }) as LineRule]));
const byKeyword = new Map<string, LineRule[]>();
for (const r of secretRules()) for (const k of r.keywords) byKeyword.set(k, [...(byKeyword.get(k) ?? []), r]);
const automaton = keywordAutomaton(byKeyword);

/** findSecrets as it was: the rules that apply to `path` claim first, then the others take what is left. */
function formerSecrets(text: string, path: string): RuleMatch[] {
  const woken = automaton.find(text.toLowerCase());
  const rules = secretRules().filter((r) => woken.has(r));
  const own = claimSecrets(text, rules.filter((r) => applies(r, path)).map((r) => ungated.get(r)!));
  const others = claimSecrets(text, rules.filter((r) => !applies(r, path)).map((r) => ungated.get(r)!));
  const free = others.filter((o) => own.every((k) => k.end <= o.start || k.start >= o.end));
  return [...own, ...free].sort((a, b) => a.start - b.start);
}

const shape = (matches: RuleMatch[]) => matches.map((m) => ({ rule: m.rule.id, start: m.start, end: m.end, value: m.value }));

function sameAsBefore({ text, path }: SampleLine): void {
  const before = formerSecrets(text, path);
  expect(shape(findSecrets(text, path)), `${path}: ${text}`).toEqual(shape(before));
  expect(maskSecretsInLine(text, path)).toBe(replaceRanges(text, before, (m) => maskSecret(text.slice(m.start, m.end))));
}

const samples = sampleLines();
const PATHS = ['', 'src/app.ts', '.env', 'deploy/secret.yaml', 'nuget.config', 'config/settings.conf', 'test/fixtures/a.py'];

describe('masking', () => {
  it('finds and masks what it did before on every sample line, under its path and under none', () => {
    let found = 0;
    for (const s of samples) {
      sameAsBefore(s);
      sameAsBefore({ text: s.text, path: '' });
      if (findSecrets(s.text, s.path).length > 0) found++;
    }
    // the comparison is not empty: the samples hold hundreds of secrets
    expect(found).toBeGreaterThan(300);
  });

  it('finds and masks what it did before on built lines and near misses of the samples', () => {
    fc.assert(
      fc.property(fc.oneof(ruleLikeLine.chain((text) => fc.constantFrom(...PATHS).map((path) => ({ text, path }))), mutatedLine(samples)), (s) => {
        sameAsBefore(s);
      }),
      { numRuns: 1500 },
    );
  });
});
