// A file's comment syntax, for the code action that writes `codeai-ignore: <id> <reason>` above a finding. Found by
// the file's extension first (every editor names files the same way, not languages), then by the editor's language
// id. Every opener here is one review/suppress.ts accepts before a standalone directive.

export interface CommentSyntax {
  open: string;
  /** '' for a line comment. */
  close: string;
}

const LINE = (open: string): CommentSyntax => ({ open, close: '' });
const SLASHES = LINE('//');
const HASH = LINE('#');
const DASHES = LINE('--');
const BLOCK = { open: '/*', close: '*/' };
const MARKUP = { open: '<!--', close: '-->' };

const BY_EXTENSION: Record<string, CommentSyntax> = {};
function assign(syntax: CommentSyntax, extensions: string): void {
  for (const ext of extensions.split(' ')) BY_EXTENSION[ext] = syntax;
}
assign(SLASHES, 'js jsx mjs cjs ts tsx mts cts c h cc cpp cxx hh hpp hxx cs java go rs swift kt kts scala dart php groovy gradle m mm zig proto jsonc json5 scss less sol v');
assign(HASH, 'py pyi pyw sh bash zsh fish rb rake gemspec pl pm r yaml yml toml dockerfile mk cmake ex exs ps1 nix tf tfvars hcl graphql gql jl cr properties conf cfg env gitignore dockerignore editorconfig');
assign(DASHES, 'sql lua hs elm ada');
assign(LINE('%'), 'tex sty erl hrl');
assign(LINE(';'), 'clj cljs edn lisp el scm ini asm s');
assign(LINE("'"), 'vb vbs bas');
assign(BLOCK, 'css');
assign(MARKUP, 'html htm xml svg md mdx markdown xhtml vue svelte');

const BY_LANGUAGE: Record<string, CommentSyntax> = {
  javascript: SLASHES,
  javascriptreact: SLASHES,
  typescript: SLASHES,
  typescriptreact: SLASHES,
  c: SLASHES,
  cpp: SLASHES,
  csharp: SLASHES,
  java: SLASHES,
  go: SLASHES,
  rust: SLASHES,
  python: HASH,
  shellscript: HASH,
  sh: HASH,
  bash: HASH,
  ruby: HASH,
  perl: HASH,
  yaml: HASH,
  toml: HASH,
  dockerfile: HASH,
  makefile: HASH,
  sql: DASHES,
  lua: DASHES,
  haskell: DASHES,
  css: BLOCK,
  html: MARKUP,
  xml: MARKUP,
  markdown: MARKUP,
};

/** Files named for what they are, without an extension. */
const BY_NAME: Record<string, CommentSyntax> = { Dockerfile: HASH, Makefile: HASH, Gemfile: HASH, Rakefile: HASH, Jenkinsfile: SLASHES };

/** How to write a comment in this file; null when it has none (JSON) or the language is unknown. */
export function commentSyntax(path: string, languageId = ''): CommentSyntax | null {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (BY_NAME[name]) return BY_NAME[name];
  if (name.startsWith('.env')) return HASH;
  const dot = name.lastIndexOf('.');
  const ext = dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
  return BY_EXTENSION[ext] ?? BY_LANGUAGE[languageId] ?? null;
}
