// The commits of a history whose message says they fix something: what `codeai-hook eval --from-history` reverses
// into bug-introducing changes (for a fix commit C, the diff of C^ against C brings the bug back).

import { GitError } from '../errors.js';
import type { Repo } from './repo.js';

export interface FixCommit {
  sha: string;
  parent: string;
  subject: string;
}

/** Words in a subject that say a commit fixes something; "prefix" and "suffix" are no fixes. */
const FIX_WORDS = '(^|[^a-z])(fix|fixes|fixed|fixing|bugfix|hotfix)([^a-z]|$)';

/**
 * Up to `max` of the latest non-merge commits reachable from `rev` whose subject says fix, newest first, looking at
 * no more than `scan` commits. Root commits have no parent to go back to and are left out.
 */
export async function fixCommits(repo: Repo, rev: string, max: number, scan = 2000): Promise<FixCommit[]> {
  let out: string;
  try {
    out = await repo.git.raw(['log', '--no-merges', `--max-count=${scan}`, '-i', '-E', `--grep=${FIX_WORDS}`, '--format=%H %P%x00%s%x00', rev, '--']);
  } catch (err) {
    throw new GitError(`git log ${rev} failed: ${firstLine(err)}; --from-history needs a repository with commits`);
  }
  const fields = out.split('\0');
  const commits: FixCommit[] = [];
  for (let i = 0; i + 1 < fields.length && commits.length < max; i += 2) {
    const [sha, parent, extra] = fields[i]!.trim().split(' ');
    const subject = fields[i + 1]!.trim();
    // --grep reads the whole message; the subject is what says what the commit is.
    if (!sha || !parent || extra !== undefined || !new RegExp(FIX_WORDS, 'i').test(subject)) continue;
    commits.push({ sha, parent, subject });
  }
  return commits;
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).trim().split('\n')[0] ?? 'unknown error';
}
