import { describe, expect, it } from 'vitest';
import { localityGroups, stemOf } from '../../src/diff/locality.js';

const paths = (groups: { path: string }[][]) => groups.map((g) => g.map((f) => f.path));
const files = (...names: string[]) => names.map((path) => ({ path }));

describe('stemOf', () => {
  it.each([
    ['src/cart.ts', 'cart', false],
    ['src/cart.test.ts', 'cart', true],
    ['test/cart.spec.js', 'cart', true],
    ['pkg/cart_test.go', 'cart', true],
    ['tests/test_cart.py', 'cart', true],
    ['src/test/java/CartTest.java', 'cart', true],
    ['types/cart.d.ts', 'cart', false],
    ['test/helpers.ts', 'helpers', true],
  ])('%s → %s (test: %s)', (path, stem, test) => {
    expect(stemOf(path)).toEqual({ stem, test });
  });
});

describe('localityGroups', () => {
  it('groups files by folder, in order of each group first file', () => {
    expect(paths(localityGroups(files('src/a.ts', 'lib/x.ts', 'src/b.ts', 'lib/y.ts')))).toEqual([
      ['src/a.ts', 'src/b.ts'],
      ['lib/x.ts', 'lib/y.ts'],
    ]);
  });

  it('puts a test from another folder right after its source', () => {
    expect(paths(localityGroups(files('src/cart.ts', 'src/user.ts', 'test/cart.test.ts', 'test/other.test.ts')))).toEqual([
      ['src/cart.ts', 'test/cart.test.ts', 'src/user.ts'],
      ['test/other.test.ts'],
    ]);
    expect(paths(localityGroups(files('tests/test_cart.py', 'app/cart.py')))).toEqual([['app/cart.py', 'tests/test_cart.py']]);
  });

  it('loses and repeats nothing', () => {
    const names = ['a/x.ts', 'b/x.test.ts', 'b/y.ts', 'c/z_test.go', 'a/z.go', 'README.md', 'x.ts'];
    expect(paths(localityGroups(files(...names))).flat().sort()).toEqual([...names].sort());
  });
});
