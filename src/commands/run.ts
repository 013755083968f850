import type { Command } from './context.js';
import { parseDiff } from '../diff/parse.js';
import { stagedDiff } from '../git/diff.js';
import { repoState } from '../git/repo.js';
import { colors, debugPhase, say } from '../terminal.js';
import { checkCommitMessage } from './commit-message.js';
import { addExplanations } from './explanations.js';
import { printTerminal } from './print-terminal.js';
import { finishReview, openSession, reviewFiles } from './session.js';

/** What the pre-commit hook calls: the staged change, reviewed and judged. */
export const runCommand: Command = async (ctx) => {
  const c = colors(ctx.env);
  if (ctx.env.CODEAI_SKIP === '1') {
    say(c.dim('codeai-hook: skipped (CODEAI_SKIP=1)'));
    return 0;
  }
  debugPhase(ctx.env, 'policy');
  const session = await openSession(ctx, 'run');
  const { repo, policy } = session;

  if (typeof ctx.values['commit-msg'] === 'string') return checkCommitMessage(session, ctx.values['commit-msg']);

  const state = repoState(repo.gitDir);
  if (state && state !== 'merge' && (policy.skipDuringRebase || ctx.env.CODEAI_SKIP_REBASE === '1')) {
    say(c.dim(`codeai-hook: skipped during ${state} (${policy.skipDuringRebase ? 'skipDuringRebase' : 'CODEAI_SKIP_REBASE=1'})`));
    return 0;
  }

  debugPhase(ctx.env, 'diff');
  const text = await stagedDiff(repo, policy.contextLines);
  if (text.trim() === '') return 0; // nothing staged: git itself says so
  const files = parseDiff(text);
  const result = await reviewFiles(session, files, { source: { kind: 'staged' } });
  if (ctx.values.explain) await addExplanations(session, result, files);
  printTerminal(result, ctx, 'run');
  return finishReview(session, result, 'run');
};
