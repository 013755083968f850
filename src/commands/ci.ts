import type { Command } from './context.js';
import { UsageError } from '../errors.js';
import { mergeBaseOf } from '../git/objects.js';
import { isInstructionFile } from '../review/team-instructions.js';
import { colors, say } from '../terminal.js';
import { reportTarget, writeReports } from './reports.js';
import { finishReview, openSession, reviewFiles } from './session.js';
import { rangeFiles } from './sources.js';

/** The base of the change under review, from the flag or the CI system's own variables. */
export function ciBase(values: Record<string, unknown>, env: NodeJS.ProcessEnv): string {
  if (typeof values.base === 'string' && values.base) return values.base;
  if (env.GITHUB_BASE_REF) return `origin/${env.GITHUB_BASE_REF}`;
  if (env.CI_MERGE_REQUEST_DIFF_BASE_SHA) return env.CI_MERGE_REQUEST_DIFF_BASE_SHA;
  throw new UsageError(
    'ci needs --base REF (e.g. --base origin/main); on GitHub Actions pull requests and GitLab merge requests it is found by itself',
  );
}

/** `ci`: the hook's check, re-run on a commit range with reports for machines. onError defaults to block here. */
export const ciCommand: Command = async (ctx) => {
  const base = ciBase(ctx.values, ctx.env);
  const head = typeof ctx.values.head === 'string' ? ctx.values.head : 'HEAD';
  const target = reportTarget(ctx);
  const session = await openSession(ctx);
  const files = await rangeFiles(session.repo, base, head, session.policy.contextLines);
  // Team instruction files come from the merge base: the change under review cannot rewrite its own conventions.
  session.instructionsAt = (await mergeBaseOf(session.repo, base, head)) ?? undefined;
  for (const f of files.filter((f) => isInstructionFile(f.path))) {
    say(colors(ctx.env).dim(`${f.path} changes in this range: ci reviews with the merge base's version; the new one applies after merge`));
  }
  const result = await reviewFiles(session, files, head);
  const written = await writeReports(result, target, ctx, 'ci');
  const c = colors(ctx.env);
  for (const file of written) say(c.dim(`wrote ${file}`));
  return finishReview(session, result, 'ci');
};
