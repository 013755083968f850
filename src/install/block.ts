import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../package-root.js';

// Our lines in a hook file form one block between these two marker lines, so uninstall can find exactly them and
// install can tell it has already run.
export const BLOCK_BEGIN = '# >>> codeai-hook >>>';
export const BLOCK_END = '# <<< codeai-hook <<<';

export const HOOK_NAMES = ['pre-commit', 'commit-msg'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

export interface BlockOptions {
  /** The package folder relative to the work tree's top ('/'-separated), '' for the top itself. */
  packageDir: string;
  /** Run the hook git ran from its own hooks folder before core.hooksPath moved it aside. */
  runPrevious: boolean;
  /**
   * No package.json: the hook runs a codeai-hook installed globally, so a teammate without it must be told that
   * the commit goes through unreviewed and how to install it (npm install would do nothing).
   */
  globalBinary?: boolean;
}

/** The shipped template `hooks/<name>`, beside `dist/` in the package. */
function readTemplate(hook: HookName): string[] {
  const text = readFileSync(path.join(packageRoot(), 'hooks', hook), 'utf8');
  const lines = text.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  if (!lines[0]?.startsWith(BLOCK_BEGIN) || lines[lines.length - 1] !== BLOCK_END || commandLine(lines) < 0) {
    throw new Error(`hooks/${hook} in the codeai-hook package is damaged: reinstall codeai-hook`);
  }
  return lines;
}

/** The line that looks for the binary: package-specific lines go right before it. */
function commandLine(lines: string[]): number {
  return lines.findIndex((l) => l.includes('command -v codeai-hook'));
}

/**
 * The block to put in a hook file, without a trailing newline. The templates put node_modules/.bin on PATH twice:
 * as `$PWD/node_modules/.bin`, and relative, which sh resolves against the folder it is in at each lookup (the top,
 * or the package after the monorepo `cd`). A ':' in the repository's path splits the first into two useless
 * entries, and with husky's own relative entry absent (a core.hooksPath folder git runs directly, a hook manager),
 * the hook said "not installed" and let the commit through.
 */
export function renderBlock(hook: HookName, opts: BlockOptions): string {
  const lines = readTemplate(hook);
  if (opts.packageDir) {
    // git runs hooks from the top level; the review must run in the package, whose node_modules/.bin holds the
    // binary (the top's node_modules/.bin stays on PATH for hoisted workspaces).
    const missing = `codeai-hook: folder ${opts.packageDir} not found; run codeai-hook install again (commit not reviewed)`;
    lines.splice(
      commandLine(lines),
      0,
      `  cd ${shellQuote(opts.packageDir)} 2>/dev/null || { echo ${shellQuote(missing)} >&2; exit 0; }`,
      '  PATH="$PWD/node_modules/.bin:$PATH"',
    );
  }
  if (opts.globalBinary) {
    const at = lines.findIndex((l) => l.includes('not installed in node_modules'));
    const what = hook === 'commit-msg' ? 'commit message is not checked' : 'commit is not reviewed';
    if (at >= 0) lines[at] = `  echo "codeai-hook: not found on PATH, so this ${what}: install it with npm i -g codeai-hook" >&2`;
  }
  if (opts.runPrevious) {
    lines.splice(
      1,
      0,
      `# runs the ${hook} hook git ran before core.hooksPath pointed here`,
      `(h="$(git rev-parse --git-common-dir)/hooks/${hook}"; if [ -x "$h" ]; then exec "$h" "$@"; fi) || exit $?`,
    );
  }
  return lines.join('\n');
}

/**
 * The hook's lines as one sh command line, for hook managers that take a command instead of a file (the pre-commit
 * framework, lefthook, simple-git-hooks): the same PATH set-up, monorepo cd and not-installed message.
 */
export function hookCommandLine(hook: HookName, opts: Omit<BlockOptions, 'runPrevious'>): string {
  const lines = renderBlock(hook, { ...opts, runPrevious: false }).split('\n');
  const open = lines.indexOf('(');
  const close = lines.findIndex((l) => l.startsWith(') || exit'));
  return lines
    .slice(open + 1, close)
    .map((l) => l.trim())
    .join('; ');
}

export function hasBlock(text: string): boolean {
  return text.split('\n').some((line) => line.startsWith(BLOCK_BEGIN));
}

/** Appends the block on lines of its own, keeping whether the file ended with a newline. */
export function appendBlock(text: string, block: string): string {
  if (text === '') return `${block}\n`;
  return text.endsWith('\n') ? `${text}${block}\n` : `${text}\n${block}`;
}

export type RemoveResult = { text: string } | { error: 'no-block' | 'no-end' };

/** Removes every marked block: the exact inverse of appendBlock, so an unedited file gets its old bytes back. */
export function removeBlocks(text: string): RemoveResult {
  let out = text;
  let removed = false;
  for (;;) {
    const span = blockSpan(out);
    if (span === null) break;
    if (span === 'no-end') return { error: 'no-end' };
    const { start, end } = span;
    if (out[end] === '\n') out = out.slice(0, start) + out.slice(end + 1);
    else out = out.slice(0, start > 0 && out[start - 1] === '\n' ? start - 1 : start) + out.slice(end);
    removed = true;
  }
  return removed ? { text: out } : { error: 'no-block' };
}

/** The first marked block's text, from its first line to its end line (no newline after); null without a whole one. */
export function firstBlock(text: string): string | null {
  const span = blockSpan(text);
  return span === null || span === 'no-end' ? null : text.slice(span.start, span.end);
}

/** `text` with its first marked block replaced by `block`, every byte around it kept; null without a whole block. */
export function replaceFirstBlock(text: string, block: string): string | null {
  const span = blockSpan(text);
  return span === null || span === 'no-end' ? null : text.slice(0, span.start) + block + text.slice(span.end);
}

/** Where the first marked block starts and ends (its end line's last character + 1), or why there is none. */
function blockSpan(text: string): { start: number; end: number } | 'no-end' | null {
  const start = lineStart(text, BLOCK_BEGIN);
  if (start < 0) return null;
  const endLine = text.indexOf(`\n${BLOCK_END}`, start);
  if (endLine < 0 || !isWholeLine(text, endLine + 1, BLOCK_END.length)) return 'no-end';
  return { start, end: endLine + 1 + BLOCK_END.length };
}

function lineStart(text: string, prefix: string): number {
  for (let i = text.indexOf(prefix); i >= 0; i = text.indexOf(prefix, i + 1)) {
    if (i === 0 || text[i - 1] === '\n') return i;
  }
  return -1;
}

function isWholeLine(text: string, at: number, length: number): boolean {
  const after = text[at + length];
  return after === undefined || after === '\n';
}

/** Single-quotes a word for sh: nothing inside is expanded. */
export function shellQuote(word: string): string {
  return /^[\w./@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** True when the file is a script sh can extend: an sh-family shebang, or none (git runs those with sh). */
export function isShellScript(text: string): boolean {
  const first = text.split('\n', 1)[0] ?? '';
  if (!first.startsWith('#!')) return true;
  const [program, arg] = first.slice(2).trim().split(/\s+/);
  const name = program?.endsWith('/env') ? arg : program?.split('/').pop();
  return ['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash'].includes(name ?? '');
}
