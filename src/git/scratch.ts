// A throw-away repository holding one change: the `before` files committed, then the `after` files committed on top.
// `codeai-hook eval` reviews each labelled case in one, so the case goes through the very git the hook uses
// (function context, funcname drivers). Created in a private temporary folder, never inside the user's work tree,
// with the user's hooks, signing and templates kept out.

import { execFile } from 'node:child_process';
import { nodeBuiltin } from '../node-builtin.js';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { GitError } from '../errors.js';

const run = promisify(execFile);

export interface ScratchFile {
  /** Repo-relative, '/'-separated, inside the repository. */
  path: string;
  before: string | null;
  after: string | null;
}

export interface ScratchRepo {
  dir: string;
  from: string;
  to: string;
  remove(): Promise<void>;
}

export async function scratchRepo(files: readonly ScratchFile[]): Promise<ScratchRepo> {
  const fs = nodeBuiltin('node:fs/promises');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'codeai-eval-'));
  const remove = () => fs.rm(dir, { recursive: true, force: true });
  // Nothing of the user's git setup may act here: no hooks, no signing, no template, a fixed identity.
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_TEMPLATE_DIR: '' };
  const git = async (...args: string[]) =>
    (
      await run(
        'git',
        ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', '-c', 'user.name=codeai-hook eval', '-c', 'user.email=eval@codeai-hook.invalid', ...args],
        { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 },
      )
    ).stdout.trim();
  try {
    await git('init', '-q');
    const commit = async (side: 'before' | 'after', message: string): Promise<string> => {
      for (const f of files) {
        const file = path.join(dir, ...f.path.split('/'));
        if (!file.startsWith(dir + path.sep)) throw new GitError(`case file ${f.path} is outside its repository`);
        const text = f[side];
        if (text === null) await fs.rm(file, { force: true });
        else {
          await fs.mkdir(path.dirname(file), { recursive: true });
          await fs.writeFile(file, text);
        }
      }
      await git('add', '-A');
      await git('commit', '-q', '--no-verify', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD');
    };
    const from = await commit('before', 'before');
    const to = await commit('after', 'after');
    return { dir, from, to, remove };
  } catch (err) {
    await remove();
    if (err instanceof GitError) throw err;
    throw new GitError(`cannot make a scratch repository for eval: ${String(err instanceof Error ? err.message : err).split('\n')[0]}`);
  }
}
