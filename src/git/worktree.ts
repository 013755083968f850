// The one place codeai-hook writes to a repository: `codeai-hook fix`, asked by the user, applies a patch to the work
// tree with `git apply`, never to the index (no --index, no --cached), so the author reviews and stages the change.
// git apply matches each hunk's context against the file as it is now (and finds it again when lines above moved),
// refuses a path reached through a symbolic link or whose type differs from the patch's mode, and writes nothing at
// all when any hunk does not apply.

import { constants } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { runGit } from './objects.js';
import type { Repo } from './repo.js';

export type ApplyOutcome = { ok: true } | { ok: false; reason: string };

/** `git apply` of `patch` in the work tree, or with `check` only whether it would apply. */
export async function applyToWorkTree(repo: Repo, patch: string, opts: { check: boolean }): Promise<ApplyOutcome> {
  // --whitespace=nowarn: a user's apply.whitespace=error must not refuse a fix for the whitespace it keeps.
  const args = ['apply', '--whitespace=nowarn', ...(opts.check ? ['--check'] : []), '-'];
  const { code, stderr } = await runGit(repo, args, patch);
  return code === 0 ? { ok: true } : { ok: false, reason: gitReason(stderr) };
}

/** The line of git's output that says why, without the "error: " prefix. */
function gitReason(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.replace(/^(?:error|fatal): /, '').trim()).filter((l) => l !== '');
  return lines.find((l) => !/^patch failed: /.test(l)) ?? lines[0] ?? 'git apply refused the change';
}

/**
 * Why the work-tree file at `rel` may not be written, or null: every folder on the way must be a real folder and the
 * file a regular file, not a symbolic link (git apply refuses them too; this says so in our words, before asking).
 */
export async function workTreeRefusal(repo: Repo, rel: string): Promise<string | null> {
  const parts = rel.split('/');
  let at = repo.top;
  for (const [i, part] of parts.entries()) {
    at = path.join(at, part);
    const info = await lstat(at).catch(() => null);
    const shown = parts.slice(0, i + 1).join('/');
    if (info === null) return `${shown} is not in the work tree`;
    if (info.isSymbolicLink()) return `${shown} is a symbolic link in the work tree: not followed`;
    const last = i === parts.length - 1;
    if (!last && !info.isDirectory()) return `${shown} is not a folder in the work tree`;
    if (last && !info.isFile()) return `${rel} is not a regular file in the work tree`;
    if (last && (info.mode & constants.S_IWUSR) === 0) return `${rel} is read-only in the work tree`;
  }
  return null;
}
