import { describe, expect, it } from 'vitest';
import { contextView, DECLARATIONS_HEADING, topLevel, widenFile } from '../../src/diff/context.js';
import { parseDiff } from '../../src/diff/parse.js';
import type { DiffFile, Hunk } from '../../src/types.js';

/** A function of `n` numbered body lines, the line `return total;` at `changeAt` (1-based body line) changed. */
function source(n: number, extra = ''): string[] {
  const body = Array.from({ length: n }, (_, i) => `  step${i + 1}(total);`);
  return [`const LIMIT = 10;${extra}`, '', 'function sum(items) {', '  let total = null;', ...body, '  return total;', '}', ''];
}

/** A unified diff of `before` → `after` at the given context (the shape git prints), one hunk. */
function diffOf(before: string[], after: string[], context: number, path = 'src/sum.js'): DiffFile {
  const first = before.findIndex((l, i) => l !== after[i]);
  let lastBefore = before.length - 1;
  let lastAfter = after.length - 1;
  while (lastBefore > first && lastAfter > first && before[lastBefore] === after[lastAfter]) {
    lastBefore--;
    lastAfter--;
  }
  const start = Math.max(0, first - context);
  const endBefore = Math.min(before.length - 1, lastBefore + context);
  const lines: string[] = [];
  for (let i = start; i < first; i++) lines.push(` ${before[i]}`);
  for (let i = first; i <= lastBefore; i++) lines.push(`-${before[i]}`);
  for (let i = first; i <= lastAfter; i++) lines.push(`+${after[i]}`);
  for (let i = lastBefore + 1; i <= endBefore; i++) lines.push(` ${before[i]}`);
  const olds = lines.filter((l) => !l.startsWith('+')).length;
  const news = lines.filter((l) => !l.startsWith('-')).length;
  const text = [
    `diff --git a/${path} b/${path}`,
    `--- a/${path}`,
    `+++ b/${path}`,
    `@@ -${start + 1},${olds} +${start + 1},${news} @@ function sum(items) {`,
    ...lines,
    '',
  ].join('\n');
  return parseDiff(text)[0]!;
}

function change(n: number) {
  const before = source(n);
  const after = before.map((l) => (l === '  return total;' ? '  return total.length + LIMIT;' : l));
  // As --function-context shows it: back to the function's first line (line 3), forward to the file's end.
  return { before, after, normal: diffOf(before, after, 3), wide: diffOf(before, after, n + 2), newText: after.join('\n') };
}

function shown(hunks: Hunk[]): number[] {
  return hunks.flatMap((h) => h.lines.filter((l) => l.kind !== 'del').map((l) => l.newLine!));
}

describe('widenFile', () => {
  it('adds the enclosing function at level 2 and the declaration of a name the change uses at level 3', () => {
    const { normal, wide, newText } = change(20);
    const file = widenFile({ file: normal, wide, newText, contextLines: 3 });
    expect(topLevel(file)).toBe(3);
    // level 0 is the diff itself
    expect(contextView(file, 0).map((h) => h.lines.map((l) => l.text))).toEqual(normal.hunks.map((h) => h.lines.map((l) => l.text)));
    const scope = contextView(file, 2);
    expect(shown(scope)).toContain(4); // let total = null;
    expect(shown(scope)).toContain(3); // function sum(items) {
    expect(shown(scope)).not.toContain(1);
    const all = contextView(file, 3);
    const declaration = all.find((h) => h.heading === DECLARATIONS_HEADING)!;
    expect(declaration.lines).toEqual([{ kind: 'context', text: 'const LIMIT = 10;', oldLine: 1, newLine: 1, level: 3 }]);
    expect(all[0]).toBe(declaration); // in file order
  });

  it('caps the scope at 60 lines before the change, keeping the scope header above the gap at level 1', () => {
    const { normal, wide, newText } = change(100);
    const file = widenFile({ file: normal, wide, newText, contextLines: 3 });
    const changed = 4 + 100 + 1; // new-side line of the return
    const lines = shown(contextView(file, 2));
    expect(lines).toContain(3); // the header, far above
    expect(lines).not.toContain(4); // the body's first line is 101 lines up: beyond the cap
    expect(Math.min(...lines.filter((n) => n > 3))).toBe(changed - 60);
    const near = shown(contextView(file, 1));
    expect(near).toContain(3);
    expect(Math.min(...near.filter((n) => n > 3))).toBe(changed - 15);
  });

  it('never drops a changed line at any level, and every view numbers its hunks by the lines it shows', () => {
    const { normal, wide, newText } = change(80);
    const file = widenFile({ file: normal, wide, newText, contextLines: 3 });
    for (const level of [0, 1, 2, 3] as const) {
      const hunks = contextView(file, level);
      const changed = hunks.flatMap((h) => h.lines.filter((l) => l.kind !== 'context').map((l) => `${l.kind}${l.text}`));
      expect(changed).toEqual(['del  return total;', 'add  return total.length + LIMIT;']);
      for (const h of hunks) {
        expect(h.oldLines).toBe(h.lines.filter((l) => l.kind !== 'add').length);
        expect(h.newLines).toBe(h.lines.filter((l) => l.kind !== 'del').length);
        const first = h.lines.find((l) => l.kind !== 'del');
        if (first) expect(h.newStart).toBe(first.newLine);
      }
    }
  });

  it('keeps the diff as it is when the function-context diff shows other changes, or there is nothing to add', () => {
    const { normal, newText } = change(10);
    const other = change(12).wide;
    const file = widenFile({ file: normal, wide: other, contextLines: 3 });
    expect(file).toBe(normal);
    const withDeclarations = widenFile({ file: normal, wide: other, newText, contextLines: 3 });
    expect(shown(contextView(withDeclarations, 2))).toEqual(shown(normal.hunks));
  });

  it('a deleted file, a binary file and an added file have no wider context', () => {
    const { normal } = change(10);
    expect(widenFile({ file: { ...normal, status: 'deleted' }, contextLines: 3, newText: 'x' })).toEqual({ ...normal, status: 'deleted' });
    const binary = { ...normal, binary: true, hunks: [] };
    expect(widenFile({ file: binary, contextLines: 3 })).toBe(binary);
    // Every line of a new file is in its diff (so session/scope-context.ts reads nothing wider for one): its
    // function-context diff and its whole text add nothing, the declarations it uses included.
    const content = [...source(10), 'const after = LIMIT + sum([]);', ''].join('\n');
    const lines = content.split('\n').slice(0, -1);
    const added = parseDiff(
      ['diff --git a/src/new.js b/src/new.js', 'new file mode 100644', '--- /dev/null', '+++ b/src/new.js', `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`), ''].join('\n'),
    )[0]!;
    expect(added.status).toBe('added');
    expect(widenFile({ file: added, wide: added, newText: content, contextLines: 3 })).toBe(added);
  });

  it('places declaration lines below changes with their old-side numbers shifted by the changes above them', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'function helper(x) {', '}'];
    const after = ['a', 'added1', 'added2', 'helper(b)', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'function helper(x) {', '}'];
    const normal = parseDiff(
      ['diff --git a/x.js b/x.js', '--- a/x.js', '+++ b/x.js', '@@ -1,4 +1,6 @@', ' a', '+added1', '+added2', '-b', '+helper(b)', ' c', ' d', ' e', ''].join('\n'),
    )[0]!;
    const file = widenFile({ file: normal, newText: after.join('\n'), contextLines: 3 });
    const declaration = file.hunks.at(-1)!;
    expect(declaration.lines).toEqual([{ kind: 'context', text: 'function helper(x) {', oldLine: 11, newLine: 13, level: 3 }]);
    expect(before[10]).toBe('function helper(x) {');
  });
});
