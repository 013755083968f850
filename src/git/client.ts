// simple-git, the project's git client, configured for this repository: loaded only when a command first asks
// repo.git for something (repo.ts), never by opening a repository.

import { simpleGit, type SimpleGit } from 'simple-git';
import { DIFF_SHAPING_ENV, PINNED_CONFIG } from './repo.js';

/** The client every repo.git call uses, in `baseDir`. */
export function client(baseDir: string): SimpleGit {
  return withoutQuietWait(simpleGit({
    baseDir,
    allowEnvironment: Object.keys(process.env).filter((k) => /^GIT_/i.test(k) && !DIFF_SHAPING_ENV.has(k.toUpperCase())),
    // simple-git's default also races a 50 ms timer against each git's exit and never clears it, which kept every
    // hook run alive 50 ms after its work was done (measured). 'close' alone is exact: all output has been read.
    completion: { onClose: true, onExit: false },
    config: [...PINNED_CONFIG],
  }));
}

const NOTHING = Buffer.alloc(0);

/**
 * simple-git 4's completion plugin sleeps 50 ms after every git that printed nothing (an empty staged diff, a
 * merge-base with no answer), whatever the `completion` option says: it listens for 'data' on the process's streams
 * and waits when none came. Its output handler, the public hook that sees each process's streams first, reports one
 * empty chunk when stdout ends (before the process's 'close', which the plugin awaits), so silence costs nothing.
 * An empty chunk adds no bytes to what simple-git collects.
 */
function withoutQuietWait(git: SimpleGit): SimpleGit {
  return git.outputHandler((_command, stdout) => {
    stdout.once('end', () => stdout.emit('data', NOTHING));
  });
}
