// The same change as git/diff.ts prints it, with each hunk widened to its enclosing function (`--function-context`),
// for the reviewer's wider context. Git finds a function's first line with its funcname rules; its built-in drivers
// (python, golang, java, rust, cpp, ...) apply only to files an attribute assigns them, so they are assigned here by
// extension in a attributes file of lowest precedence: the repository's .gitattributes and .git/info/attributes still
// win, and the user's own global attributes file is copied in after ours, so it wins too. JavaScript and TypeScript
// have no built-in driver; ours below knows classes, methods, functions and arrow functions bound to a name.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GitError } from '../errors.js';
import { diffFlags } from './diff.js';
import { gitAnswer, runGit } from './objects.js';
import { PINNED_FLAGS, type Repo } from './repo.js';
import type { DiffSource } from './diff.js';

/** Which two sides the change is between. */
export type ChangeSides = DiffSource;

const DRIVERS: Record<string, string[]> = {
  python: ['py', 'pyi', 'pyw'],
  golang: ['go'],
  java: ['java'],
  kotlin: ['kt', 'kts'],
  rust: ['rs'],
  cpp: ['c', 'h', 'cc', 'cpp', 'cxx', 'hh', 'hpp', 'hxx', 'ino'],
  csharp: ['cs'],
  objc: ['m', 'mm'],
  php: ['php'],
  ruby: ['rb', 'rake', 'gemspec'],
  perl: ['pl', 'pm'],
  bash: ['sh', 'bash', 'zsh'],
  elixir: ['ex', 'exs'],
  css: ['css', 'scss', 'less'],
  html: ['html', 'htm'],
  markdown: ['md', 'mdx'],
  fortran: ['f', 'f90', 'f95'],
  pascal: ['pas'],
  scheme: ['scm', 'ss'],
  tex: ['tex'],
  'codeai-js': ['js', 'jsx', 'mjs', 'cjs', 'ts', 'tsx', 'mts', 'cts', 'vue', 'svelte'],
};

// POSIX extended regular expressions, one per line; a line starting with '!' says what is never a function line.
// The last line is git's own default (a line starting with a letter, '_' or '$'), so top-level code still counts.
const JS_FUNCNAME = [
  '![ \t]*(if|for|while|switch|catch|with|return|else|do)([ \t(]|$)',
  '^[ \t]*((export[ \t]+)?(default[ \t]+)?(async[ \t]+)?function[ \t*].*' +
    '|(export[ \t]+)?(default[ \t]+)?(abstract[ \t]+)?class[ \t].*' +
    '|((public|private|protected|static|async|get|set|readonly|override)[ \t]+)*[A-Za-z_$#][A-Za-z0-9_$]*[ \t]*\\(.*\\)[ \t]*(:[^;={]*)?\\{[ \t]*' +
    '|(export[ \t]+)?(const|let|var)[ \t]+[A-Za-z_$][A-Za-z0-9_$]*[ \t]*=[ \t]*(async[ \t]+)?(function.*|\\(.*\\)[ \t]*(:[^=;]*)?=>.*|[A-Za-z_$][A-Za-z0-9_$]*[ \t]*=>.*))$',
  '^([A-Za-z_$].*)$',
].join('\n');

export function defaultAttributes(): string {
  return Object.entries(DRIVERS)
    .flatMap(([driver, extensions]) => extensions.map((ext) => `*.${ext} diff=${driver}`))
    .join('\n');
}

/**
 * The diff between `sides` with function context, for `paths` only (both names of a rename); '' when no path is
 * given. Reads only, like every diff here: the attributes file lives in a private temporary folder, removed after.
 */
export async function functionContextDiff(repo: Repo, sides: ChangeSides, contextLines: number, paths: readonly string[]): Promise<string> {
  if (paths.length === 0) return '';
  // The user's attributes file is looked up (a git of its own) while the private folder is made, unless the review
  // started that lookup already (warmUserAttributes).
  const user = takeWarmed(repo) ?? userAttributes(repo);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'codeai-attributes-'));
  try {
    // A long list of paths would outgrow the command line: past a few hundred, diff everything and let the caller pick.
    const spec = paths.length > 300 ? [] : ['--', ...new Set(paths)];
    const range = sides.kind === 'staged' ? ['--cached'] : [sides.from, sides.to];
    const args = [...(await functionContextSettings(repo, dir, user)), '--literal-pathspecs', 'diff', ...diffFlags(contextLines), '--function-context', ...range, ...spec];
    // Spawned directly, with the pinned settings simple-git passed: this runs on every commit a model reviews, where
    // loading simple-git and its checks of each `-c` flag cost more than the git itself (see openRepo).
    const { code, stdout, stderr } = await runGit(repo, [...PINNED_FLAGS, ...args], '');
    if (code !== 0) throw new Error(stderr.trim() || `git exited with ${code}`);
    return stdout.toString('utf8');
  } catch (err) {
    throw new GitError(`git diff --function-context failed: ${String(err instanceof Error ? err.message : err).trim().split('\n')[0]}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The `-c` settings that give `--function-context` its funcname drivers: an attributes file (written into `dir`,
 * a private temporary folder the caller removes) assigning them by extension, the user's own attributes after ours.
 */
export async function functionContextSettings(repo: Repo, dir: string, user: Promise<string> = userAttributes(repo)): Promise<string[]> {
  const attributes = path.join(dir, 'attributes');
  await writeFile(attributes, `${defaultAttributes()}\n${await user}\n`);
  return ['-c', `core.attributesFile=${attributes}`, '-c', `diff.codeai-js.xfuncname=${JS_FUNCNAME}`];
}

const warmed = new WeakMap<Repo, Promise<string>>();

/**
 * Starts the lookup of the user's attributes file for the next function-context diff of `repo`: a review that will
 * widen its hunks for a model calls this first, so that the lookup's git runs while the built-in rules scan instead
 * of on the way to the model. Taken by that diff alone (a later one looks the file up again, as each always has).
 */
export function warmUserAttributes(repo: Repo): void {
  if (!warmed.has(repo)) warmed.set(repo, userAttributes(repo));
}

function takeWarmed(repo: Repo): Promise<string> | undefined {
  const lookup = warmed.get(repo);
  warmed.delete(repo);
  return lookup;
}

/** The user's global attributes file (core.attributesFile, else git's XDG default), or '' when there is none. */
async function userAttributes(repo: Repo): Promise<string> {
  const configured = ((await gitAnswer(repo, ['config', '--path', '--get', 'core.attributesFile'])) ?? '').trim();
  const xdg = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  const file = configured || path.join(xdg, 'git', 'attributes');
  return readFile(file, 'utf8').catch(() => '');
}
