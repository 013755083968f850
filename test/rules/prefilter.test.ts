// The keyword prefilter looks keywords up one by one while little text has been read, then builds the automaton:
// both ways must wake exactly the same rules, on every line, before, at and after the switch.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keywordAutomaton, keywordFinder } from '../../src/rules/prefilter.js';
import { lineRules } from '../../src/rules/scan.js';
import type { LineRule } from '../../src/rules/types.js';
import { ruleLikeLine, sampleLines } from './fixtures/sample-lines.js';

const byKeyword = new Map<string, LineRule[]>();
for (const r of lineRules()) for (const k of r.keywords) byKeyword.set(k, [...(byKeyword.get(k) ?? []), r]);
const automaton = keywordAutomaton(byKeyword);
const ids = (woken: ReadonlySet<LineRule>) => [...woken].map((r) => r.id).sort();

/** Lines lower-cased as the callers do, with non-ASCII characters between keywords (the automaton resets on them). */
const line = fc.oneof(ruleLikeLine, fc.string({ maxLength: 40 }), fc.tuple(ruleLikeLine, fc.constantFrom('é', '\u2028', '☃', '𝒜'), ruleLikeLine).map((p) => p.join('')));

describe('keywordFinder', () => {
  it('wakes what the automaton wakes, keyword by keyword (no budget spent)', () => {
    const finder = keywordFinder([...byKeyword], Number.POSITIVE_INFINITY);
    for (const s of sampleLines()) expect(ids(finder.find(s.text.toLowerCase())), s.text).toEqual(ids(automaton.find(s.text.toLowerCase())));
    fc.assert(
      fc.property(line, (text) => {
        expect(ids(finder.find(text.toLowerCase()))).toEqual(ids(automaton.find(text.toLowerCase())));
      }),
      { numRuns: 500 },
    );
  });

  it('wakes the same rules before and after it switches to the automaton', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), fc.nat({ max: 200_000 }), (lines, budget) => {
        const finder = keywordFinder([...byKeyword], budget);
        for (const text of lines) expect(ids(finder.find(text.toLowerCase()))).toEqual(ids(automaton.find(text.toLowerCase())));
      }),
      { numRuns: 100 },
    );
  });

  it('switches to the automaton once the text read is worth it, and finds nothing in a line without keywords', () => {
    const finder = keywordFinder([['key', ['k']], ['sk-', ['s']]], 100);
    expect(finder.find('')).toEqual(new Set());
    expect(finder.find('a line with nothing')).toEqual(new Set());
    expect(finder.find('my key is sk-x')).toEqual(new Set(['k', 's']));
    expect(finder.find('x'.repeat(500) + 'sk-')).toEqual(new Set(['s']));
    expect(finder.find('keys')).toEqual(new Set(['k']));
  });
});
