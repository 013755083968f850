import type { Command } from './context.js';
import { UsageError } from '../errors.js';
import { verifiedMergeBase, type DiffSource } from '../git/diff.js';
import type { DiffFile } from '../types.js';
import { rangeIntent } from './intent-sources.js';
import { namedFiles } from './named-files.js';
import { rangeFiles, stagedFiles } from './sources.js';
import { addExplanations } from './explanations.js';
import { reportTarget, writeReports } from './reports.js';
import { finishReview, openSession, reviewFiles, type Session } from './session.js';

/** `review`: the hook's review on demand, of the index, a range, or whole files. */
export const reviewCommand: Command = async (ctx) => {
  const sources = [ctx.values.staged ? 1 : 0, ctx.values.base ? 1 : 0, ctx.positionals.length ? 1 : 0].reduce((a, b) => a + b, 0);
  if (sources > 1) throw new UsageError('review takes one of --staged, --base REF, or FILE...: pick one');
  if (ctx.values.head && !ctx.values.base) throw new UsageError('--head needs --base REF');
  const target = reportTarget(ctx);
  const session = await openSession(ctx, 'review');
  const { files, source } = await filesToReview(session);
  const result = await reviewFiles(session, files, source ? { source } : {});
  if (ctx.values.explain) await addExplanations(session, result, files);
  await writeReports(result, target, ctx, 'review');
  return finishReview(session, result, 'review', target.formats.includes('terminal'));
};

async function filesToReview(session: Session): Promise<{ files: DiffFile[]; source?: DiffSource }> {
  const { ctx, repo, policy } = session;
  if (typeof ctx.values.base === 'string') {
    const head = typeof ctx.values.head === 'string' ? ctx.values.head : 'HEAD';
    const from = await verifiedMergeBase(repo, ctx.values.base, head);
    session.intent = await rangeIntent(repo, ctx.env, from, head, false);
    session.summarize = true;
    return { files: await rangeFiles(repo, from, head, policy.contextLines), source: { kind: 'range', from, to: head } };
  }
  if (ctx.positionals.length > 0) return { files: await namedFiles(repo, ctx.cwd, ctx.positionals) };
  return { files: await stagedFiles(repo, policy.contextLines), source: { kind: 'staged' } };
}
