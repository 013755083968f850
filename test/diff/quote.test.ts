import { describe, expect, it } from 'vitest';
import { escapeControl, readQuoted, unquoteField } from '../../src/diff/quote.js';

describe('readQuoted', () => {
  it('decodes octal escapes as UTF-8 bytes', () => {
    expect(readQuoted('"h\\303\\251llo.txt" rest', 0)).toEqual({ value: 'héllo.txt', end: 18 });
  });

  it('decodes the letter escapes git uses', () => {
    expect(readQuoted('"a\\tb\\nc\\"d\\\\e"', 0)?.value).toBe('a\tb\nc"d\\e');
  });

  it('keeps raw non-ASCII text (core.quotePath=false) next to escapes', () => {
    expect(readQuoted('"café\\tmenu"', 0)?.value).toBe('café\tmenu');
  });

  it('turns bytes that are not UTF-8 into replacement characters instead of failing', () => {
    expect(readQuoted('"caf\\351"', 0)?.value).toBe('caf\uFFFD');
  });

  it('returns null for an unterminated string or one that does not start with a quote', () => {
    expect(readQuoted('"abc', 0)).toBeNull();
    expect(readQuoted('"abc\\', 0)).toBeNull();
    expect(readQuoted('abc"', 0)).toBeNull();
  });
});

describe('unquoteField', () => {
  it('unquotes a quoted field and leaves an unquoted one alone', () => {
    expect(unquoteField('"a/\\346\\227\\245.md"')).toBe('a/日.md');
    expect(unquoteField('a/my file.txt')).toBe('a/my file.txt');
  });

  it('leaves a field alone when the quote does not span all of it', () => {
    expect(unquoteField('"a" b')).toBe('"a" b');
  });
});

describe('escapeControl', () => {
  it('escapes control characters so a name stays on one line', () => {
    expect(escapeControl('a\nb\tc\rd\u0001')).toBe('a\\nb\\tc\\rd\\x01');
    expect(escapeControl('plain/name.ts')).toBe('plain/name.ts');
    expect(escapeControl('a\u2028b\u2029c\u0085d')).toBe('a\\u2028b\\u2029c\\u0085d');
  });
});
