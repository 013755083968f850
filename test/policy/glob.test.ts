import fc from 'fast-check';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { compileGlob, GlobError } from '../../src/policy/glob.js';

const matches = (pattern: string, path: string) => compileGlob(pattern).matches(path);

describe('compileGlob', () => {
  it('means what picomatch means (dot files included) for names without line terminators', () => {
    // '**' only as a whole segment, and no !(…): picomatch lets those match across '/' or an empty segment, quirks
    // not kept (a git path has no empty segment).
    const piece = fc.constantFrom('a', 'b', '.', '-', '*', '?', '[ab]', '{a,b}', '{a,b/c}', '@(a|b)', '\\*');
    const inside = fc.array(piece, { minLength: 1, maxLength: 3 }).map((p) => p.join('')).filter((p) => !p.includes('**'));
    const segment = fc.oneof(fc.constant('**'), inside);
    const glob = fc.array(segment, { minLength: 1, maxLength: 4 });
    // git refuses '.' and '..' as path segments.
    const part = fc.array(fc.constantFrom('a', 'b', 'c', '.', '-', '*'), { minLength: 1, maxLength: 4 }).map((p) => p.join(''));
    const name = fc.array(part.filter((p) => p !== '.' && p !== '..'), {
      minLength: 1,
      maxLength: 4,
    });
    fc.assert(
      fc.property(glob, name, (segments, parts) => {
        const pattern = segments.join('/');
        const path = parts.join('/');
        if (picomatchQuirk(segments, parts)) return;
        let ours: boolean | undefined;
        try {
          ours = compileGlob(pattern).matches(path);
        } catch (error) {
          if (error instanceof GlobError) return; // refused patterns are tested below
          throw error;
        }
        expect(ours, `${pattern} ~ ${path}`).toBe(picomatch(pattern, { dot: true })(path));
      }),
      { numRuns: 3000 },
    );
  });

  it("keeps one meaning where picomatch's whole-pattern regex disagrees with its own segments", () => {
    // picomatch('*.*') refuses '-.' (a '*' after a '.' must not end the name), yet '*.*/**' accepts '-./x' and
    // '**/*.*' accepts 'bc.': its look-ahead sees the '/' or the globstar's text. Segment by segment, the answer is
    // the one picomatch gives the segment alone, wherever it stands.
    for (const [pattern, path] of [['*.*', '-.'], ['*.*/**', '-./x'], ['**/*.*', 'bc.'], ['[ab]/**/*.*', 'a/c*.']] as const) {
      expect(compileGlob(pattern).matches(path), `${pattern} ~ ${path}`).toBe(false);
    }
    expect(compileGlob('*.*/**').matches('-.a/x')).toBe(true);
    // picomatch lets '/**/' before an extglob vanish with both slashes: 'a/**/@(a|b)?' accepts 'a'. A path has no
    // empty segment, so here the extglob needs a segment of its own.
    expect(compileGlob('a/**/@(a|b)?').matches('a')).toBe(false);
    expect(compileGlob('a/**/@(a|b)').matches('a/x/b')).toBe(true);
  });

  it('matches every byte a path can hold, line terminators included', () => {
    for (const name of ['a\nb.js', 'a\rb.js', 'a\u2028b.js', 'a\u2029b.js', 'dir\n/x.js', '-rf', '"q"', 'back\\slash', 'a\u0000b']) {
      expect(matches('**', name), JSON.stringify(name)).toBe(true);
      expect(matches('**/*', name), JSON.stringify(name)).toBe(true);
    }
    expect(matches('*.js', 'a\nb.js')).toBe(true);
    expect(matches('src/**', 'src/a\nb/c.js')).toBe(true);
    expect(matches('src/**/*.js', 'src/\u2028/c.js')).toBe(true);
    expect(matches('?', '\n')).toBe(true);
  });

  it('handles negation, ./ prefixes and braces holding a slash', () => {
    expect(matches('!src/**', 'lib/a.js')).toBe(true);
    expect(matches('!src/**', 'src/a.js')).toBe(false);
    expect(matches('./src/*', 'src/a.js')).toBe(true);
    expect(matches('{src,lib/x}/**', 'lib/x/a.js')).toBe(true);
    expect(matches('{src,lib/x}/**', 'lib/y/a.js')).toBe(false);
  });

  it('refuses globs picomatch would quietly turn into "match nothing"', () => {
    expect(() => compileGlob('+(a|b')).toThrow(/unclosed '\('/);
    expect(() => compileGlob('src/{a,b')).toThrow(/unclosed '\{'/);
    expect(() => compileGlob('a)b')).toThrow(/without its '\('/);
    expect(() => compileGlob('x'.repeat(2000))).toThrow(/longer than/);
  });

  it('refuses globs that cannot be matched in bounded time', () => {
    expect(() => compileGlob('*a*a*a*a*a*b')).toThrow(/wildcards in the segment/);
    expect(() => compileGlob('+(a|aa)c')).toThrow(/exponential/);
    expect(() => compileGlob('*(a|aa)c')).toThrow(/exponential/);
  });

  it('decides the worst accepted globs against the longest names quickly, or says it cannot', () => {
    const long = 'a'.repeat(4096);
    const started = performance.now();
    expect(matches('*a*a*a*b', long)).toBeUndefined(); // too long to decide in bounded time: the caller fails closed
    expect(matches('a*a*b', long)).toBe(false);
    expect(matches('**/a/**/a/**/a/**/b', Array(2000).fill('a').join('/'))).toBe(false);
    expect(matches('*a*a*a*b', 'a'.repeat(100) + 'b')).toBe(true);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

/**
 * The two shapes where picomatch's one regex for the whole pattern and its regex for each segment disagree (seen in
 * 2,000,000 samples of the generator above, none left once these are set aside): a '*' after a '.' at the end of a
 * name, and an extglob right after '**\/'.
 */
function picomatchQuirk(segments: string[], parts: string[]): boolean {
  return segments.join('/').includes('**/@(') || (segments.some((s) => s.includes('.*')) && parts.some((p) => p.endsWith('.')));
}
