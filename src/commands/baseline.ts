import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from './context.js';
import { UsageError } from '../errors.js';
import { renderBaseline } from '../review/baseline.js';
import { colors, say } from '../terminal.js';
import { verifiedMergeBase, type DiffSource } from '../git/diff.js';
import type { DiffFile } from '../types.js';
import { BASELINE_FILE, openSession, reviewFiles, type Session } from './session.js';
import { trackedFiles } from './named-files.js';
import { rangeFiles, stagedFiles } from './sources.js';

/** `baseline`: record today's findings so that adopting the tool does not block on old code. */
export const baselineCommand: Command = async (ctx) => {
  const picked = ['staged', 'base', 'all'].filter((k) => ctx.values[k]);
  if (picked.length > 1) throw new UsageError(`baseline takes one of --staged, --base REF, --all; got ${picked.map((p) => `--${p}`).join(' and ')}`);
  const session = await openSession(ctx);
  const { files, source: from } = await source(session);
  // Everything current goes in, including what an older baseline or an inline comment already hides; with
  // --no-suppress the old baseline is not even read, so a damaged one does not stop its own repair. A staged change
  // or a range is read the way the hook reads it (a file git calls binary, from its blobs), so the baseline holds
  // what the hook finds.
  const everything = { ...session, ctx: { ...session.ctx, values: { ...session.ctx.values, 'no-suppress': true } } };
  const result = await reviewFiles(everything, files, from ? { source: from } : {});
  const out = path.resolve(session.repo.top, typeof ctx.values.output === 'string' ? ctx.values.output : BASELINE_FILE);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, renderBaseline(result.findings));
  const c = colors(ctx.env);
  const n = result.findings.length;
  say(`${c.green('✔')} wrote ${path.relative(ctx.cwd, out) || out}: ${n} finding${n === 1 ? '' : 's'} (${result.provider}${result.model ? ` ${result.model}` : ''})`);
  if (result.incomplete) say(c.yellow(`⚠ the model review did not complete (${result.errors[0]}); the baseline holds what was found`));
  say(c.dim('commit it; findings listed there stop showing and blocking (--no-suppress shows them)'));
  return 0;
};


async function source(session: Session): Promise<{ files: DiffFile[]; source?: DiffSource }> {
  const { ctx, repo, policy } = session;
  if (ctx.values.staged) return { files: await stagedFiles(repo, policy.contextLines), source: { kind: 'staged' } };
  if (typeof ctx.values.base === 'string') {
    const from = await verifiedMergeBase(repo, ctx.values.base, 'HEAD');
    return { files: await rangeFiles(repo, from, 'HEAD', policy.contextLines), source: { kind: 'range', from, to: 'HEAD' } };
  }
  // As staged, from git's objects: a tracked symlink is its target path, never the file it points at.
  return { files: await trackedFiles(repo) };
}
