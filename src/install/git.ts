import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { GitError, UsageError } from '../errors.js';
import { nearestPackageDir } from './package-json.js';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git and resolves with its exit code: `git config --get` exits 1 for "unset", which is an answer, not a failure. */
export function runGit(cwd: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        reject(new GitError(`could not run git in ${cwd} (${err.code ?? err.message}): install git and put it on PATH`));
        return;
      }
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
  });
}

/** Where things are: the work tree, the git dir shared by all worktrees, and the package the hook runs in. */
export interface RepoLayout {
  /** The work tree's top level (absolute, symlinks resolved): git runs hooks from here. */
  top: string;
  /** The git dir shared by all worktrees (absolute): holds hooks/, config and our install record. */
  commonDir: string;
  /** Nearest folder with a package.json from cwd up to top; top when there is none. */
  packageRoot: string;
}

export async function locateRepo(cwd: string): Promise<RepoLayout> {
  let here: string;
  try {
    here = realpathSync(cwd);
  } catch {
    throw new UsageError(`${cwd} does not exist: run codeai-hook from a folder of your project`);
  }
  const r = await runGit(here, ['rev-parse', '--show-toplevel', '--git-common-dir']);
  if (r.code !== 0) {
    if (/not a git repository/i.test(r.stderr)) {
      throw new GitError("not a git repository (run 'git init' first, or cd into your project)");
    }
    throw new GitError(`git rev-parse failed in ${here}: ${firstLine(r.stderr)} (run codeai-hook inside a clone's work tree)`);
  }
  const [top, commonDir] = r.stdout.trim().split('\n');
  if (!top || !commonDir) throw new GitError(`git rev-parse gave no work tree for ${here}: run codeai-hook inside a clone's work tree`);
  // git prints --git-common-dir relative to the cwd it ran in.
  return { top, commonDir: path.resolve(here, commonDir), packageRoot: nearestPackageDir(here, top) ?? top };
}

export type ConfigScope = 'local' | 'any';

/** A config value, or null when unset. `any` is what git itself uses (local over global over system). */
export async function getConfig(top: string, key: string, scope: ConfigScope): Promise<string | null> {
  const args = scope === 'local' ? ['config', '--local', '--get', key] : ['config', '--get', key];
  const r = await runGit(top, args);
  if (r.code === 1) return null;
  if (r.code !== 0) throw new GitError(`git ${args.join(' ')} failed: ${firstLine(r.stderr)} (fix the repository's git config)`);
  return r.stdout.trim();
}

/** Sets (value) or unsets (null) a key in the repository's own config. */
export async function setLocalConfig(top: string, key: string, value: string | null): Promise<void> {
  const args = value === null ? ['config', '--local', '--unset', key] : ['config', '--local', key, value];
  const r = await runGit(top, args);
  // --unset exits 5 when the key is already gone: the wanted state.
  if (r.code !== 0 && !(value === null && r.code === 5)) {
    throw new GitError(`git ${args.join(' ')} failed: ${firstLine(r.stderr)} (check that .git/config is writable)`);
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
