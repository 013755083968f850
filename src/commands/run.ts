import type { Command } from './context.js';
import { repoState } from '../git/repo.js';
import { peopleFormat } from '../report/agents.js';
import { colors, say } from '../terminal.js';
import { checkCommitMessage } from './commit-message.js';
import { addExplanations } from './explanations.js';
import { printHookReport } from './print-terminal.js';
import { stagedFiles } from './sources.js';
import { finishReview, openSession, reviewFiles } from './session.js';

/** What the pre-commit hook calls: the staged change, reviewed and judged. */
export const runCommand: Command = async (ctx) => {
  const c = colors(ctx.env);
  if (ctx.env.CODEAI_SKIP === '1') {
    say(c.dim('codeai-hook: skipped (CODEAI_SKIP=1)'));
    return 0;
  }
  peopleFormat(ctx.env); // an unknown CODEAI_OUTPUT is a usage error before any model call
  const session = await openSession(ctx);
  const { repo, policy } = session;

  if (typeof ctx.values['commit-msg'] === 'string') return checkCommitMessage(session, ctx.values['commit-msg']);

  const state = repoState(repo.gitDir);
  if (state && state !== 'merge' && (policy.skipDuringRebase || ctx.env.CODEAI_SKIP_REBASE === '1')) {
    say(c.dim(`codeai-hook: skipped during ${state} (${policy.skipDuringRebase ? 'skipDuringRebase' : 'CODEAI_SKIP_REBASE=1'})`));
    return 0;
  }

  const files = await stagedFiles(repo, policy.contextLines);
  if (files.length === 0) return 0; // nothing staged: git itself says so
  // In the hook a refused key host is an incomplete review: onError decides, and the built-in rules still run.
  session.refusalGoesToOnError = true;
  const result = await reviewFiles(session, files, 'index');
  if (ctx.values.explain) await addExplanations(session, result, files);
  printHookReport(result, ctx);
  return finishReview(session, result, 'run');
};
