// One review session per repository the editor has files open in, opened as the hook opens its own (at the top level,
// the working policy, the user's config and key trust) and opened afresh after every save, so an edited policy
// applies at once. A policy that does not load is a diagnostic on the policy file, and nothing else is reviewed in
// that repository until it loads, as the hook would refuse to run.

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, GitError, UsageError } from '../errors.js';
import { openRepo } from '../git/repo.js';
import { openSession, type Session } from '../session/session.js';

export interface PolicyProblem {
  /** The policy file at fault (absolute). */
  file: string;
  message: string;
  /** 0-based line of the key at fault (0 when it cannot be found), and that line's length. */
  line: number;
  length: number;
}

export interface SessionEvents {
  /** A policy failed to load (problem), or loaded again (null), in the repository at `top`. */
  policy(top: string, problem: PolicyProblem | null): void;
  /** Something else stopped a session from opening (the user's config, an environment variable): said once. */
  error(message: string): void;
}

export class Sessions {
  private readonly tops = new Map<string, Promise<string | null>>();
  private readonly open = new Map<string, Promise<Session | null>>();

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly signal: AbortSignal,
    private readonly events: SessionEvents,
  ) {}

  /** The top level of the repository holding `file`, or null when it is in none. */
  topOf(file: string): Promise<string | null> {
    const dir = path.dirname(file);
    let top = this.tops.get(dir);
    if (!top) {
      // A new file may sit in folders not created yet: git is asked from the nearest one that exists.
      top = existingFolder(dir).then(openRepo).then(
        (repo) => repo.top,
        (error: unknown) => {
          if (error instanceof GitError) return null;
          throw error;
        },
      );
      this.tops.set(dir, top);
      // Only a repository found is remembered: a git that failed once (a busy machine, a folder made a repository
      // later) is asked again at the next review, rather than leaving the folder's files unreviewed for good.
      const forget = () => {
        if (this.tops.get(dir) === top) this.tops.delete(dir);
      };
      top.then((found) => found === null && forget(), forget);
    }
    return top;
  }

  /** The session of the repository at `top`: null while its policy does not load. */
  sessionAt(top: string): Promise<Session | null> {
    let session = this.open.get(top);
    if (!session) {
      session = this.openAt(top);
      this.open.set(top, session);
    }
    return session;
  }

  /** The next review in that repository opens its session again (after a save: the policy may have changed). */
  refresh(top: string): void {
    this.open.delete(top);
  }

  private async openAt(top: string): Promise<Session | null> {
    try {
      const session = await openSession({ cwd: top, env: this.env, signal: this.signal, command: 'run', refusalGoesToOnError: true });
      this.events.policy(top, null);
      return session;
    } catch (error) {
      if (error instanceof ConfigError && error.file) {
        this.events.policy(top, await problemOf(error, error.file));
        return null;
      }
      if (error instanceof ConfigError || error instanceof GitError || error instanceof UsageError) {
        this.events.error(error.message);
        return null;
      }
      throw error;
    }
  }
}

async function problemOf(error: ConfigError, file: string): Promise<PolicyProblem> {
  const lines = (await readFile(file, 'utf8').catch(() => '')).split(/\r?\n/);
  let line = 0;
  if (error.key) {
    const key = error.key.replace(/\[\d+\]/g, '').split('.').pop() ?? error.key;
    const found = lines.findIndex((l) => new RegExp(`^\\s*(?:-\\s*)?["']?${escape(key)}["']?\\s*:`).test(l));
    if (found >= 0) line = found;
  }
  return { file, message: error.message, line, length: lines[line]?.length ?? 0 };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function existingFolder(dir: string): Promise<string> {
  for (let at = dir; ; at = path.dirname(at)) {
    if ((await stat(at).catch(() => null))?.isDirectory() || path.dirname(at) === at) return at;
  }
}
