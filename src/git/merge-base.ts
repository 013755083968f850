import type { Repo } from './repo.js';

/** The merge base of two commits, or null when they share none (rangeDiff says why when it needs one). */
export async function mergeBase(repo: Repo, base: string, head: string): Promise<string | null> {
  const out = (await repo.git.raw(['merge-base', base, head]).catch(() => '')).trim();
  return out === '' ? null : out;
}
