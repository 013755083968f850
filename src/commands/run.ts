import type { Command } from './context.js';
import { startStagedDiff } from '../git/diff.js';
import { openRepo } from '../git/repo.js';
import { DEFAULT_POLICY } from '../policy/defaults.js';
import { peopleFormat } from '../report/agents.js';
import { colors, debugPhase, say } from '../terminal.js';

/**
 * What the pre-commit hook calls: the staged change, reviewed and judged (run-hook.ts). Both gits a commit needs
 * start first, and the review's modules (policy, session, pipeline, report) load while they run: the repository's
 * lookup and the staged diff cost the commit no wait of their own.
 */
export const runCommand: Command = async (ctx) => {
  if (ctx.env.CODEAI_SKIP === '1') {
    say(colors(ctx.env).dim('codeai-hook: skipped (CODEAI_SKIP=1)'));
    return 0;
  }
  peopleFormat(ctx.env); // an unknown CODEAI_OUTPUT is a usage error before any model call
  debugPhase(ctx.env, 'policy');
  // The staged diff at the default context lines (read again only if the policy sets others), beside the lookup.
  const early = startStagedDiff(ctx.cwd, DEFAULT_POLICY.contextLines);
  const repo = openRepo(ctx.cwd);
  // Awaited by the session, which reports a failure; until then it must not count as an unhandled rejection.
  repo.catch(() => undefined);
  const { runHook } = await import('./run-hook.js');
  return runHook(ctx, repo, early);
};
