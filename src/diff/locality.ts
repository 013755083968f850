// Which changed files belong together, so the chunker can keep them in one unit: the files of one folder, and a test
// with the source it tests even when they live in different folders (src/cart.ts and test/cart.test.ts). A model
// that sees a function and its test, or a module and its caller next door, reviews each with the other in mind.

import { posix } from 'node:path';

/** A test file's name pattern: the part that names what it tests is kept in the `stem` group. */
const TEST_NAMES = [
  /^(?<stem>.+)[._-](?:test|spec|tests|specs)$/i, // cart.test, cart.spec, cart_test (Go), cart-spec
  /^test_(?<stem>.+)$/i, // test_cart (pytest)
  /^(?<stem>.+?)(?:Tests?|Spec|IT)$/, // CartTest, CartTests, CartSpec (Java, Kotlin, C#)
];

/** The name a file is known by: its base name without extension(s), and without a test marker for a test. */
export function stemOf(path: string): { stem: string; test: boolean } {
  const base = posix.basename(path).replace(/\.(d\.ts|[^.]+)$/, '');
  for (const pattern of TEST_NAMES) {
    const stem = pattern.exec(base)?.groups?.stem;
    if (stem) return { stem: stem.toLowerCase(), test: true };
  }
  const inTestFolder = /(^|\/)(tests?|__tests__|spec)\//.test(path);
  return { stem: base.toLowerCase(), test: inTestFolder };
}

/**
 * The files in groups that should travel together, groups in order of their first file, each group's files in the
 * order given except that a test follows its source. Nothing is dropped or repeated.
 */
export function localityGroups<T extends { path: string }>(files: readonly T[]): T[][] {
  const folderOf = (f: T) => posix.dirname(f.path);
  // Each file's stem, worked out once: the grouping and the ordering below ask for it many times.
  const stems = new Map(files.map((f) => [f, stemOf(f.path)]));
  const sources = new Map<string, string>();
  for (const f of files) {
    const { stem, test } = stems.get(f)!;
    if (!test && !sources.has(stem)) sources.set(stem, folderOf(f));
  }
  const groups = new Map<string, T[]>();
  for (const f of files) {
    const { stem, test } = stems.get(f)!;
    // A test joins its source's folder when the change holds the source; otherwise it stays with its own folder.
    const key = test && sources.has(stem) ? sources.get(stem)! : folderOf(f);
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  return [...groups.values()].map((group) => testsAfterSources(group, (f) => stems.get(f)!));
}

function testsAfterSources<T>(group: T[], stemOf: (f: T) => { stem: string; test: boolean }): T[] {
  const tests = group.filter((f) => stemOf(f).test);
  if (tests.length === 0) return group;
  const out: T[] = [];
  const placed = new Set<T>();
  for (const f of group) {
    if (placed.has(f)) continue;
    const { stem, test } = stemOf(f);
    if (test && group.some((s) => !stemOf(s).test && stemOf(s).stem === stem && !placed.has(s))) continue;
    out.push(f);
    placed.add(f);
    if (!test) {
      for (const t of tests) {
        if (!placed.has(t) && stemOf(t).stem === stem) {
          out.push(t);
          placed.add(t);
        }
      }
    }
  }
  return out;
}
