// parseDiff on hand-written input for what git output rarely shows: odd but legal layouts and damaged text.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiffReader, parseDiff } from '../../src/diff/parse.js';
import { syntheticDiff } from '../../bench/synthetic.js';

const lines = (...l: string[]): string => l.join('\n') + '\n';

describe('parseDiff', () => {
  it('counts a hunk by its header, so a deleted "-- x" line is not taken for a file header', () => {
    const [file, next] = parseDiff(
      lines(
        'diff --git a/notes.md b/notes.md',
        'index 1111111..2222222 100644',
        '--- a/notes.md',
        '+++ b/notes.md',
        '@@ -1,2 +1 @@',
        '--- a/fake',
        '-+++ b/fake',
        '+real',
        'diff --git a/z.txt b/z.txt',
        'deleted file mode 100644',
      ),
    );
    expect(file!.hunks[0]!.lines).toEqual([
      { kind: 'del', text: '-- a/fake', oldLine: 1 },
      { kind: 'del', text: '+++ b/fake', oldLine: 2 },
      { kind: 'add', text: 'real', newLine: 1 },
    ]);
    expect(next).toMatchObject({ path: 'z.txt', status: 'deleted' });
  });

  it('reads hunk headers without counts and keeps the function heading', () => {
    const [file] = parseDiff(lines('diff --git a/a.c b/a.c', '--- a/a.c', '+++ b/a.c', '@@ -3 +3 @@ int main(void)', '-x', '+y'));
    expect(file!.hunks[0]).toMatchObject({ oldStart: 3, oldLines: 1, newStart: 3, newLines: 1, heading: 'int main(void)' });
  });

  it('takes an empty line inside a hunk as a context line whose space was stripped', () => {
    const [file] = parseDiff(lines('diff --git a/a b/a', '--- a/a', '+++ b/a', '@@ -1,3 +1,3 @@', ' x', '', '-y', '+z'));
    expect(file!.hunks[0]!.lines[1]).toEqual({ kind: 'context', text: '', oldLine: 2, newLine: 2 });
    expect(file!.added).toBe(1);
  });

  it('reads a diff whose every line ends in CRLF', () => {
    const text = lines('diff --git a/w.txt b/w.txt', 'index 1..2 100644', '--- a/w.txt', '+++ b/w.txt', '@@ -1 +1 @@', '-a', '+b').replace(/\n/g, '\r\n');
    const [file] = parseDiff(text);
    expect(file).toMatchObject({ path: 'w.txt', crlf: true, added: 1, removed: 1 });
    expect(file!.hunks[0]!.lines.map((l) => l.text)).toEqual(['a', 'b']);
  });

  it('resolves a rename from a quoted old name to an unquoted new one', () => {
    const [file] = parseDiff(
      lines('diff --git "a/t\\tab" b/tab', 'similarity index 100%', 'rename from "t\\tab"', 'rename to tab'),
    );
    expect(file).toMatchObject({ path: 'tab', oldPath: 't\tab', status: 'renamed', similarity: 100 });
  });

  it('accepts the mnemonic prefixes of diff.mnemonicPrefix', () => {
    const [file] = parseDiff(lines('diff --git c/x y.txt i/x y.txt', 'old mode 100644', 'new mode 100755'));
    expect(file).toMatchObject({ path: 'x y.txt', status: 'modified', newMode: '100755' });
  });

  it('reports a regular file turned into a symlink under one header as type-changed', () => {
    const [file] = parseDiff(lines('diff --git a/l b/l', 'old mode 100644', 'new mode 120000'));
    expect(file!.status).toBe('type-changed');
  });

  it('skips text before the first file, such as a commit header', () => {
    const files = parseDiff(lines('commit abc', 'Author: t', '', '    message', 'diff --git a/a b/a', '--- a/a', '+++ b/a', '@@ -1 +1 @@', '-a', '+b'));
    expect(files.map((f) => f.path)).toEqual(['a']);
  });

  it('reads binary files in a combined diff', () => {
    const [file] = parseDiff(lines('diff --cc logo.png', 'index 1,2..3', 'Binary files differ'));
    expect(file).toMatchObject({ path: 'logo.png', binary: true, hunks: [] });
  });

  it('reads the mode line of a combined diff against the first parent', () => {
    const [file] = parseDiff(lines('diff --cc run.sh', 'mode 100644,100755..100755', 'index 1,2..3'));
    expect(file).toMatchObject({ path: 'run.sh', oldMode: '100644', newMode: '100755', status: 'modified' });
  });

  it('returns nothing for empty input', () => {
    expect(parseDiff('')).toEqual([]);
    expect(parseDiff('\n')).toEqual([]);
  });

  it('reads the synthetic benchmark diff with exact totals', () => {
    const files = parseDiff(syntheticDiff({ files: 40, changedLines: 900, seed: 3 }));
    expect(files).toHaveLength(40);
    expect(files.reduce((n, f) => n + f.added + f.removed, 0)).toBe(900);
    for (const file of files) {
      for (const hunk of file.hunks) {
        expect(hunk.lines.filter((l) => l.kind !== 'add')).toHaveLength(hunk.oldLines);
        expect(hunk.lines.filter((l) => l.kind !== 'del')).toHaveLength(hunk.newLines);
      }
    }
  });

  it('never throws, whatever the text', () => {
    const diffish = fc.constantFrom(
      'diff --git a/x b/x',
      'diff --git "a/\\303" b/y',
      'diff --cc m',
      '@@ -1,2 +1,2 @@',
      '@@@ -1 -1 +1 @@@',
      '@@ -x +y @@',
      '--- a/x',
      '+++ "b/unterminated',
      'rename from "\\',
      'GIT binary patch',
      '\\ No newline at end of file',
      '+add',
      '-del',
      ' ctx',
      '++both',
      ' -other',
      '',
      '\r',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(diffish, fc.string()), { maxLength: 40 }), (parts) => {
        const files = parseDiff(parts.join('\n'));
        for (const f of files) expect(f.added).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same files read in pieces of whole lines (DiffReader) as from the whole text, whatever the text', () => {
    const read = (lines: string[], cuts: number[]) => {
      const reader = new DiffReader();
      let from = 0;
      for (const cut of [...new Set(cuts.map((c) => c % Math.max(1, lines.length)))].sort((a, b) => a - b)) {
        reader.push(lines.slice(from, cut).map((l) => `${l}\n`).join(''));
        from = cut;
      }
      reader.push(lines.slice(from).join('\n'));
      return reader.end();
    };
    const line = fc.oneof(
      fc.constantFrom('diff --git a/x b/x', 'diff --cc m', 'diff x', '@@ -1,2 +1,2 @@', '@@@ -1 -1 +1 @@@', '--- a/x', '+++ b/x', 'new file mode 100644', '\\ No newline at end of file', '+add', '-del', ' ctx', ' diff --git a/y b/y', '+diff --git a/z b/z', '', '\r'),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 8 }), (lines, cuts) => {
        expect(read(lines, cuts)).toEqual(parseDiff(lines.join('\n')));
      }),
      { numRuns: 300 },
    );
    const synthetic = syntheticDiff({ files: 40, changedLines: 900, seed: 5 }).split('\n');
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 30 }), (cuts) => {
        expect(read(synthetic, cuts)).toEqual(parseDiff(synthetic.join('\n')));
      }),
      { numRuns: 50 },
    );
  });

  it('parses 100,000 changed lines over 2,000 files (its speed is measured by npm run bench, not here)', () => {
    const text = syntheticDiff({ files: 2000, changedLines: 100_000, seed: 9 });
    const files = parseDiff(text);
    expect(files).toHaveLength(2000);
    expect(files.reduce((n, f) => n + f.added + f.removed, 0)).toBe(100_000);
  });
});
