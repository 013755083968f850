// The hook's review, once its two gits are running (run-start.ts): the policy, the commit message, the staged change
// reviewed and judged.

import type { CommandContext } from './context.js';
import type { EarlyStagedDiff } from '../git/diff.js';
import type { Repo } from '../git/repo.js';
import { inProgress, type Session } from '../session/session.js';
import { readChange } from '../session/source.js';
import { colors, debugPhase, say } from '../terminal.js';
import { checkCommitMessage, readMessageFile } from './commit-message.js';
import { printHookReport } from './print-terminal.js';
import { finishReview, openCommandSession, reviewWithProgress } from './session.js';

/** `run` with the repository being opened and the staged diff being read (run-start.ts). */
export async function runHook(ctx: CommandContext, repo: Promise<Repo>, early: EarlyStagedDiff): Promise<number> {
  const c = colors(ctx.env);
  // In the hook a refused key host is an incomplete review: onError decides, and the built-in rules still run.
  const session = await openCommandSession(ctx, 'run', { refusalGoesToOnError: true, repo });
  const { policy } = session;
  const state = inProgress(session);
  const messageFile = ctx.values['commit-msg'];
  let message: string | undefined;

  if (typeof messageFile === 'string') {
    const checked = await checkCommitMessage(session, messageFile, early);
    // A merge is reviewed at pre-commit (git runs no pre-commit for a merge it makes itself, and neither do we here).
    if (checked.code !== 0 || policy.reviewAt !== 'commit-msg' || state === 'merge') return checked.code;
    message = checked.message ?? (await readMessageFile(ctx, messageFile));
  } else if (policy.reviewAt === 'commit-msg' && state !== 'merge') {
    // The review waits for the message, but only when git will run the hook that does it: never a silent skip.
    const { hookStatus } = await import('../install/status.js');
    const hook = await hookStatus(session.repo.top, 'commit-msg');
    if (hook.installed) {
      if (ctx.values.verbose) say(c.dim('codeai-hook: the review runs at commit-msg, with the message (reviewAt: commit-msg)'));
      return 0;
    }
    say(c.yellow(`⚠ reviewAt: commit-msg, but ${hook.detail}: reviewing now, without the message (run codeai-hook install --commit-msg)`));
  }

  if (state && state !== 'merge' && (policy.skipDuringRebase || ctx.env.CODEAI_SKIP_REBASE === '1')) {
    say(c.dim(`codeai-hook: skipped during ${state} (${policy.skipDuringRebase ? 'skipDuringRebase' : 'CODEAI_SKIP_REBASE=1'})`));
    return 0;
  }
  return reviewStaged(session, ctx, message, early);
}

async function reviewStaged(session: Session, ctx: CommandContext, message: string | undefined, early: EarlyStagedDiff): Promise<number> {
  debugPhase(ctx.env, 'diff');
  const change = await readChange(session, { kind: 'staged', early, ...(message !== undefined ? { message } : {}) });
  if (change.files.length === 0) return 0; // nothing staged: git itself says so
  const result = await reviewWithProgress(session, change, ctx);
  // Explanations need the explain prompts: loaded only under --explain.
  if (ctx.values.explain) await (await import('../session/explain.js')).addExplanations(session, result, change.files);
  debugPhase(ctx.env, 'report');
  printHookReport(result, ctx);
  return finishReview(session, result, 'run');
}
