import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command, CommandContext } from './context.js';
import { UsageError } from '../errors.js';
import { renderBaseline } from '../review/baseline.js';
import { BASELINE_FILE } from '../session/session.js';
import { readChange, type ReviewSource } from '../session/source.js';
import { colors, say } from '../terminal.js';
import { openCommandSession, reviewWithProgress } from './session.js';

/** `baseline`: record today's findings so that adopting the tool does not block on old code. */
export const baselineCommand: Command = async (ctx) => {
  const picked = ['staged', 'base', 'all'].filter((k) => ctx.values[k]);
  if (picked.length > 1) throw new UsageError(`baseline takes one of --staged, --base REF, --all; got ${picked.map((p) => `--${p}`).join(' and ')}`);
  // Everything current goes in, including what an older baseline or an inline comment already hides; the old
  // baseline is not even read, so a damaged one does not stop its own repair. A staged change or a range is read
  // the way the hook reads it (a file git calls binary, from its blobs), so the baseline holds what the hook finds.
  const session = await openCommandSession(ctx, 'run', { suppress: false });
  const result = await reviewWithProgress(session, await readChange(session, sourceOf(ctx)), ctx);
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

function sourceOf(ctx: CommandContext): ReviewSource {
  if (ctx.values.staged) return { kind: 'staged' };
  if (typeof ctx.values.base === 'string') return { kind: 'range', base: ctx.values.base, head: 'HEAD' };
  // As staged, from git's objects: a tracked symlink is its target path, never the file it points at.
  return { kind: 'tracked' };
}
