import { existsSync } from 'node:fs';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { GitError } from '../errors.js';

export interface Repo {
  git: SimpleGit;
  /** The work tree's top level (absolute). */
  top: string;
  /** This work tree's git dir (absolute): differs from the common dir in a linked worktree. */
  gitDir: string;
}

/**
 * Opens the repository that holds `cwd`.
 *
 * Git's own environment must reach the git we run: during `git commit <path>` git hands the hook a temporary index
 * in GIT_INDEX_FILE, and GIT_DIR / GIT_WORK_TREE / GIT_CONFIG_PARAMETERS say which repository and settings are in
 * force. simple-git 4 strips every ambient GIT_* variable unless allowed (it guards libraries that pass untrusted
 * environments); ours is the user's own git's, which would honour all of them, so all are allowed through, except
 * the two that reshape a diff (GIT_DIFF_OPTS, GIT_EXTERNAL_DIFF).
 */
export async function openRepo(cwd: string): Promise<Repo> {
  let out: string;
  try {
    out = await client(cwd).raw(['rev-parse', '--show-toplevel', '--absolute-git-dir']);
  } catch (err) {
    if (/\bENOENT\b|spawn git/.test(String(err instanceof Error ? err.message : err))) {
      throw new GitError('git was not found on PATH: install git (https://git-scm.com), or add it to PATH');
    }
    throw new GitError(`${cwd} is not inside a git work tree: cd into your repository (or run 'git init' first)`);
  }
  const [top, gitDir] = out.trim().split('\n');
  if (!top || !gitDir) throw new GitError(`git rev-parse gave no work tree for ${cwd}: run this inside a repository's work tree`);
  // Every later command runs at the top level, so that what git lists (ls-files, ls-tree) is never cut down to, or
  // named relative to, the folder the hook was started in (a monorepo package).
  return { git: client(path.resolve(top)), top: path.resolve(top), gitDir: path.resolve(gitDir) };
}

/** Variables of the user's environment that would change the shape of a diff: never passed on. */
const DIFF_SHAPING_ENV = new Set(['GIT_DIFF_OPTS', 'GIT_EXTERNAL_DIFF']);

/** The settings our parser relies on, pinned whatever the user's config says (the flags in diff.ts pin the rest). */
export const PINNED_CONFIG = [
  'core.quotePath=true',
  'diff.noprefix=false',
  'diff.mnemonicPrefix=false',
  'diff.suppressBlankEmpty=false',
  'diff.relative=false',
  'color.ui=false',
] as const;

/** PINNED_CONFIG as `-c` flags, for a git spawned without simple-git. */
export const PINNED_FLAGS: readonly string[] = PINNED_CONFIG.flatMap((setting) => ['-c', setting]);

/** The environment of every git call here: the user's own, without the variables that reshape a diff. */
export function gitEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !DIFF_SHAPING_ENV.has(k.toUpperCase())));
}

/** The client every git call here uses, in `baseDir`. */
export function client(baseDir: string): SimpleGit {
  return withoutQuietWait(simpleGit({
    baseDir,
    allowEnvironment: Object.keys(process.env).filter((k) => /^GIT_/i.test(k) && !DIFF_SHAPING_ENV.has(k.toUpperCase())),
    // simple-git's default also races a 50 ms timer against each git's exit and never clears it, which kept every
    // hook run alive 50 ms after its work was done (measured). 'close' alone is exact: all output has been read.
    completion: { onClose: true, onExit: false },
    config: [...PINNED_CONFIG],
  }));
}

const NOTHING = Buffer.alloc(0);

/**
 * simple-git 4's completion plugin sleeps 50 ms after every git that printed nothing (an empty staged diff, a
 * merge-base with no answer), whatever the `completion` option says: it listens for 'data' on the process's streams
 * and waits when none came. Its output handler, the public hook that sees each process's streams first, reports one
 * empty chunk when stdout ends (before the process's 'close', which the plugin awaits), so silence costs nothing.
 * An empty chunk adds no bytes to what simple-git collects.
 */
function withoutQuietWait(git: SimpleGit): SimpleGit {
  return git.outputHandler((_command, stdout) => {
    stdout.once('end', () => stdout.emit('data', NOTHING));
  });
}

export type RepoState = 'rebase' | 'cherry-pick' | 'revert' | 'merge' | null;

/** What git is in the middle of, read from the marker files git itself writes. */
export function repoState(gitDir: string): RepoState {
  if (existsSync(path.join(gitDir, 'rebase-merge')) || existsSync(path.join(gitDir, 'rebase-apply'))) return 'rebase';
  if (existsSync(path.join(gitDir, 'CHERRY_PICK_HEAD'))) return 'cherry-pick';
  if (existsSync(path.join(gitDir, 'REVERT_HEAD'))) return 'revert';
  if (existsSync(path.join(gitDir, 'MERGE_HEAD'))) return 'merge';
  return null;
}
