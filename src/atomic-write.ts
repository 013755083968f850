// Writing a file whole or not at all: into a temporary file beside it, then renamed over it. A reader (another
// commit, another worktree, a CI step) sees the old file or the new one, never half of one; a full disk leaves the
// old file as it was. Used by the launcher's code cache (code-cache.ts), the findings cache and the reports.
//
// The launcher (dist/bin.js) bundles this file and runs on every commit, so it imports node:fs and node:path alone:
// the asynchronous form uses node:fs's callbacks, not node:fs/promises, and the temporary name needs no node:crypto.

import { rename, renameSync, unlink, unlinkSync, writeFile, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** The new file's mode (0o600 for a file only its user may read); the temporary file is created with it. */
  mode?: number;
  /**
   * Called with the temporary file's path before it is created; the function it returns is called once the temporary
   * file is renamed or removed. The CLI registers the path for removal on Ctrl-C (interrupt.ts) this way.
   */
  guard?: (temp: string) => () => void;
}

let written = 0;

/**
 * A name beside `file`, hidden, unique to this process and this write, ending in `.tmp` (code-cache.ts sweeps old
 * ones by that ending). Created with 'wx': a file already there (a symlink planted in its place) is never written
 * through.
 */
function tempPathFor(file: string): string {
  written += 1;
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}${written}.tmp`);
}

/** Writes `data` to `file` atomically; on failure removes the temporary file and throws the cause. */
export function writeFileAtomicSync(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const temp = tempPathFor(file);
  const release = options.guard?.(temp);
  try {
    writeFileSync(temp, data, { flag: 'wx', ...(options.mode === undefined ? {} : { mode: options.mode }) });
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Never written, or already gone.
    }
    throw error;
  } finally {
    release?.();
  }
}

/** The asynchronous form of writeFileAtomicSync, with the same guarantees. */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = tempPathFor(file);
  const release = options.guard?.(temp);
  try {
    await settled((done) => writeFile(temp, data, { flag: 'wx', ...(options.mode === undefined ? {} : { mode: options.mode }) }, done));
    await settled((done) => rename(temp, file, done));
  } catch (error) {
    await settled((done) => unlink(temp, done)).catch(() => {
      // Never written, or already gone.
    });
    throw error;
  } finally {
    release?.();
  }
}

function settled(start: (done: (error: NodeJS.ErrnoException | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => start((error) => (error ? reject(error) : resolve())));
}
