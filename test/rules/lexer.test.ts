// The comment/string lexer behind the code rules: for each language, which characters of a line are comment,
// string or code.
import { describe, expect, it } from 'vitest';
import { syntaxOf } from '../../src/rules/languages.js';
import { lexLines, regionAt, startsInBlockComment } from '../../src/rules/lexer.js';

/** One letter per character: c comment, s string, . code. */
function regions(path: string, text: string): string[] {
  const lines = text.split('\n');
  const spans = lexLines(syntaxOf(path)!, lines);
  const letter = { comment: 'c', string: 's' } as const;
  return lines.map((line, i) =>
    [...line]
      .map((_, col) => {
        const region = regionAt(spans[i]!, col);
        return region ? letter[region] : '.';
      })
      .join(''),
  );
}

describe('lexer', () => {
  it('reads JavaScript: doc comments, strings, template interpolation, regex literals', () => {
    expect(regions('a.ts', "/**\n * console.log(x)\n */\nconst a = 'x' + `t ${b} u`; // c")).toEqual([
      'ccc',
      'ccccccccccccccccc',
      'ccc',
      '..........sss...sss....sss..cccc',
    ]);
    expect(regions('a.js', "const r = /ab'c/g; eval(x)")).toEqual(['..........sssssss.........']);
    expect(regions('a.js', 'const d = a / b / c;')).toEqual(['....................']);
  });

  it('reads Python: docstrings over lines, # comments, quotes inside strings', () => {
    expect(regions('a.py', '"""doc\neval(x)\n"""\nx = \'a#b\' # real')).toEqual(['ssssss', 'sssssss', 'sss', "....sssss.cccccc"]);
  });

  it('reads Go raw strings, Ruby =begin blocks and shell comments after a space only', () => {
    expect(regions('a.go', 's := `raw\nline` // c')).toEqual(['.....ssss', 'sssss.cccc']);
    expect(regions('a.rb', '=begin\neval(x)\n=end\nputs 1')).toEqual(['cccccc', 'ccccccc', 'cccc', '......']);
    expect(regions('a.sh', 'echo "a # b" # c\nx=$#')).toEqual(['.....sssssss.ccc', '....']);
  });

  it('takes an unclosed one-line quote for code (a Rust lifetime, a stray apostrophe)', () => {
    expect(regions('a.rs', "fn f<'a>(x: &str) {}")).toEqual(['....................']);
  });

  it('knows a hunk that starts inside a doc comment', () => {
    const js = syntaxOf('a.ts')!;
    expect(startsInBlockComment(js, [' * @example', ' * console.log(1)', ' */', 'const a = 1;'])).toBe(true);
    expect(startsInBlockComment(js, ['const a = 1; /* note */', ' */'])).toBe(false);
  });

  it('reads only the languages it knows', () => {
    expect(syntaxOf('README.md')).toBeNull();
    expect(syntaxOf('Dockerfile.prod')?.name).toBe('config');
    expect(syntaxOf('lib/tasks/Rakefile')?.name).toBe('ruby');
  });
});
