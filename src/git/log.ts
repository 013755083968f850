import { GitError } from '../errors.js';
import type { Repo } from './repo.js';

/** Subjects of the commits in from..to (merges left out), oldest first; at most `max`, the newest kept. */
export async function commitSubjects(repo: Repo, from: string, to: string, max = 200): Promise<string[]> {
  try {
    const out = await repo.git.raw(['log', '--no-merges', `--max-count=${max}`, '--format=%s%x00', `${from}..${to}`, '--']);
    return out
      .split('\0')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .reverse();
  } catch (err) {
    throw new GitError(`git log ${from}..${to} failed: ${String(err instanceof Error ? err.message : err).trim().split('\n')[0]}`);
  }
}
