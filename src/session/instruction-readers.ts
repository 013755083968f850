// Where team instruction files are read from: the work tree for the hook and review (the user's own files), the
// merge base for ci (a change cannot rewrite the conventions it is reviewed against). Neither follows a symlink, in
// the file's own name or in any folder above it: a CLAUDE.md linked to ~/.ssh/id_rsa, or `shared/notes.md` where
// `shared` links to the home folder, must not become prompt text.
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { readBlobs, SYMLINK_MODE, GITLINK_MODE, treeEntries } from '../git/objects.js';
import type { Repo } from '../git/repo.js';
import { readRegularFileSync } from '../regular-file.js';
import { isInstructionFile, type InstructionReader } from '../review/team-instructions.js';

/** Larger files are not instructions anyone wrote by hand; the budget would cut them anyway. */
const MAX_BYTES = 256 * 1024;

/**
 * Synchronous, as the policy is read: most of the names asked for do not exist, and a missing one is answered without
 * an error object built for it (each failed asynchronous lookup built one: ~1.5 ms for the usual seven, --cpu-prof).
 * Only regular files are read: a FIFO or a device is never opened.
 */
export function workingReader(top: string): InstructionReader {
  return {
    async read(rel) {
      const file = path.join(top, ...rel.split('/'));
      if (!realFolders(top, rel.split('/').slice(0, -1))) return null;
      // Looked at first: most names asked for do not exist, and an answer without an error object is cheaper.
      if (!lstatSync(file, { throwIfNoEntry: false })?.isFile()) return null;
      try {
        // Then opened without following a link and checked as opened: a file swapped for a symlink or a FIFO after
        // the look is never read (a FIFO would hold the commit with no Ctrl-C to end it).
        return readRegularFileSync(file, { maxBytes: MAX_BYTES, followSymlinks: false });
      } catch {
        return null; // gone, a link after all (ELOOP), or too large (EFBIG)
      }
    },
    async list(dir) {
      const folder = path.join(top, ...dir.split('/'));
      try {
        if (!realFolders(top, dir.split('/'))) return [];
        return readdirSync(folder, { withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => `${dir}/${e.name}`);
      } catch {
        return [];
      }
    },
  };
}

/**
 * Each folder of `names`, under `top`, is a folder and no symlink (O_NOFOLLOW guards only a path's last name). Most
 * paths asked for are at the top, where there is nothing to look at.
 */
function realFolders(top: string, names: readonly string[]): boolean {
  let at = top;
  try {
    for (const name of names) {
      at = path.join(at, name);
      if (!lstatSync(at, { throwIfNoEntry: false })?.isDirectory()) return false;
    }
  } catch {
    return false; // unreadable
  }
  return true;
}

export function committedReader(repo: Repo, rev: string): InstructionReader {
  const regular = async (paths: string[]) =>
    (await treeEntries(repo, rev, paths)).filter((e) => e.mode !== SYMLINK_MODE && e.mode !== GITLINK_MODE);
  return {
    async read(rel) {
      const entry = (await regular([rel])).find((e) => e.path === rel);
      if (!entry) return null;
      const blob = (await readBlobs(repo, [entry.oid])).get(entry.oid);
      return blob && blob.length <= MAX_BYTES ? blob.toString('utf8') : null;
    },
    async list(dir) {
      return (await regular([dir])).map((e) => e.path).filter((p) => path.posix.dirname(p) === dir);
    },
  };
}

/** The team instruction files a change touches (ci says which version it reviews with). */
export function changedInstructionFiles(files: readonly { path: string }[]): string[] {
  return files.filter((f) => isInstructionFile(f.path)).map((f) => f.path);
}
