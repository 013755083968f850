// The patch fix prints and applies: git's own format, taken by the real `git apply`, giving what applyFixes gives.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFixes } from '../../src/fix/lines.js';
import { buildPatch, quotePath } from '../../src/fix/patch.js';
import { readQuoted } from '../../src/diff/quote.js';
import type { Fix } from '../../src/types.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'codeai-patch-'));
  execFileSync('git', ['init', '-q'], { cwd: dir });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fix = (startLine: number, endLine: number, replacement: string): Fix => ({ startLine, endLine, replacement });

/** Writes `content` at `rel`, applies the patch with git, and returns the file's new bytes (or git's error). */
function gitApply(rel: string, content: string, patch: string): string {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  const r = spawnSync('git', ['apply', '--whitespace=nowarn', '-'], { cwd: dir, input: patch, encoding: 'utf8' });
  if (r.status !== 0) return `git apply failed: ${r.stderr}`;
  return readFileSync(file, 'utf8');
}

const OID = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';

describe('buildPatch', () => {
  it('writes git’s format: header with the mode, hunks with three lines of context, merged where they meet', () => {
    const content = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const patch = buildPatch({ path: 'src/a.txt', mode: '100644', oid: OID, content }, [fix(5, 5, 'five\n'), fix(9, 9, ''), fix(18, 19, 'x\n')]);
    expect(patch.split('\n').slice(0, 5)).toEqual([
      'diff --git a/src/a.txt b/src/a.txt',
      `index ${OID.slice(0, 12)}..${patch.split('\n')[1]!.split('..')[1]!.slice(0, 12)} 100644`,
      '--- a/src/a.txt',
      '+++ b/src/a.txt',
      '@@ -2,11 +2,10 @@',
    ]);
    expect(patch).toContain('\n-line 5\n+five\n');
    expect(patch).toContain('@@ -15,6 +14,5 @@');
    expect(gitApply('src/a.txt', content, patch)).toBe(applyFixes(content, [fix(5, 5, 'five\n'), fix(9, 9, ''), fix(18, 19, 'x\n')]));
  });

  it('computes the new blob id as git would', () => {
    const patch = buildPatch({ path: 'a.txt', mode: '100644', oid: OID, content: 'a\n' }, [fix(1, 1, 'b\n')]);
    const expected = execFileSync('git', ['hash-object', '--stdin'], { input: 'b\n', encoding: 'utf8' }).trim();
    expect(patch).toContain(`index ${OID.slice(0, 12)}..${expected.slice(0, 12)} 100644`);
  });

  it('property: git apply takes the patch and gives what applyFixes gives (CRLF, no final newline, deletions)', () => {
    const arb = fc
      .record({
        lines: fc.array(fc.constantFrom('a', 'b', '', '  c;', 'ü'), { minLength: 1, maxLength: 14 }),
        crlf: fc.boolean(),
        finalNewline: fc.boolean(),
        cuts: fc.uniqueArray(fc.integer({ min: 1, max: 14 }), { maxLength: 5 }),
        keep: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        texts: fc.array(fc.array(fc.constantFrom('X', '', ' y'), { maxLength: 3 }), { minLength: 5, maxLength: 5 }),
      })
      .map(({ lines, crlf, finalNewline, cuts, keep, texts }) => {
        const eol = crlf ? '\r\n' : '\n';
        const content = lines.join(eol) + (finalNewline || lines.at(-1) === '' ? eol : '');
        const points = cuts.filter((c) => c <= lines.length).sort((a, b) => a - b);
        const fixes = points.flatMap((start, i) => (keep[i] ? [fix(start, (points[i + 1] ?? lines.length + 1) - 1, texts[i]!.map((t) => `${t}\n`).join(''))] : []));
        return { content, fixes };
      })
      .filter(({ content, fixes }) => fixes.length > 0 && applyFixes(content, fixes) !== content);
    fc.assert(
      fc.property(arb, ({ content, fixes }) => {
        const patch = buildPatch({ path: 'p/file.txt', mode: '100644', oid: OID, content }, fixes);
        expect(gitApply('p/file.txt', content, patch)).toBe(applyFixes(content, fixes));
      }),
      { numRuns: 40 },
    );
  });

  it('quotes hostile file names the way git reads them back', () => {
    const names = ['plain/name.ts', 'with space.ts', 'quote"d.ts', 'back\\slash.ts', 'new\nline.ts', 'tab\there.ts', 'ünï/cödé.ts', '-dash.ts'];
    for (const name of names) {
      const quoted = quotePath(`a/${name}`);
      const read = quoted.startsWith('"') ? readQuoted(quoted, 0)?.value : quoted;
      expect(read, name).toBe(`a/${name}`);
      if (/[\n\t"\\]|[^\x20-\x7e]/.test(name)) expect(quoted.startsWith('"')).toBe(true);
    }
    for (const name of ['with space.ts', 'quote"d.ts', 'ünï/cödé.ts', 'new\nline.ts']) {
      const patch = buildPatch({ path: name, mode: '100644', oid: OID, content: 'a\n' }, [fix(1, 1, 'b\n')]);
      expect(gitApply(name, 'a\n', patch), name).toBe('b\n');
    }
  });
});
