// The estimate against real tokenizers, on the text it is used for: diff units rendered from code in several
// languages (fixtures written for this test), minified JS, non-Latin scripts and long identifiers.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { encode as encodeO200k } from 'gpt-tokenizer';
import { encode as encodeCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { describe, expect, it } from 'vitest';
import { syntheticDiff } from '../../bench/synthetic.js';
import { parseDiff } from '../../src/diff/parse.js';
import { renderUnit } from '../../src/diff/render.js';
import { estimateTokens, tokenCost } from '../../src/diff/tokens.js';
import type { DiffLine, UnitFile } from '../../src/types.js';

const FIXTURES = ['sample.ts.txt', 'sample.py.txt', 'sample.go.txt', 'sample.min.js.txt', 'unicode.txt', 'long-identifiers.ts.txt'];

/** A fixture as the model would see it: a hunk where every third line is added, the rest context. */
function asUnit(name: string): string {
  const source = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').replace(/\n$/, '').split('\n');
  const lines: DiffLine[] = source.map((text, i) =>
    i % 3 === 0 ? { kind: 'add', text, newLine: i + 1 } : { kind: 'context', text, oldLine: i + 1, newLine: i + 1 },
  );
  const file: UnitFile = {
    path: `src/${name.replace(/\.txt$/, '')}`,
    status: 'modified',
    hunks: [{ oldStart: 1, oldLines: lines.length, newStart: 1, newLines: lines.length, heading: '', lines }],
  };
  return renderUnit([file]);
}

function syntheticUnit(): string {
  const files = parseDiff(syntheticDiff({ files: 12, changedLines: 400, seed: 5 }));
  return renderUnit(files.map((f) => ({ path: f.path, status: f.status, hunks: f.hunks })));
}

const SAMPLES: [string, string][] = [...FIXTURES.map((name): [string, string] => [name, asUnit(name)]), ['synthetic diff', syntheticUnit()]];

describe('estimateTokens', () => {
  it.each(SAMPLES)('is within -5%..+35%% of o200k on %s', (_name, text) => {
    const ratio = estimateTokens(text) / encodeO200k(text).length;
    expect(ratio).toBeGreaterThanOrEqual(0.95);
    expect(ratio).toBeLessThanOrEqual(1.35);
    expect(estimateTokens(text, 'gpt-4o-mini')).toBe(estimateTokens(text));
  });

  it.each(SAMPLES)('is within -5%..+40%% of cl100k for the qwen / deepseek / llama family on %s', (_name, text) => {
    const ratio = estimateTokens(text, 'qwen2.5-coder:7b') / encodeCl100k(text).length;
    expect(ratio).toBeGreaterThanOrEqual(0.95);
    expect(ratio).toBeLessThanOrEqual(1.4);
  });

  it('is more careful for models whose tokenizer it cannot measure', () => {
    const text = asUnit('unicode.txt');
    expect(estimateTokens(text, 'claude-sonnet-4-5')).toBeGreaterThan(estimateTokens(text, 'deepseek-coder'));
    expect(estimateTokens(text, 'deepseek-coder')).toBeGreaterThan(estimateTokens(text, 'gpt-4o'));
    expect(estimateTokens(text, 'some-new-model')).toBe(estimateTokens(text, 'claude-3-haiku'));
  });

  it('counts nothing for nothing and something for any character', () => {
    expect(estimateTokens('')).toBe(0);
    fc.assert(fc.property(fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''), (s) => estimateTokens(s) >= 1));
  });

  it('adds up exactly across joined lines', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.constantFrom(undefined, 'qwen2.5-coder', 'claude-opus-4'), (a, b, model) => {
        expect(tokenCost(`${a}\n${b}`, model)).toBe(tokenCost(a, model) + tokenCost('\n', model) + tokenCost(b, model));
      }),
      { numRuns: 300 },
    );
  });
});
