import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkDiff, TRUNCATED_REASON } from '../../src/diff/chunk.js';
import { renderUnit } from '../../src/diff/render.js';
import { estimateTokens } from '../../src/diff/tokens.js';
import { ConfigError } from '../../src/errors.js';
import type { DiffFile, DiffLine, Hunk, ReviewUnit } from '../../src/types.js';

type Kind = DiffLine['kind'];

/** A hunk from line kinds and texts, numbered from the given starts the way git would. */
function hunk(oldStart: number, newStart: number, body: [Kind, string][]): Hunk {
  let o = oldStart;
  let n = newStart;
  const lines: DiffLine[] = body.map(([kind, text]) =>
    kind === 'add' ? { kind, text, newLine: n++ } : kind === 'del' ? { kind, text, oldLine: o++ } : { kind, text, oldLine: o++, newLine: n++ },
  );
  const oldLines = lines.filter((l) => l.kind !== 'add').length;
  const newLines = lines.filter((l) => l.kind !== 'del').length;
  return {
    oldStart: oldLines === 0 ? oldStart - 1 : oldStart,
    oldLines,
    newStart: newLines === 0 ? newStart - 1 : newStart,
    newLines,
    heading: '',
    lines,
  };
}

function diffFile(path: string, hunks: Hunk[], status: DiffFile['status'] = 'modified'): DiffFile {
  const all = hunks.flatMap((h) => h.lines);
  return {
    path,
    status,
    binary: false,
    hunks,
    added: all.filter((l) => l.kind === 'add').length,
    removed: all.filter((l) => l.kind === 'del').length,
  };
}

function code(n: number, prefix = 'line'): [Kind, string][] {
  return Array.from({ length: n }, (_, i): [Kind, string] => ['add', `const ${prefix}${i} = compute(${prefix}${i - 1}, ${i});`]);
}

/** Every add/del line of the input, keyed by file, kind and number. */
function changedKeys(files: { path: string; hunks: Hunk[] }[]): string[] {
  return files.flatMap((f) =>
    f.hunks.flatMap((h) => h.lines.filter((l) => l.kind !== 'context').map((l) => `${f.path}|${l.kind}|${l.kind === 'add' ? l.newLine : l.oldLine}`)),
  );
}

function expectWellFormed(units: ReviewUnit[], budget: number, model?: string): void {
  for (const unit of units) {
    expect(unit.text).toBe(renderUnit(unit.files));
    expect(unit.tokens).toBe(estimateTokens(unit.text, model));
    expect(unit.tokens).toBeLessThanOrEqual(budget);
    expect(unit.id).toBe(createHash('sha256').update(unit.text).digest('hex').slice(0, 16));
    for (const file of unit.files) {
      for (const h of file.hunks) {
        const olds = h.lines.filter((l) => l.oldLine !== undefined);
        const news = h.lines.filter((l) => l.newLine !== undefined);
        expect(h.oldLines).toBe(olds.length);
        expect(h.newLines).toBe(news.length);
        if (olds.length) expect(h.oldStart).toBe(olds[0]!.oldLine);
        if (news.length) expect(h.newStart).toBe(news[0]!.newLine);
      }
    }
  }
}

describe('chunkDiff', () => {
  it('packs small files into one unit in file order', () => {
    const files = [diffFile('a.ts', [hunk(1, 1, code(3))]), diffFile('b.ts', [hunk(5, 5, code(2))]), diffFile('c.ts', [hunk(1, 1, code(1))])];
    const { units, skipped } = chunkDiff(files, { budget: 24000 });
    expect(skipped).toEqual([]);
    expect(units).toHaveLength(1);
    expect(units[0]!.files.map((f) => f.path)).toEqual(['a.ts', 'b.ts', 'c.ts']);
    expect(units[0]!.files[0]!.part).toBeUndefined();
    expectWellFormed(units, 24000);
  });

  it('places each file in the first unit it fits (first fit)', () => {
    const big = diffFile('big.ts', [hunk(1, 1, code(30, 'big'))]);
    const budget = estimateTokens(renderUnit([{ path: 'big.ts', status: 'modified', hunks: big.hunks }])) + 40;
    const files = [big, diffFile('mid.ts', [hunk(1, 1, code(10, 'mid'))]), diffFile('tiny.ts', [hunk(1, 1, code(1, 't'))])];
    const { units } = chunkDiff(files, { budget });
    expect(units.map((u) => u.files.map((f) => f.path))).toEqual([['big.ts', 'tiny.ts'], ['mid.ts']]);
    expectWellFormed(units, budget);
  });

  it('splits a file larger than the budget at hunk boundaries, parts in order', () => {
    const hunks = Array.from({ length: 6 }, (_, i) => hunk(1 + i * 100, 1 + i * 100, [['context', 'ctx'], ...code(15, `h${i}_`), ['context', 'end']]));
    const files = [diffFile('split.ts', hunks), diffFile('after.ts', [hunk(1, 1, code(1))])];
    const { units, skipped } = chunkDiff(files, { budget: 600 });
    expect(skipped).toEqual([]);
    const parts = units.flatMap((u) => u.files).filter((f) => f.path === 'split.ts');
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((p) => p.part)).toEqual(parts.map((_, i) => ({ index: i + 1, total: parts.length })));
    // Whole hunks, each exactly once and in order.
    expect(parts.flatMap((p) => p.hunks)).toEqual(hunks);
    expect(units[0]!.text.split('\n')[0]).toBe(`File: split.ts (modified, part 1 of ${parts.length})`);
    expectWellFormed(units, 600);
  });

  it('splits one hunk larger than the budget at lines, with context overlap and correct headers', () => {
    const body: [Kind, string][] = [['context', 'first'], ...code(60, 'n'), ['del', 'old one'], ['del', 'old two'], ...code(60, 'm'), ['context', 'last']];
    const file = diffFile('one.ts', [hunk(10, 10, body)]);
    const { units } = chunkDiff([file], { budget: 300 });
    expect(units.length).toBeGreaterThan(2);
    expectWellFormed(units, 300);
    const subHunks = units.map((u) => u.files[0]!.hunks[0]!);
    expect(changedKeys(units.flatMap((u) => u.files)).sort()).toEqual(changedKeys([file]).sort());
    for (let i = 1; i < subHunks.length; i++) {
      const previous = subHunks[i - 1]!.lines.filter((l) => l.newLine !== undefined).slice(-3);
      const overlap = subHunks[i]!.lines.slice(0, previous.length);
      expect(overlap.every((l) => l.kind === 'context')).toBe(true);
      expect(overlap.map((l) => [l.newLine, l.text])).toEqual(previous.map((l) => [l.newLine, l.text]));
    }
    // A part that holds only deletions after its overlap still names the old lines it removes.
    const withDel = subHunks.find((h) => h.lines.some((l) => l.text === 'old one'))!;
    expect(withDel.oldStart).toBeLessThanOrEqual(11);
  });

  it('truncates a line longer than the whole budget, visibly, and reports it', () => {
    const long = 'x'.repeat(20_000);
    const file = diffFile('wide.ts', [hunk(1, 1, [['context', 'a'], ['add', long], ['add', 'b']])]);
    const { units, skipped } = chunkDiff([file], { budget: 250 });
    expect(skipped).toEqual([{ path: 'wide.ts', reason: TRUNCATED_REASON }]);
    expectWellFormed(units, 250);
    const cut = units.flatMap((u) => u.files[0]!.hunks[0]!.lines).find((l) => l.kind === 'add' && l.newLine === 2)!;
    expect(cut.text).toMatch(/^x+ … \[line truncated: \d+ of 20000 characters not shown\]$/);
    expect(changedKeys(units.flatMap((u) => u.files)).sort()).toEqual(changedKeys([file]).sort());
  });

  it('makes no unit for files without hunks', () => {
    const renamed: DiffFile = { ...diffFile('b.ts', []), status: 'renamed', oldPath: 'a.ts' };
    expect(chunkDiff([renamed], { budget: 1000 })).toEqual({ units: [], skipped: [] });
  });

  it('is deterministic and depends on the model only through the estimate', () => {
    const files = [diffFile('a.ts', [hunk(1, 1, code(40))]), diffFile('b.ts', [hunk(1, 1, code(40))])];
    expect(chunkDiff(files, { budget: 500, model: 'qwen2.5-coder:7b' })).toEqual(chunkDiff(files, { budget: 500, model: 'qwen2.5-coder:7b' }));
    const { units } = chunkDiff(files, { budget: 500, model: 'claude-sonnet-4-5' });
    expectWellFormed(units, 500, 'claude-sonnet-4-5');
  });

  it('rejects a budget that is not a positive number', () => {
    expect(() => chunkDiff([], { budget: 0 })).toThrow(ConfigError);
    expect(() => chunkDiff([], { budget: Number.NaN })).toThrow(ConfigError);
  });

  it('puts every changed line in exactly one unit, within budget (property)', () => {
    const text = fc.oneof(
      { weight: 8, arbitrary: fc.string({ maxLength: 80 }) },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 300, maxLength: 4000 }) },
    );
    const line = fc.tuple(fc.constantFrom<Kind>('add', 'del', 'context'), text);
    const hunkBodies = fc.array(fc.array(line, { minLength: 1, maxLength: 120 }), { maxLength: 4 });
    const filesArb = fc.array(hunkBodies, { minLength: 1, maxLength: 5 }).map((perFile) =>
      perFile.map((bodies, f) => {
        let start = 1;
        const hunks = bodies.map((body) => {
          const h = hunk(start, start, body);
          start += body.length + 10;
          return h;
        });
        return diffFile(`dir/file${f}.ts`, hunks);
      }),
    );
    fc.assert(
      fc.property(filesArb, fc.integer({ min: 200, max: 3000 }), fc.constantFrom(undefined, 'gpt-4o', 'llama3.1'), (files, budget, model) => {
        const { units, skipped } = chunkDiff(files, { budget, model });
        expectWellFormed(units, budget, model);
        const seen = changedKeys(units.flatMap((u) => u.files));
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.sort()).toEqual(changedKeys(files).sort());
        for (const s of skipped) expect(s.reason).toBe(TRUNCATED_REASON);
      }),
      { numRuns: 120 },
    );
  });
});

describe('chunkDiff: locality', () => {
  const size = (path: string, n: number) => diffFile(path, [hunk(1, 1, code(n, path.replace(/\W/g, '')))]);
  const cost = (f: DiffFile) => estimateTokens(renderUnit([{ path: f.path, status: f.status, hunks: f.hunks }]));

  it('keeps the files of one folder in one unit when they fit, where first fit in file order would part them', () => {
    const files = [size('a/x.ts', 12), size('b/y.ts', 10), size('a/z.ts', 12)];
    const budget = cost(files[0]!) + cost(files[2]!) + 10;
    expect(cost(files[0]!) + cost(files[1]!) + 5).toBeLessThan(budget); // x and y would share a unit in file order
    const { units } = chunkDiff(files, { budget });
    expect(units.map((u) => u.files.map((f) => f.path))).toEqual([['a/x.ts', 'a/z.ts'], ['b/y.ts']]);
    expectWellFormed(units, budget);
  });

  it('sends a test with its source from another folder', () => {
    const files = [size('src/cart.ts', 5), size('src/user.ts', 5), size('docs/guide.md', 5), size('test/cart.test.ts', 5)];
    const { units } = chunkDiff(files, { budget: 24000 });
    expect(units.map((u) => u.files.map((f) => f.path))).toEqual([['src/cart.ts', 'test/cart.test.ts', 'src/user.ts', 'docs/guide.md']]);
  });
});

describe('chunkDiff: wider context', () => {
  /** A file whose only change sits under 30 context lines of level 2 and one declaration of level 3. */
  function widened(path: string): DiffFile {
    const lines: DiffLine[] = [
      { kind: 'context', text: 'const LIMIT = 10;', oldLine: 1, newLine: 1, level: 3 },
    ];
    const body: DiffLine[] = Array.from({ length: 30 }, (_, i) => ({
      kind: 'context' as const,
      text: `  step${i}(total);`,
      oldLine: 10 + i,
      newLine: 10 + i,
      ...(i < 27 ? { level: (i < 15 ? 2 : 1) as 1 | 2 } : {}),
    }));
    const change: DiffLine[] = [
      { kind: 'del', text: '  return total;', oldLine: 40 },
      { kind: 'add', text: '  return total + LIMIT;', newLine: 40 },
    ];
    return {
      ...diffFile(path, []),
      hunks: [
        { oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, heading: '[declarations the change uses: context only]', lines },
        { oldStart: 10, oldLines: 31, newStart: 10, newLines: 31, heading: 'function sum() {', lines: [...body, ...change] },
      ],
      added: 1,
      removed: 1,
    };
  }

  it('sends every level when the budget allows', () => {
    const { units } = chunkDiff([widened('a.ts')], { budget: 24000 });
    expect(units).toHaveLength(1);
    expect(units[0]!.text).toContain('const LIMIT = 10;');
    expect(units[0]!.text).toContain('step0(total)');
    expectWellFormed(units, 24000);
  });

  it('gives wider context up first when the unit is tight: never more units, never a changed line less', () => {
    const files = [widened('a.ts'), widened('b.ts')];
    const floor = chunkDiff(
      files.map((f) => ({ ...f, hunks: [{ ...f.hunks[1]!, lines: f.hunks[1]!.lines.filter((l) => l.level === undefined), oldStart: 37, oldLines: 4, newStart: 37, newLines: 4 }] })),
      { budget: 24000 },
    );
    const floorTokens = floor.units[0]!.tokens;
    let previous = Infinity;
    for (const budget of [24000, floorTokens + 120, floorTokens + 40, floorTokens]) {
      const { units } = chunkDiff(files, { budget });
      expect(units).toHaveLength(1);
      expectWellFormed(units, budget);
      expect(changedKeys(units[0]!.files).sort()).toEqual(changedKeys(files).sort());
      expect(units[0]!.tokens).toBeLessThanOrEqual(previous);
      previous = units[0]!.tokens;
    }
    expect(previous).toBe(floorTokens);
  });
});
