import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from './context.js';
import { parseDiff } from '../diff/parse.js';
import { UsageError } from '../errors.js';
import { diffBetween, mergeBaseOf, stagedDiff, type DiffSource } from '../git/diff.js';
import type { DiffFile } from '../types.js';
import { wholeFileDiff } from './whole-file.js';
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
    const from = await mergeBaseOf(repo, ctx.values.base, head);
    return { files: parseDiff(await diffBetween(repo, from, head, policy.contextLines)), source: { kind: 'range', from, to: head } };
  }
  if (ctx.positionals.length > 0) {
    const files = await Promise.all(
      ctx.positionals.map(async (p) => {
        const abs = path.resolve(ctx.cwd, p);
        let content: string;
        try {
          content = await readFile(abs, 'utf8');
        } catch {
          throw new UsageError(`cannot read ${p}: give files that exist in the work tree`);
        }
        return wholeFileDiff(path.relative(repo.top, abs).split(path.sep).join('/'), content);
      }),
    );
    return { files };
  }
  return { files: parseDiff(await stagedDiff(repo, policy.contextLines)), source: { kind: 'staged' } };
}
