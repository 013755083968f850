// An editor's buffer as git would diff it: the text on stdin against the committed side in a private temporary file
// (`git diff --no-index`), with the very flags and pinned settings of every other diff here, so the language server
// and the hook see the same hunks. Reads only: nothing is written to the index, the objects or the work tree.

import { GitError } from '../errors.js';
import { diffFlags } from './diff.js';
import { runGit } from './objects.js';
import { PINNED_FLAGS, type Repo } from './repo.js';

export interface BufferDiffOptions {
  contextLines: number;
  /** Widen each hunk to its enclosing function; `settings` are function-context.ts's funcname drivers. */
  functionContext?: { settings: string[] };
}

/**
 * The diff of `oldFile` (a file holding the committed side, named like the real file so git's funcname drivers
 * apply) against `text`; '' when they are the same. Names in it are the temporary ones: the caller renames.
 */
export async function bufferDiff(repo: Repo, oldFile: string, text: string, opts: BufferDiffOptions): Promise<string> {
  const args = [
    ...PINNED_FLAGS,
    ...(opts.functionContext?.settings ?? []),
    'diff',
    '--no-index',
    ...diffFlags(opts.contextLines),
    ...(opts.functionContext ? ['--function-context'] : []),
    '--',
    oldFile,
    '-',
  ];
  const { code, stdout, stderr } = await runGit(repo, args, text);
  // --no-index exits 1 when the sides differ, as diff(1) does.
  if (code !== 0 && code !== 1) throw new GitError(`git diff --no-index failed (exit ${code}): ${firstLine(stderr)}`);
  return stdout.toString('utf8');
}

/** Whether git ignores `rel` (a file git would never commit); a tracked file is never ignored. */
export async function isIgnored(repo: Repo, rel: string): Promise<boolean> {
  const { code } = await runGit(repo, ['check-ignore', '-q', '--', rel], '');
  return code === 0;
}


function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
