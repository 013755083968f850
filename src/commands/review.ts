import type { Command } from './context.js';
import { UsageError } from '../errors.js';
import type { DiffFile } from '../types.js';
import { namedFiles } from './named-files.js';
import { rangeFiles, stagedFiles } from './sources.js';
import { addExplanations } from './explanations.js';
import { reportTarget, writeReports } from './reports.js';
import { finishReview, openSession, reviewFiles, type NewSide, type Session } from './session.js';

/** `review`: the hook's review on demand, of the index, a range, or whole files. */
export const reviewCommand: Command = async (ctx) => {
  const sources = [ctx.values.staged ? 1 : 0, ctx.values.base ? 1 : 0, ctx.positionals.length ? 1 : 0].reduce((a, b) => a + b, 0);
  if (sources > 1) throw new UsageError('review takes one of --staged, --base REF, or FILE...: pick one');
  if (ctx.values.head && !ctx.values.base) throw new UsageError('--head needs --base REF');
  const target = reportTarget(ctx);
  const session = await openSession(ctx);
  const files = await filesToReview(session);
  const result = await reviewFiles(session, files, newSideOf(session));
  if (ctx.values.explain) await addExplanations(session, result, files);
  await writeReports(result, target, ctx, 'review');
  return finishReview(session, result, 'review');
};

/** Whole named files carry their content in the diff itself: nothing to read. */
function newSideOf({ ctx }: Session): NewSide | undefined {
  if (typeof ctx.values.base === 'string') return typeof ctx.values.head === 'string' ? ctx.values.head : 'HEAD';
  return ctx.positionals.length > 0 ? undefined : 'index';
}

async function filesToReview(session: Session): Promise<DiffFile[]> {
  const { ctx, repo, policy } = session;
  if (typeof ctx.values.base === 'string') {
    const head = typeof ctx.values.head === 'string' ? ctx.values.head : 'HEAD';
    return rangeFiles(repo, ctx.values.base, head, policy.contextLines);
  }
  if (ctx.positionals.length > 0) return namedFiles(repo, ctx.cwd, ctx.positionals);
  return stagedFiles(repo, policy.contextLines);
}
