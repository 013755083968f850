import { GitError } from '../errors.js';
import type { Repo } from './repo.js';

/**
 * Flags that make git print the one stable format parseDiff reads, whatever the user's git config says: every
 * diff.* setting that changes which files appear (diff.relative), their names (prefixes, quoting), their order
 * (diff.orderFile) or the hunks' shape (context, algorithm, renames) is overridden here or in repo.ts.
 */
function diffFlags(contextLines: number): string[] {
  return [
    '--no-relative',
    '-M',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--submodule=short',
    '--ignore-submodules=none',
    `--unified=${contextLines}`,
    '--inter-hunk-context=0',
    '--diff-algorithm=myers',
    '--indent-heuristic',
    '-O/dev/null',
    '--src-prefix=a/',
    '--dst-prefix=b/',
  ];
}

/**
 * The staged change: the index against HEAD (against the empty tree before the first commit, which
 * `git diff --cached` handles itself). During a merge HEAD is the first parent, so a merge is reviewed as its result
 * against the first parent. Reads only: never touches the work tree or the index.
 */
export async function stagedDiff(repo: Repo, contextLines: number): Promise<string> {
  try {
    return await repo.git.raw(['diff', '--cached', ...diffFlags(contextLines)]);
  } catch (err) {
    throw new GitError(`git diff --cached failed: ${firstLine(err)}`);
  }
}

/** The change of a pull request: head against the merge base of base and head. */
export async function rangeDiff(repo: Repo, base: string, head: string, contextLines: number): Promise<string> {
  await verifyCommit(repo, base, 'base');
  await verifyCommit(repo, head, 'head');
  // git merge-base exits 1 with no output when there is none, which simple-git resolves as an empty string.
  const mergeBase = (await repo.git.raw(['merge-base', base, head]).catch(() => '')).trim();
  if (!mergeBase) {
    const shallow = (await repo.git.raw(['rev-parse', '--is-shallow-repository']).catch(() => '')).trim() === 'true';
    throw new GitError(
      shallow
        ? `no merge base between ${base} and ${head}: this clone is shallow; fetch more history with 'git fetch --deepen=200 origin' or set 'fetch-depth: 0' on actions/checkout`
        : `no merge base between ${base} and ${head}: they share no history; pass a --base that ${head} was branched from`,
    );
  }
  try {
    return await repo.git.raw(['diff', ...diffFlags(contextLines), mergeBase, head]);
  } catch (err) {
    throw new GitError(`git diff ${mergeBase.slice(0, 12)} ${head} failed: ${firstLine(err)}`);
  }
}

async function verifyCommit(repo: Repo, ref: string, role: 'base' | 'head'): Promise<void> {
  try {
    await repo.git.raw(['rev-parse', '--verify', `${ref}^{commit}`]);
  } catch {
    throw new GitError(
      `${role} ref '${ref}' is not a commit in this clone: fetch it first ('git fetch origin ${ref.replace(/^origin\//, '')}'), or use fetch-depth: 0 on actions/checkout`,
    );
  }
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).trim().split('\n')[0] ?? 'unknown error';
}
