// A commit, a checkout, a reset or a stage from the terminal changes what the editor's buffers are compared against,
// with no editor event to say so. Git rewrites the index and appends to logs/HEAD whenever HEAD moves, both in this
// work tree's git dir: watching those two folders (not their contents) tells when to look again.

import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** Calls `changed` (at most once per `quietMs`) after git's index or HEAD moved; returns the stopper. */
export function watchGit(gitDir: string, changed: () => void, quietMs = 300): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = (file: string | null) => {
    if (file !== null && file !== 'index' && file !== 'HEAD') return;
    clearTimeout(timer);
    timer = setTimeout(changed, quietMs);
    timer.unref();
  };
  const watchers: FSWatcher[] = [];
  for (const dir of [gitDir, path.join(gitDir, 'logs')]) {
    try {
      const w = watch(dir, { persistent: false }, (_event, file) => fire(file === null ? null : String(file)));
      // A folder removed under us, or no more watches to be had: the editor's own events still drive the reviews.
      w.on('error', () => w.close());
      watchers.push(w);
    } catch {
      // logs/ appears with the first commit; a repository without one still has its index watched.
    }
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
