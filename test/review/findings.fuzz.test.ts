import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnswerFormatError, parseFindings } from '../../src/review/findings.js';
import { CATEGORIES, SEVERITIES, type FileStatus, type ReviewUnit } from '../../src/types.js';
import { commentableLines, makeUnit, type FileSpec, type HunkSpec } from './unit.js';

// ---------- arbitraries ----------

const PATHS = ['src/a.ts', 'lib/a.ts', 'b.py', 'a/c.ts', 'docs/readme.md'];

const hunkBody = fc.array(fc.constantFrom('+added', '+x = 1', '-removed', '-y', ' ctx', ' z'), { minLength: 1, maxLength: 8 });

const fileSpec = (path: string) =>
  fc
    .record({
      status: fc.constantFrom<FileStatus>('modified', 'added', 'deleted', 'renamed'),
      hunks: fc.array(fc.record({ gap: fc.nat(20), lines: hunkBody }), { maxLength: 3 }),
    })
    .map(({ status, hunks }): FileSpec => {
      let oldNext = 1;
      let newNext = 1;
      const specs: HunkSpec[] = hunks.map(({ gap, lines }) => {
        const spec = { oldStart: oldNext + gap, newStart: newNext + gap, lines };
        oldNext = spec.oldStart + lines.filter((l) => l[0] !== '+').length;
        newNext = spec.newStart + lines.filter((l) => l[0] !== '-').length;
        // git's convention: a hunk with no new-side lines starts at the line before.
        if (lines.every((l) => l[0] === '-')) spec.newStart -= 1;
        return spec;
      });
      return { path, status, hunks: specs };
    });

const unitArb: fc.Arbitrary<ReviewUnit> = fc
  .uniqueArray(fc.constantFrom(...PATHS), { minLength: 1, maxLength: 3 })
  .chain((paths) => fc.tuple(...paths.map(fileSpec)))
  .map((files) => makeUnit(files));

const severityWord = fc.oneof(fc.constantFrom(...SEVERITIES, 'Blocker', 'MAJOR', 'warning', 'nit', 'urgent', 'constructor', '__proto__'), fc.string({ maxLength: 8 }));
const categoryWord = fc.oneof(fc.constantFrom(...CATEGORIES, 'Vuln', 'best practice', 'logic', 'testing', 'toString'), fc.string({ maxLength: 8 }));

function findingArb(unit: ReviewUnit) {
  const paths = unit.files.map((f) => f.path);
  return fc.record(
    {
      file: fc.oneof(fc.constantFrom(...paths), fc.constantFrom(...paths.map((p) => `b/${p}`), 'a.ts', 'c.ts', './b.py'), fc.string({ maxLength: 10 })),
      line: fc.oneof(fc.integer({ min: -2, max: 90 }), fc.integer({ min: 0, max: 90 }).map(String), fc.constant('3-5'), fc.double()),
      endLine: fc.oneof(fc.integer({ min: -2, max: 90 }), fc.string({ maxLength: 3 })),
      severity: severityWord,
      category: categoryWord,
      title: fc.oneof(fc.string({ maxLength: 300 }), fc.constant('same title')),
      message: fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 2500 })),
      suggestion: fc.string({ maxLength: 50 }),
      extra: fc.jsonValue({ maxDepth: 2 }),
    },
    { requiredKeys: ['file', 'line', 'severity', 'category', 'message'] },
  );
}

type Mutation = (s: string) => string;
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant((s: string) => s),
  fc.string({ maxLength: 30 }).map((prose) => (s: string) => `${prose}\n\`\`\`json\n${s}\n\`\`\`\n${prose}`),
  fc.string({ maxLength: 30 }).map((prose) => (s: string) => `${prose} ${s} ${prose}`),
  fc.constant((s: string) => s.replace(/([}\]])/g, ',$1')),
  fc.nat().map((n) => (s: string) => s.slice(0, n % (s.length + 1))),
  fc.tuple(fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })).map(
    ([n, junk]) =>
      (s: string) => {
        const i = n % (s.length + 1);
        return s.slice(0, i) + junk + s.slice(i);
      },
  ),
  fc.nat().map((n) => (s: string) => {
    const i = n % (s.length + 1);
    return s.slice(0, i) + s.slice(i + 1);
  }),
);

const shape = fc.constantFrom(
  (items: unknown[]) => ({ findings: items }),
  (items: unknown[]) => items,
  (items: unknown[]) => ({ issues: items }),
  (items: unknown[]) => items[0] ?? {},
);

// ---------- properties ----------

/** Parses and checks every invariant a caller relies on; AnswerFormatError is the only error allowed. */
function checkParse(raw: string, unit: ReviewUnit): void {
  let result: ReturnType<typeof parseFindings>;
  try {
    result = parseFindings(raw, unit);
  } catch (e) {
    expect(e).toBeInstanceOf(AnswerFormatError);
    expect((e as AnswerFormatError).detail).toMatch(/\S/);
    return;
  }
  const allowed = commentableLines(unit);
  const seen = new Set<string>();
  for (const f of result.findings) {
    expect(allowed.get(f.file)?.has(f.line), `${f.file}:${f.line} is not a changed line`).toBe(true);
    expect(SEVERITIES).toContain(f.severity);
    expect(CATEGORIES).toContain(f.category);
    expect(f.source).toBe('model');
    expect(f.title.trim()).not.toBe('');
    expect(f.title.length).toBeLessThanOrEqual(200);
    expect(f.title).not.toMatch(/\n/);
    expect(f.message.trim()).not.toBe('');
    expect(f.message.length).toBeLessThanOrEqual(2000);
    expect((f.suggestion ?? '').length).toBeLessThanOrEqual(2000);
    if (f.endLine !== undefined) expect(f.endLine).toBeGreaterThanOrEqual(f.line);
    expect(f.code).toBe(newSideText(unit, f.file, f.line));
    const key = `${f.file}:${f.line}:${f.title.toLowerCase()}`;
    expect(seen.has(key)).toBe(false);
    seen.add(key);
  }
  for (const d of result.dropped) expect(d.reason).toMatch(/\S/);
}

function newSideText(unit: ReviewUnit, path: string, line: number): string | undefined {
  for (const f of unit.files.filter((x) => x.path === path)) {
    for (const h of f.hunks) for (const l of h.lines) if (l.kind !== 'del' && l.newLine === line) return l.text;
  }
  return undefined;
}

const jsonish = fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', '/', '*', '\n', ' ', 'a', '1', '`', 'findings'), maxLength: 120 });

describe('parseFindings fuzz', () => {
  it('random text: only AnswerFormatError, and every finding lands on a changed line', () => {
    fc.assert(
      fc.property(unitArb, fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), jsonish), (unit, raw) => {
        checkParse(raw, unit);
      }),
      { numRuns: 300 },
    );
  });

  it('random JSON values: only AnswerFormatError', () => {
    fc.assert(
      fc.property(unitArb, fc.jsonValue({ maxDepth: 4 }), (unit, value) => {
        checkParse(JSON.stringify(value) ?? '', unit);
      }),
      { numRuns: 200 },
    );
  });

  it('mutated answers: only AnswerFormatError, and every finding lands on a changed line', () => {
    const case_ = unitArb.chain((unit) =>
      fc.record({
        unit: fc.constant(unit),
        items: fc.array(findingArb(unit), { maxLength: 6 }),
        shape,
        mutate: mutation,
      }),
    );
    fc.assert(
      fc.property(case_, ({ unit, items, shape: wrap, mutate }) => {
        checkParse(mutate(JSON.stringify(wrap(items))), unit);
      }),
      { numRuns: 300 },
    );
  });

  it('well-formed findings on added lines all come back unchanged in place', () => {
    const case_ = unitArb
      .filter((u) => u.files.some((f) => f.status !== 'deleted' && f.hunks.some((h) => h.lines.some((l) => l.kind === 'add'))))
      .chain((unit) => {
        const added = unit.files
          .filter((f) => f.status !== 'deleted')
          .flatMap((f) => f.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'add').map((l) => ({ file: f.path, line: l.newLine as number }))));
        const item = fc.record({
          at: fc.constantFrom(...added),
          severity: fc.constantFrom(...SEVERITIES),
          category: fc.constantFrom(...CATEGORIES),
          title: fc.string({ minLength: 1, maxLength: 40 }).filter((t) => /^\S(.*\S)?$/.test(t) && !/\s{2}/.test(t)),
          message: fc.string({ minLength: 1, maxLength: 200 }).filter((m) => m.trim() === m && m !== ''),
        });
        return fc.tuple(fc.constant(unit), fc.array(item, { maxLength: 5 }));
      });
    fc.assert(
      fc.property(case_, ([unit, items]) => {
        const answer = { findings: items.map(({ at, ...rest }) => ({ ...at, ...rest })) };
        const { findings } = parseFindings(JSON.stringify(answer), unit);
        const unique = new Map(answer.findings.map((f) => [`${f.file}:${f.line}:${f.title.toLowerCase()}`, f]));
        expect(findings.map((f) => `${f.file}:${f.line}:${f.title}:${f.severity}:${f.category}:${f.message}`).sort()).toEqual(
          [...unique.keys()].map((k) => {
            const f = answer.findings.find((x) => `${x.file}:${x.line}:${x.title.toLowerCase()}` === k);
            return `${f?.file}:${f?.line}:${f?.title}:${f?.severity}:${f?.category}:${f?.message}`;
          }).sort(),
        );
      }),
      { numRuns: 200 },
    );
  });
});
