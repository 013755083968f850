import type { Command } from './context.js';
import { UsageError } from '../errors.js';
import { changedInstructionFiles } from '../session/instruction-readers.js';
import { readChange } from '../session/source.js';
import { colors, debugPhase, say } from '../terminal.js';
import { reportTarget, writeReports } from './reports.js';
import { finishReview, openCommandSession, reviewWithProgress } from './session.js';

/** The base of the change under review, from the flag or the CI system's own variables. */
export function ciBase(values: Record<string, unknown>, env: NodeJS.ProcessEnv): string {
  if (typeof values.base === 'string' && values.base) return values.base;
  if (env.GITHUB_BASE_REF) return `origin/${env.GITHUB_BASE_REF}`;
  if (env.CI_MERGE_REQUEST_DIFF_BASE_SHA) return env.CI_MERGE_REQUEST_DIFF_BASE_SHA;
  throw new UsageError(
    'ci needs --base REF (e.g. --base origin/main); on GitHub Actions pull requests and GitLab merge requests it is found by itself',
  );
}

/** `--policy base` (the default) or `--policy head`. */
function policySide(value: unknown): 'base' | 'head' {
  if (value === undefined || value === 'base' || value === 'head') return (value as 'base' | 'head' | undefined) ?? 'base';
  throw new UsageError(`--policy is '${String(value)}'; allowed: base (the merge base's policy, the default), head (this branch's)`);
}

/**
 * `ci`: the hook's check, re-run on a commit range with reports for machines. onError defaults to block here. The
 * policy (and baseline, and team instructions) are read as they are at the merge base, so the change under review
 * cannot weaken its own check; `--policy head` opts in to the branch's own.
 */
export const ciCommand: Command = async (ctx) => {
  const base = ciBase(ctx.values, ctx.env);
  const head = typeof ctx.values.head === 'string' ? ctx.values.head : 'HEAD';
  const side = policySide(ctx.values.policy);
  const target = reportTarget(ctx);
  debugPhase(ctx.env, 'policy');
  const session = await openCommandSession(ctx, 'ci', { gate: { base, head, policy: side } });
  debugPhase(ctx.env, 'diff');
  const change = await readChange(session, { kind: 'range', base, head, pullRequest: true });
  for (const file of changedInstructionFiles(change.files)) {
    const used = side === 'base' ? "the merge base's version; the new one applies after merge" : "this branch's version (--policy head)";
    say(colors(ctx.env).dim(`${file} changes in this range: ci reviews with ${used}`));
  }
  const result = await reviewWithProgress(session, change, ctx);
  const written = await writeReports(result, target, ctx, 'ci');
  const c = colors(ctx.env);
  for (const file of written) say(c.dim(`wrote ${file}`));
  return finishReview(session, result, 'ci', target.formats.includes('terminal'));
};
