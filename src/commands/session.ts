// The command line's side of a review session (src/session/): opening one from the flags, showing its progress and
// team instructions, and ending it with onError's line and the exit code.

import type { CommandContext } from './context.js';
import { openSession, describeTeamInstructions, type OpenOptions, type PolicyCommand, type Session } from '../session/session.js';
import { reviewChange } from '../session/review.js';
import type { Change } from '../session/source.js';
import { colors, progressLine, say } from '../terminal.js';
import { failsClosed } from '../report/format.js';
import type { ReviewResult } from '../types.js';

/** A session with this invocation's folder, environment, signal, --config, --no-cache and --no-suppress. */
export function openCommandSession(ctx: CommandContext, command: PolicyCommand = 'run', opts: Partial<OpenOptions> = {}): Promise<Session> {
  return openSession({
    cwd: ctx.cwd,
    env: ctx.env,
    signal: ctx.signal,
    command,
    ...(typeof ctx.values.config === 'string' ? { configPath: ctx.values.config } : {}),
    cache: !ctx.values['no-cache'],
    suppress: !ctx.values['no-suppress'],
    ...opts,
  });
}

/** The review of `change`, with the spinner on a terminal and, under --verbose, the team instructions it used. */
export async function reviewWithProgress(session: Session, change: Change, ctx: CommandContext): Promise<ReviewResult> {
  const progress = progressLine(ctx.env);
  let result: ReviewResult;
  try {
    result = await reviewChange(session, change, { onProgress: (done, total) => progress.update(done, total) });
  } finally {
    progress.clear();
  }
  if (ctx.values.verbose && result.provider !== 'builtin') {
    const { lines, at } = await describeTeamInstructions(session);
    const where = at ? ` (at ${at.slice(0, 12)})` : '';
    say(colors(ctx.env).dim(`team instructions${where}: ${lines.length > 0 ? lines.join('; ') : 'none'}`));
  }
  return result;
}

/**
 * 0 passed, 1 blocked, 3 could not complete with onError block. A block wins over an incomplete review: it names
 * findings the user can act on. Whether a review fails closed is decided once, from the onError the review recorded
 * (session/review.ts), by the same failsClosed every report shows it with: the exit code and the reports cannot
 * disagree.
 */
export function exitCodeFor(result: ReviewResult): number {
  if (result.verdict.blocked) return 1;
  return failsClosed(result) ? 3 : 0;
}

/** The line that says what onError did, or nothing when the review completed. */
export function onErrorLine(result: ReviewResult, command: 'run' | 'review' | 'ci'): string | null {
  // The reason itself is in the report's warnings; this line says what the policy made of it.
  if (!result.incomplete) return null;
  switch (result.onError) {
    case 'block':
      return `✖ the model review did not complete, so this fails closed (onError: block)${command === 'run' ? '; skip once with git commit --no-verify' : ''}`;
    case 'warn':
      return '⚠ the model review did not complete; the built-in rules ran and their verdict stands (onError: warn)';
    case 'allow':
    case undefined:
      return null;
  }
}

/**
 * The end of every reviewing command: say what onError made of an incomplete review, and give the exit code. A
 * terminal report already printed says "fails closed" in its verdict line, so that is not said twice.
 */
export function finishReview(session: Session, result: ReviewResult, command: 'run' | 'review' | 'ci', terminalShown = true): number {
  const line = onErrorLine(result, command);
  if (line && !(terminalShown && failsClosed(result))) {
    const c = colors(session.env);
    say(result.onError === 'block' ? c.red(line) : c.yellow(line));
  }
  return exitCodeFor(result);
}
