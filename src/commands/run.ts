import type { Command } from './context.js';
import { peopleFormat } from '../report/agents.js';
import { colors, debugPhase, say } from '../terminal.js';
import { hookGitFor } from './run-start.js';

/**
 * What the pre-commit hook calls: the staged change, reviewed and judged (run-hook.ts). Both gits a commit needs
 * start first (as the CLI loads, run-start.ts), and the review's modules (policy, session, pipeline, report) load
 * while they run: the repository's lookup and the staged diff cost the commit no wait of their own.
 */
export const runCommand: Command = async (ctx) => {
  if (ctx.env.CODEAI_SKIP === '1') {
    say(colors(ctx.env).dim('codeai-hook: skipped (CODEAI_SKIP=1)'));
    return 0;
  }
  peopleFormat(ctx.env); // an unknown CODEAI_OUTPUT is a usage error before any model call
  debugPhase(ctx.env, 'policy');
  const { early, repo } = hookGitFor(ctx.cwd);
  const { runHook } = await import('./run-hook.js');
  return runHook(ctx, repo, early);
};
