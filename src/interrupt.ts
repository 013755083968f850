// What an interrupted run must not leave behind: files it is still writing (reports, cache entries, a temporary copy
// of the merge base's policy). A signal ends the process at once (src/cli.ts), so whoever creates such a file
// registers it here first and unregisters it once the file is complete or gone.

import { rmSync } from 'node:fs';

const leftovers = new Set<string>();
let interruptedBy: NodeJS.Signals | null = null;

/** The signal that is ending this run, or null: exit listeners use it to tell our own exit from anyone else's. */
export function interruption(): NodeJS.Signals | null {
  return interruptedBy;
}

/**
 * Resolves after one full turn of the event loop, whose poll phase reads a signal that arrived during synchronous
 * work (the built-in scan): called after such work, so that Ctrl-C wins over printing and returning the verdict.
 */
export function letSignalsIn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/** Removes `path` (file or folder) if the run is interrupted before the returned function is called. */
export function removeIfInterrupted(path: string): () => void {
  leftovers.add(path);
  return () => {
    leftovers.delete(path);
  };
}

/** Synchronously, from the signal handler: records the signal and removes every registered path; never throws. */
export function interrupted(signal: NodeJS.Signals): void {
  interruptedBy = signal;
  for (const path of leftovers) {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch {
      // Nothing more can be done on the way out.
    }
  }
  leftovers.clear();
}
