// A small file read at once, only if it is a regular file. Opened without blocking and checked as opened: a FIFO or
// a device in a file's place (or swapped in after a stat) is never read, since a synchronous read of one would block
// the process where no Ctrl-C could end it. The hook reads its policy, the user config, the baseline, its findings
// cache, the team's instruction files and the user's git attributes this way: synchronous calls, each an
// asynchronous thread-pool round trip less on every commit.

import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';

export interface RegularFileOptions {
  /** Larger files are refused before anything is read: an error with code EFBIG. */
  maxBytes?: number;
  /**
   * false: a symlink in the file's place is not followed (ELOOP where the system can refuse it at open, else null
   * after a look at the name), so that a link planted in a repository cannot make us read what it points at.
   */
  followSymlinks?: boolean;
}

/**
 * The file's text; null when it is not a regular file. Throws what opening or reading throws (ENOENT included), and
 * an error with code EFBIG, before reading anything, for a file larger than `maxBytes`.
 */
export function readRegularFileSync(file: string, { maxBytes = Infinity, followSymlinks = true }: RegularFileOptions = {}): string | null {
  const noFollow = followSymlinks ? 0 : (constants.O_NOFOLLOW ?? 0);
  // Where open cannot refuse a link itself (Windows), the name is looked at first.
  if (!followSymlinks && noFollow === 0 && lstatSync(file).isSymbolicLink()) return null;
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | noFollow);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return null;
    if (info.size > maxBytes) throw Object.assign(new Error(`${file} is larger than ${maxBytes} bytes`), { code: 'EFBIG' });
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
