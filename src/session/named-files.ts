// The content `review FILE…` and `baseline --all` review, read the way git stores it: from the index, where a
// symlink's content is its target path. Reading tracked paths through the file system followed links out of the
// repository (`ln -s ~/.npmrc notes.txt` sent the token to the model). A file not yet added is read from the work
// tree, and there too no link is followed.

import { constants } from 'node:fs';
import { nodeBuiltin } from '../node-builtin.js';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { readIndexFiles, type StoredFile } from '../git/objects.js';
import type { Repo } from '../git/repo.js';
import type { DiffFile } from '../types.js';
import { withOwnKeyLines } from './diffs.js';
import { wholeFileDiff } from './whole-file.js';

/** Every staged file, as whole-file diffs. */
export async function trackedFiles(repo: Repo): Promise<DiffFile[]> {
  return (await readIndexFiles(repo)).map(asDiff);
}

/**
 * The files the user named (relative to `cwd`): each staged file at or under the path, as staged; a path git does
 * not track, from the work tree.
 */
export async function namedFiles(repo: Repo, cwd: string, args: readonly string[]): Promise<DiffFile[]> {
  const rels = args.map((arg) => repoPath(repo, cwd, arg));
  const staged = await readIndexFiles(repo, rels.includes('') ? [] : rels);
  const files: DiffFile[] = [];
  for (const [i, rel] of rels.entries()) {
    const under = staged.filter((f) => rel === '' || f.path === rel || f.path.startsWith(`${rel}/`));
    if (under.length > 0) files.push(...under.map(asDiff));
    else files.push(asWholeFile(rel, await readUntracked(repo.top, rel, args[i] ?? rel)));
  }
  return files;
}

function asDiff(file: StoredFile): DiffFile {
  return asWholeFile(file.path, file.content.toString('utf8'));
}

function asWholeFile(path: string, content: string): DiffFile {
  return withOwnKeyLines(wholeFileDiff(path, content), content);
}

function repoPath(repo: Repo, cwd: string, arg: string): string {
  const rel = path.relative(repo.top, path.resolve(cwd, arg));
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    throw new UsageError(`${arg} is outside the repository (${repo.top}): give files inside it`);
  }
  return rel.split(path.sep).join('/');
}

/** A file git does not track yet: its bytes, or for a symlink its target path; never through a linked folder. */
async function readUntracked(top: string, rel: string, shown: string): Promise<string> {
  const fs = nodeBuiltin('node:fs/promises');
  const parts = rel.split('/');
  let at = top;
  for (const [i, part] of parts.entries()) {
    at = path.join(at, part);
    const info = await fs.lstat(at).catch(() => null);
    if (info === null) throw new UsageError(`cannot read ${shown}: give files that exist in the work tree`);
    const last = i === parts.length - 1;
    if (info.isSymbolicLink()) {
      if (last) return fs.readlink(at);
      throw new UsageError(`${shown} is reached through the symbolic link ${parts.slice(0, i + 1).join('/')}, which is not followed: name the file where it lives`);
    }
    if (last && !info.isFile()) throw new UsageError(`cannot read ${shown}: not a regular file`);
  }
  // O_NOFOLLOW: the path was checked above; a link swapped in since is refused rather than followed.
  const handle = await fs.open(path.join(top, rel), constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch(() => {
    throw new UsageError(`cannot read ${shown}: give files that exist in the work tree`);
  });
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
