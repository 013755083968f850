import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { GitError } from '../errors.js';

/** What repo.git runs: simple-git's `raw`, resolving to git's output as text. */
export interface GitClient {
  raw(args: string[]): Promise<string>;
}

export interface Repo {
  /** simple-git in the top level, loaded on first use (client.ts). */
  git: GitClient;
  /** The work tree's top level (absolute). */
  top: string;
  /** This work tree's git dir (absolute): differs from the common dir in a linked worktree. */
  gitDir: string;
}

/**
 * Opens the repository that holds `cwd`, starting its git at once (call it before other work, and await it later).
 *
 * This one git, which every command and every commit runs, is spawned here rather than through simple-git: loading
 * simple-git (its argv parser, debug, file-exists) and its per-call checks of our pinned `-c` flags against its
 * table of unsafe options cost the hook ~8 ms of a commit (CPU profile), for a fixed command with no user input in
 * it. It runs with the same pinned settings (PINNED_FLAGS) and the same environment (gitEnvironment) as the staged
 * diff beside it. The repository's simple-git client is loaded only when something asks repo.git.
 *
 * Git's own environment must reach the git we run: during `git commit <path>` git hands the hook a temporary index
 * in GIT_INDEX_FILE, and GIT_DIR / GIT_WORK_TREE / GIT_CONFIG_PARAMETERS say which repository and settings are in
 * force. simple-git 4 strips every ambient GIT_* variable unless allowed (it guards libraries that pass untrusted
 * environments); ours is the user's own git's, which would honour all of them, so all are allowed through, except
 * the two that reshape a diff (GIT_DIFF_OPTS, GIT_EXTERNAL_DIFF).
 */
export async function openRepo(cwd: string): Promise<Repo> {
  let run: GitRun;
  try {
    run = await spawnGit(cwd, [...PINNED_FLAGS, 'rev-parse', '--show-toplevel', '--absolute-git-dir']);
  } catch (failed) {
    // Node reports a missing cwd as it reports a missing git: `spawn git ENOENT`.
    if ((failed as NodeJS.ErrnoException).code === 'ENOENT' && existsSync(cwd)) {
      throw new GitError('git was not found on PATH: install git (https://git-scm.com), or add it to PATH');
    }
    throw new GitError(`${cwd} is not inside a git work tree: cd into your repository (or run 'git init' first)`);
  }
  if (run.code !== 0) throw new GitError(`${cwd} is not inside a git work tree: cd into your repository (or run 'git init' first)`);
  const [top, gitDir] = run.stdout.toString('utf8').trim().split('\n');
  if (!top || !gitDir) throw new GitError(`git rev-parse gave no work tree for ${cwd}: run this inside a repository's work tree`);
  // Every later command runs at the top level, so that what git lists (ls-files, ls-tree) is never cut down to, or
  // named relative to, the folder the hook was started in (a monorepo package).
  return { git: lazyClient(path.resolve(top)), top: path.resolve(top), gitDir: path.resolve(gitDir) };
}

/** What a git process gave: its exit code (128 when it gave none), its output as bytes, its stderr as text. */
export interface GitRun {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * `git <args>` in `cwd`, with the environment every git of ours gets (gitEnvironment) and `input` on its stdin (none:
 * /dev/null, so that a git that reads no input gets no pipe, socket or write it would only answer with EPIPE).
 * Rejects with Node's error only when git cannot be started (a missing git, or a missing cwd: both ENOENT).
 */
export function spawnGit(cwd: string, args: string[], input = ''): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env: gitEnvironment(), stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    // Both are pipes (stdio above); only stdin may be absent.
    child.stdout!.on('data', (d: Buffer) => chunks.push(d));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 128, stdout: Buffer.concat(chunks), stderr }));
    if (child.stdin) {
      // A closed pipe is reported by 'close' with git's own exit status; do not let EPIPE escape as an exception.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}

/** simple-git for `baseDir`, imported and configured on the first call. */
function lazyClient(baseDir: string): GitClient {
  let loaded: Promise<GitClient> | undefined;
  return {
    raw: async (args) => {
      loaded ??= import('./client.js').then(({ client }) => client(baseDir));
      return (await loaded).raw(args);
    },
  };
}

/** Variables of the user's environment that would change the shape of a diff: never passed on. */
export const DIFF_SHAPING_ENV: ReadonlySet<string> = new Set(['GIT_DIFF_OPTS', 'GIT_EXTERNAL_DIFF']);

/** The settings our parser relies on, pinned whatever the user's config says (the flags in diff.ts pin the rest). */
export const PINNED_CONFIG = [
  'core.quotePath=true',
  'diff.noprefix=false',
  'diff.mnemonicPrefix=false',
  'diff.suppressBlankEmpty=false',
  'diff.relative=false',
  'color.ui=false',
  // A replace ref (refs/replace/<HEAD> naming a commit whose tree is the index) would make the index look committed
  // already, while git commit records the real objects: every git here reads those (GIT_NO_REPLACE_OBJECTS below).
  'core.useReplaceRefs=false',
] as const;

/** PINNED_CONFIG as `-c` flags, for a git spawned without simple-git. */
export const PINNED_FLAGS: readonly string[] = PINNED_CONFIG.flatMap((setting) => ['-c', setting]);

/**
 * The environment of every git call here: the user's own, without the variables that reshape a diff, and with replace
 * refs off (see PINNED_CONFIG), also for the gits spawned without our `-c` flags (cat-file, ls-files).
 */
export function gitEnvironment(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !DIFF_SHAPING_ENV.has(k.toUpperCase())));
  return { ...env, GIT_NO_REPLACE_OBJECTS: '1' };
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
