import { describe, expect, it } from 'vitest';
import { findDeclarations, usedNames } from '../../src/diff/declarations.js';

describe('usedNames', () => {
  it('lists identifiers in order of first use, without keywords, members, strings or comments', () => {
    expect(usedNames(['  return items.length + LIMIT; // max "size"', 'if (user) { total = compute(this.cache) }'])).toEqual([
      'items',
      'LIMIT',
      'user',
      'total',
      'compute',
      'cache',
    ]);
  });
});

describe('findDeclarations', () => {
  const find = (lines: string[], names: string[], shown: number[] = []) => findDeclarations(lines, names, new Set(shown), 8);

  it.each([
    ['JavaScript const', 'const LIMIT = 10;', 'LIMIT'],
    ['JavaScript let', '  let items = null;', 'items'],
    ['a function', 'export async function load(user) {', 'load'],
    ['an import', "import { parse } from './parse.js';", 'parse'],
    ['a require with destructuring', "const { join, parse } = require('path');", 'parse'],
    ['Python assignment', 'TIMEOUT = 30', 'TIMEOUT'],
    ['Python def', '    def close(self):', 'close'],
    ['Python self attribute', '        self.retries = 3', 'retries'],
    ['Go short declaration', '\tbuf := make([]byte, n)', 'buf'],
    ['Go method', 'func (c *Context) Next() {', 'Next'],
    ['Java field', '  private final Map<String, Integer> counts = new HashMap<>();', 'counts'],
    ['Java method', '  public static int parseInt(String s) {', 'parseInt'],
    ['C #define', '#define MAX_LEN 256', 'MAX_LEN'],
    ['C declaration', 'static size_t used;', 'used'],
    ['Rust fn', 'pub fn parse_args(args: &[String]) -> Config {', 'parse_args'],
    ['TypeScript typed field', '  retries: number = 3;', 'retries'],
  ])('%s', (_, line, name) => {
    expect(find(['// header', line, 'use(x);'], [name])).toEqual([2]);
  });

  it('does not take a use, a return or a comparison for a declaration', () => {
    for (const line of ['  return items;', '  foo(items);', '  if (items == null) {', '  items.push(1);', '  x = items;']) {
      expect(find([line], ['items'])).toEqual([]);
    }
  });

  it('takes the first declaration only, skips one already shown, and stops at max', () => {
    const lines = ['let a = 1;', 'let b = 2;', 'a = 3;', 'let c = 4;'];
    expect(find(lines, ['a', 'b', 'c'], [2])).toEqual([1, 4]);
    expect(findDeclarations(lines, ['a', 'b', 'c'], new Set(), 2)).toEqual([1, 2]);
  });
});
