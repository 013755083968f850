// The languages the lexer reads, by file name: their comment markers and string quotes. Adding a language is
// adding a row here.

export interface Quote {
  open: string;
  close: string;
  /** May run over several lines (template literals, triple quotes, shell and Ruby strings). */
  multiline: boolean;
  /** Backslash escapes the next character. */
  escape: boolean;
  /** Opens code inside the string (`${` of a JS template), closed by the matching `}`. */
  interpolation?: string;
}

export interface Syntax {
  name: string;
  lineComments: string[];
  blockComments: Array<{ open: string; close: string; atLineStart?: boolean }>;
  /** Longest opener first. */
  quotes: Quote[];
  /** `/…/flags` regex literals (JavaScript). */
  regexLiterals?: boolean;
  /** A line comment needs whitespace or the line start before it (`#` in shell and YAML, not `$#` or `a#b`). */
  commentAfterSpace?: boolean;
}

const SLASH_COMMENTS = { lineComments: ['//'], blockComments: [{ open: '/*', close: '*/' }] };
const dq = (multiline = false): Quote => ({ open: '"', close: '"', multiline, escape: true });
const sq = (multiline = false, escape = true): Quote => ({ open: "'", close: "'", multiline, escape });

const JS: Syntax = {
  name: 'javascript',
  ...SLASH_COMMENTS,
  quotes: [dq(), sq(), { open: '`', close: '`', multiline: true, escape: true, interpolation: '${' }],
  regexLiterals: true,
};
const C_LIKE: Syntax = {
  name: 'c-like',
  ...SLASH_COMMENTS,
  quotes: [{ open: '"""', close: '"""', multiline: true, escape: true }, dq(), sq()],
};
const GO: Syntax = {
  name: 'go',
  ...SLASH_COMMENTS,
  quotes: [dq(), sq(), { open: '`', close: '`', multiline: true, escape: false }],
};
const PHP: Syntax = { name: 'php', lineComments: ['//', '#'], blockComments: [{ open: '/*', close: '*/' }], quotes: [dq(), sq()] };
const PYTHON: Syntax = {
  name: 'python',
  lineComments: ['#'],
  blockComments: [],
  quotes: [
    { open: '"""', close: '"""', multiline: true, escape: true },
    { open: "'''", close: "'''", multiline: true, escape: true },
    dq(),
    sq(),
  ],
};
const RUBY: Syntax = {
  name: 'ruby',
  lineComments: ['#'],
  blockComments: [{ open: '=begin', close: '=end', atLineStart: true }],
  quotes: [dq(true), sq(true)],
};
const SHELL: Syntax = { name: 'shell', lineComments: ['#'], blockComments: [], quotes: [dq(true), sq(true, false)], commentAfterSpace: true };
const HASH_CONFIG: Syntax = { name: 'config', lineComments: ['#'], blockComments: [], quotes: [dq(), sq(true, false)], commentAfterSpace: true };
const SQL: Syntax = { name: 'sql', lineComments: ['--'], blockComments: [{ open: '/*', close: '*/' }], quotes: [sq()] };

const BY_EXTENSION = new Map<string, Syntax>([
  ...['js', 'jsx', 'mjs', 'cjs', 'ts', 'tsx', 'mts', 'cts'].map((e) => [e, JS] as const),
  ...['java', 'kt', 'kts', 'scala', 'groovy', 'gradle', 'c', 'h', 'cc', 'cpp', 'cxx', 'hpp', 'cs', 'swift', 'dart', 'rs'].map(
    (e) => [e, C_LIKE] as const,
  ),
  ['go', GO],
  ['php', PHP],
  ...['py', 'pyi', 'pyw'].map((e) => [e, PYTHON] as const),
  ...['rb', 'rake', 'gemspec', 'ru'].map((e) => [e, RUBY] as const),
  ...['sh', 'bash', 'zsh', 'ksh', 'bats', 'envrc'].map((e) => [e, SHELL] as const),
  ...['yml', 'yaml', 'toml', 'tf', 'hcl', 'mk'].map((e) => [e, HASH_CONFIG] as const),
  ['sql', SQL],
]);
const BY_NAME = new Map<string, Syntax>([
  ['Rakefile', RUBY],
  ['Gemfile', RUBY],
  ['Makefile', HASH_CONFIG],
  ['Dockerfile', HASH_CONFIG],
]);

/** The syntax of a file, from its name; null when the file is not one of the languages read here. */
export function syntaxOf(path: string): Syntax | null {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const byName = BY_NAME.get(name) ?? (name.startsWith('Dockerfile') ? HASH_CONFIG : undefined);
  if (byName) return byName;
  const dot = name.lastIndexOf('.');
  return dot < 0 ? null : (BY_EXTENSION.get(name.slice(dot + 1).toLowerCase()) ?? null);
}
