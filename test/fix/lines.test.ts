import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyFixes, canonicalReplacement, joinLines, OverlappingFixesError, replacementLines, splitLines } from '../../src/fix/lines.js';
import type { Fix } from '../../src/types.js';

const fix = (startLine: number, endLine: number, replacement: string): Fix => ({ startLine, endLine, replacement });

describe('lines', () => {
  it('keeps every line terminator: LF, CRLF, mixed, and a last line without one', () => {
    for (const text of ['', 'a', 'a\n', 'a\r\nb\r\n', 'a\nb\r\nc', '\n\n', 'x\r\n\r\ny']) {
      expect(joinLines(splitLines(text))).toBe(text);
    }
    expect(splitLines('a\r\nb')).toEqual([
      { text: 'a', eol: '\r\n' },
      { text: 'b', eol: '' },
    ]);
  });

  it('reads a replacement as lines: empty is none, a final newline is optional, CR is dropped', () => {
    expect(replacementLines('')).toEqual([]);
    expect(replacementLines('\n')).toEqual(['']);
    expect(replacementLines('a')).toEqual(['a']);
    expect(replacementLines('a\nb\n')).toEqual(['a', 'b']);
    expect(replacementLines('a\r\nb')).toEqual(['a', 'b']);
    expect(canonicalReplacement('a\nb')).toBe('a\nb\n');
    expect(canonicalReplacement('')).toBe('');
  });
});

describe('applyFixes', () => {
  it('replaces, inserts around and deletes lines by their numbers in the original', () => {
    const text = 'one\ntwo\nthree\nfour\n';
    expect(applyFixes(text, [fix(2, 2, 'TWO\n')])).toBe('one\nTWO\nthree\nfour\n');
    expect(applyFixes(text, [fix(2, 3, '')])).toBe('one\nfour\n');
    expect(applyFixes(text, [fix(1, 1, 'zero\none\n'), fix(4, 4, 'FOUR\n')])).toBe('zero\none\ntwo\nthree\nFOUR\n');
  });

  it('gives new lines the file’s own line ending and keeps a missing final newline missing', () => {
    expect(applyFixes('a\r\nb\r\n', [fix(1, 1, 'x\ny\n')])).toBe('x\r\ny\r\nb\r\n');
    expect(applyFixes('a\nb', [fix(2, 2, 'B\nC\n')])).toBe('a\nB\nC');
    expect(applyFixes('a\nb', [fix(2, 2, '')])).toBe('a\n');
  });

  it('refuses overlapping fixes and lines past the end', () => {
    expect(() => applyFixes('a\nb\nc\n', [fix(1, 2, 'x\n'), fix(2, 3, 'y\n')])).toThrow(OverlappingFixesError);
    expect(() => applyFixes('a\n', [fix(2, 2, 'x\n')])).toThrow(RangeError);
  });

  /** Any file, and fixes over disjoint ranges of it with any replacement (deletions included). */
  const fileAndFixes = fc
    .array(fc.oneof(fc.constantFrom('', 'x', '  y;', 'é', '}'), fc.string({ maxLength: 6 }).map((s) => s.replace(/[\r\n]/g, ''))), {
      minLength: 1,
      maxLength: 30,
    })
    .chain((lines) =>
      fc.record({
        lines: fc.constant(lines),
        eol: fc.constantFrom('\n', '\r\n'),
        finalNewline: fc.boolean(),
        cuts: fc.uniqueArray(fc.integer({ min: 1, max: lines.length }), { maxLength: 12 }),
        replacements: fc.array(fc.array(fc.constantFrom('', 'new', '\tz', 'ü ü'), { maxLength: 3 }), { minLength: 12, maxLength: 12 }),
        keep: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
      }),
    )
    .map(({ lines, eol, finalNewline: asked, cuts, replacements, keep }) => {
      // An empty last line exists only before a final newline.
      const finalNewline = asked || lines.at(-1) === '';
      const text = lines.join(eol) + (finalNewline ? eol : '');
      // Sorted cut points delimit disjoint ranges [cut_i, cut_{i+1} - 1]; some of them are kept as fixes.
      const points = [...cuts].sort((a, b) => a - b);
      const fixes: Fix[] = [];
      points.forEach((start, i) => {
        const end = (points[i + 1] ?? lines.length + 1) - 1;
        if (keep[i]) fixes.push(fix(start, end, replacements[i]!.map((l) => `${l}\n`).join('')));
      });
      return { text, lines, eol, finalNewline, fixes };
    });

  it('property: non-overlapping fixes give the same file in any order, the file a line-by-line rewrite gives', () => {
    fc.assert(
      fc.property(fileAndFixes, fc.func(fc.integer()), ({ text, lines, eol, finalNewline, fixes }, rank) => {
        const shuffled = [...fixes].sort((a, b) => rank(a.startLine) - rank(b.startLine) || a.startLine - b.startLine);
        const reversed = [...fixes].reverse();
        const result = applyFixes(text, fixes);
        expect(applyFixes(text, shuffled)).toBe(result);
        expect(applyFixes(text, reversed)).toBe(result);
        // Applied one at a time, last range first (so earlier numbers still hold): the same file again.
        const oneByOne = [...fixes].sort((a, b) => b.startLine - a.startLine).reduce((t, f) => applyFixes(t, [f]), text);
        expect(oneByOne).toBe(result);
        // The oracle: walk the original lines, writing each fix's lines where its range starts.
        const out: string[] = [];
        for (let n = 1; n <= lines.length; n++) {
          const f = fixes.find((x) => n >= x.startLine && n <= x.endLine);
          if (!f) out.push(lines[n - 1]!);
          else if (n === f.startLine) out.push(...replacementLines(f.replacement));
        }
        const lastKept = out.length > 0;
        const tail = !finalNewline ? fixes.find((f) => f.endLine === lines.length) : undefined;
        const tailLines = tail ? replacementLines(tail.replacement) : undefined;
        // Removing the unterminated last line, or ending the file with an empty line, leaves a final newline.
        const deletedTail = tailLines !== undefined && (tailLines.length === 0 || tailLines.at(-1) === '');
        // A file without any line ending gets the usual "\n" for the lines a fix adds.
        const fileEol = text.includes('\n') ? eol : '\n';
        const ending = !lastKept ? '' : finalNewline || deletedTail ? fileEol : '';
        expect(result).toBe(out.join(fileEol) + ending);
      }),
      { numRuns: 400 },
    );
  });
});
