// The hook's two gits (the staged diff and the repository's lookup), started before anything else of the CLI:
// see hook-start.ts, which bin.ts imports first.

import { startStagedDiff, type EarlyStagedDiff } from '../git/diff.js';
import { openRepo, type Repo } from '../git/repo.js';
import { DEFAULT_POLICY } from '../policy/defaults.js';

export interface HookGit {
  cwd: string;
  /** The staged diff at the default context lines (read again only if the policy sets others). */
  early: EarlyStagedDiff;
  /** The repository being opened. */
  repo: Promise<Repo>;
}

let started: HookGit | null = null;

/** Starts both gits in `cwd` at once. */
export function startHookGit(cwd: string): HookGit {
  const early = startStagedDiff(cwd, DEFAULT_POLICY.contextLines);
  const repo = openRepo(cwd);
  // Awaited by the session, which reports a failure; until then it must not count as an unhandled rejection.
  repo.catch(() => undefined);
  return { cwd, early, repo };
}

/** Starts them for this process's `codeai-hook run` before the CLI's modules initialise (hook-start.ts). */
export function startHookGitEarly(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: () => string): void {
  // What main() answers without running the command (help, version), and a skipped run, start no git.
  if (argv[0] !== 'run' || env.CODEAI_SKIP === '1' || argv.some((a) => /^(-h|--help|-v|--version)$/.test(a))) return;
  try {
    started = startHookGit(cwd());
  } catch {
    // A folder that no longer exists (process.cwd() throws): main() meets it too, and reports it as an error.
  }
}

/** The gits already started for `cwd` (taken once), else started now. */
export function hookGitFor(cwd: string): HookGit {
  const own = started?.cwd === cwd ? started : startHookGit(cwd);
  started = null;
  return own;
}
