// A small file read at once, only if it is a regular file. Opened without blocking and checked as opened: a FIFO or
// a device in a file's place (or swapped in after a stat) is never read, since a synchronous read of one would block
// the process where no Ctrl-C could end it. The hook reads its policy, its findings cache and the user's git
// attributes this way: synchronous calls, each an asynchronous thread-pool round trip less on every commit.

import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';

/**
 * The file's text; null when it is not a regular file. Throws what opening or reading throws (ENOENT included), and
 * an error with code EFBIG, before reading anything, for a file larger than `maxBytes`.
 */
export function readRegularFileSync(file: string, maxBytes = Infinity): string | null {
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return null;
    if (info.size > maxBytes) throw Object.assign(new Error(`${file} is larger than ${maxBytes} bytes`), { code: 'EFBIG' });
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
