import path from 'node:path';
import type { Command } from './context.js';
import { UsageError } from '../errors.js';
import { explainFailure, explainOne, unitHolding, unitsFor, type ExplainLevel } from '../session/explain.js';
import { chooseFor } from '../session/session.js';
import { readChange } from '../session/source.js';
import { colors, progressLine, say, sayOut } from '../terminal.js';
import { openCommandSession, reviewWithProgress } from './session.js';

const LEVELS: ExplainLevel[] = ['beginner', 'intermediate', 'expert'];

export function parseTarget(arg: string | undefined): { file?: string; line?: number } {
  if (!arg) return {};
  const m = /^(.*):(\d+)$/.exec(arg);
  return m ? { file: m[1]!, line: Number(m[2]) } : { file: arg };
}

/**
 * FILE as the user typed it, relative to the current folder (as `review FILE` reads it), turned into the
 * repository-relative path the diff uses. A path already written from the top is kept when it names a staged file.
 */
export function stagedPath(file: string, cwd: string, top: string, files: { path: string }[]): string {
  const fromCwd = path.relative(top, path.resolve(cwd, file)).split(path.sep).join('/');
  if (files.some((f) => f.path === fromCwd)) return fromCwd;
  const asGiven = file.replace(/^\.\//, '');
  return files.some((f) => f.path === asGiven) ? asGiven : file;
}

/** `explain`: the staged change (or one file, or the finding at FILE:LINE) explained at a chosen depth. */
export const explainCommand: Command = async (ctx) => {
  const level = (ctx.values.level ?? 'intermediate') as ExplainLevel;
  if (!LEVELS.includes(level)) throw new UsageError(`--level has '${String(level)}'; allowed: ${LEVELS.join(', ')}`);
  if (ctx.positionals.length > 1) throw new UsageError('explain takes at most one FILE[:LINE]');
  const target = parseTarget(ctx.positionals[0]);
  const c = colors(ctx.env);

  const session = await openCommandSession(ctx);
  const change = await readChange(session, { kind: 'staged' });
  const { files } = change;
  if (files.length === 0) throw new UsageError('nothing is staged: stage a change (git add) to explain it');
  if (target.file) target.file = stagedPath(target.file, ctx.cwd, session.repo.top, files);
  if (target.file && !files.some((f) => f.path === target.file)) {
    throw new UsageError(`${target.file} has no staged change: name a staged file (${files.slice(0, 3).map((f) => f.path).join(', ')})`);
  }
  const { provider, reason } = await chooseFor(session);
  if (!provider) {
    say(`codeai-hook: explain needs a model, and none is reachable (${reason}): start Ollama or set provider in .codeairc`);
    return 3;
  }

  let focus;
  if (target.file && target.line !== undefined) {
    const result = await reviewWithProgress(session, change, ctx);
    const inFile = result.findings.filter((f) => f.file === target.file);
    focus = inFile.sort((a, b) => Math.abs(a.line - target.line!) - Math.abs(b.line - target.line!))[0];
    if (!focus) say(c.dim(`no finding in ${target.file}; explaining the change around line ${target.line}`));
  }
  const units = unitsFor(session, files, provider);
  const chosen = target.file
    ? [unitHolding(units, target.file, focus?.line ?? target.line) ?? unitHolding(units, target.file)].filter((u) => u !== undefined)
    : units;
  if (chosen.length === 0) throw new UsageError(`${target.file ?? 'the staged change'} has nothing a model reviews (excluded or binary)`);

  say(c.dim(`codeai-hook explain · ${provider.name} (${provider.model}) · ${level}`));
  // The explanation is the product: stdout (`explain > notes.md`), uncoloured unless stdout is a terminal.
  const out = colors(ctx.env, process.stdout);
  const progress = progressLine(ctx.env, process.stderr, 'explaining');
  try {
    for (const [i, unit] of chosen.entries()) {
      progress.update(i, chosen.length);
      const text = await explainOne(provider, unit, level, ctx.signal, focus);
      progress.clear();
      if (focus) sayOut(out.bold(`${focus.file}:${focus.line} ${focus.title}`));
      else sayOut(out.bold(unit.files.map((f) => f.path).join(', ')));
      sayOut(`${text}\n`);
    }
  } catch (err) {
    progress.clear();
    say(`codeai-hook: ${explainFailure(err)}`);
    return 3;
  }
  return 0;
};
