import { GitError, UsageError } from '../errors.js';
import { importExternal } from '../external-import.js';

/** husky skips its setup under HUSKY=0; we stop before changing anything rather than leave half an install. */
export function assertHuskyEnabled(): void {
  if (process.env.HUSKY === '0') {
    throw new UsageError('HUSKY=0 is set, so husky would not set up core.hooksPath and no hook would run: unset HUSKY and run codeai-hook install again');
  }
}

/**
 * Runs husky's own setup: sets core.hooksPath to `<dir>/_` and writes its stubs there. husky works on the current
 * directory (it must hold `.git`) and takes the folder relative to it, so we chdir for this synchronous call.
 */
export async function setUpHusky(top: string, dirFromTop: string): Promise<void> {
  assertHuskyEnabled();
  // Loaded where it is installed, not bundled: husky copies a file that sits beside its own module.
  const husky = ((await importExternal('husky')) as typeof import('husky')).default;
  const previous = process.cwd();
  let message: string;
  process.chdir(top);
  try {
    message = husky(dirFromTop);
  } finally {
    process.chdir(previous);
  }
  if (message) throw new GitError(`husky could not set up ${dirFromTop}: ${message.trim()} (fix that and run codeai-hook install again)`);
}
