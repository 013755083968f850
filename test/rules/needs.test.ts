// A rule's `needs` skips its pattern on lines without the text the pattern cannot match without. It must only ever
// skip lines the pattern would not have matched: these tests look for a match on a line that lacks what a rule
// says it needs, on every line of the rule tests and on lines built to be near misses of the patterns.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineRules } from '../../src/rules/scan.js';
import type { LineRule } from '../../src/rules/types.js';
import { mutatedLine, ruleLikeLine, sampleLines } from './fixtures/sample-lines.js';

type Gated = LineRule & Required<Pick<LineRule, 'needs'>>;
const gated = lineRules().filter((r): r is Gated => r.needs !== undefined);
const samples = sampleLines();

const holds = (text: string, needs: ReadonlyArray<readonly string[]>) => needs.every((group) => group.some((s) => text.includes(s)));

/** The pattern matches `text` somewhere, as the scanner would run it (every match, not only the first). */
const patterns = new Map<LineRule, RegExp>(gated.map((r) => [r, r.pattern()]));
const patternMatches = (rule: LineRule, text: string) => patterns.get(rule)!.test(text);

describe('needs', () => {
  it('is given to the rules woken by everyday words, and not to a rule without keywords', () => {
    expect(gated.map((r) => r.id).sort()).toEqual(
      ['env-file', 'generic-secret', 'generic-secret-unquoted', 'kubernetes-secret-value', 'password-literal', 'sql-injection'].sort(),
    );
    for (const rule of gated) for (const group of rule.needs) expect(group.length, rule.id).toBeGreaterThan(0);
  });

  it.each(gated.map((r) => [r.id, r] as const))('%s: holds on every sample line its pattern matches', (_id, rule) => {
    const matching = samples.filter((s) => patternMatches(rule, s.text));
    // the check is not empty: the rule's own examples match
    expect(matching.length).toBeGreaterThan(0);
    for (const s of matching) expect(holds(s.text, rule.needs), s.text).toBe(true);
  });

  it.each(gated.map((r) => [r.id, r] as const))('%s: no longer matches a sample line once a group of what it needs is taken out', (_id, rule) => {
    for (const s of samples.filter((x) => patternMatches(rule, x.text))) {
      for (const group of rule.needs) {
        const without = group.reduce((text, needed) => text.split(needed).join(''), s.text);
        expect(patternMatches(rule, without), `${s.text} without ${group.join(' ')}`).toBe(false);
      }
    }
  });

  it.each(gated.map((r) => [r.id, r] as const))('%s: holds on every built line its pattern matches', (_id, rule) => {
    fc.assert(
      fc.property(fc.oneof(ruleLikeLine, mutatedLine(samples).map((s) => s.text)), (text) => !patternMatches(rule, text) || holds(text, rule.needs)),
      { numRuns: 3000 },
    );
  });
});
