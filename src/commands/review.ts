import type { Command, CommandContext } from './context.js';
import { UsageError } from '../errors.js';
import { addExplanations } from '../session/explain.js';
import { readChange, type ReviewSource } from '../session/source.js';
import { reportTarget, writeReports } from './reports.js';
import { finishReview, openCommandSession, reviewWithProgress } from './session.js';

/** `review`: the hook's review on demand, of the index, a range, or whole files. */
export const reviewCommand: Command = async (ctx) => {
  const sources = [ctx.values.staged ? 1 : 0, ctx.values.base ? 1 : 0, ctx.positionals.length ? 1 : 0].reduce((a, b) => a + b, 0);
  if (sources > 1) throw new UsageError('review takes one of --staged, --base REF, or FILE...: pick one');
  if (ctx.values.head && !ctx.values.base) throw new UsageError('--head needs --base REF');
  const target = reportTarget(ctx);
  const session = await openCommandSession(ctx, 'review');
  const change = await readChange(session, sourceOf(ctx));
  const result = await reviewWithProgress(session, change, ctx);
  if (ctx.values.explain) await addExplanations(session, result, change.files);
  await writeReports(result, target, ctx, 'review');
  return finishReview(session, result, 'review', target.formats.includes('terminal'));
};

function sourceOf(ctx: CommandContext): ReviewSource {
  if (typeof ctx.values.base === 'string') {
    const head = typeof ctx.values.head === 'string' ? ctx.values.head : 'HEAD';
    return { kind: 'range', base: ctx.values.base, head, pullRequest: true };
  }
  if (ctx.positionals.length > 0) return { kind: 'files', paths: ctx.positionals };
  return { kind: 'staged' };
}
