// `codeai-hook fix`: the fixes of the last review of the staged change, applied to the work tree only. The review
// comes from the cache when nothing changed (no model call); a finding without a fix is asked for one, once. Each fix
// is checked against the work tree (stale lines, links, the file's type) with git apply before anything is shown as
// applicable; the index is never written, so the author reviews the change and stages it.

import { createInterface } from 'node:readline/promises';
import type { Command } from './context.js';
import { AbortedError, UsageError } from '../errors.js';
import { builtinNoFixReason } from '../fix/builtin-fixes.js';
import { gateFileReason } from '../fix/gate-files.js';
import { askForFix } from '../fix/model-fix.js';
import { lineRange } from '../fix/lines.js';
import { buildPatch, type PatchSource } from '../fix/patch.js';
import { plural } from '../report/format.js';
import { chooseFindings, refuseOverlaps, worthAsking, type Outcome, type Target } from '../fix/plan.js';
import { indexEntries, readBlobs, GITLINK_MODE, SYMLINK_MODE } from '../git/objects.js';
import type { Repo } from '../git/repo.js';
import { applyToWorkTree, workTreeRefusal } from '../git/worktree.js';
import { colors, say, writeOut, writeShown } from '../terminal.js';
import type { DiffFile, Finding, Fix, ReviewResult } from '../types.js';
import { findingsCache } from '../session/review.js';
import { chooseFor, type Session } from '../session/session.js';
import { readChange } from '../session/source.js';
import { parseTarget, stagedPath } from './explain.js';
import { openCommandSession, reviewWithProgress } from './session.js';

type Answer = 'yes' | 'no' | 'all' | 'quit';

export const fixCommand: Command = async (ctx) => {
  const yes = ctx.values.yes === true;
  const dryRun = ctx.values['dry-run'] === true;
  if (yes && dryRun) throw new UsageError('fix takes --yes or --dry-run, not both: --dry-run prints the patch, --yes applies it');
  if (!yes && !dryRun && !process.stdin.isTTY) {
    throw new UsageError('fix asks before each change, and stdin is not a terminal: pass --yes to apply every fix, or --dry-run to print them as a patch');
  }
  const session = await openCommandSession(ctx);
  const { repo } = session;
  const change = await readChange(session, { kind: 'staged' });
  const { files } = change;
  if (files.length === 0) throw new UsageError('nothing is staged: fix applies the fixes of the review of the staged change; stage it with git add first');
  const targets = ctx.positionals.map((arg) => targetOf(arg, session, files));

  const result = await reviewWithProgress(session, change, ctx);
  for (const e of result.errors) say(colors(ctx.env).yellow(`warning: ${e}`));
  const { chosen, unmatched } = chooseFindings(result.findings, targets);
  for (const t of unmatched) say(`codeai-hook: no finding at ${t.file}${t.line !== undefined ? `:${t.line}` : ''} in the review of the staged change`);
  if (chosen.length === 0) {
    say(colors(ctx.env).dim(result.findings.length === 0 ? 'codeai-hook fix: no findings, nothing to fix' : 'codeai-hook fix: nothing to fix'));
    return unmatched.length > 0 ? 1 : 0;
  }
  const sources = await stagedSources(repo, chosen.map((f) => f.file));
  const outcomes = refuseOverlaps(await offered(session, result, chosen, files, sources, targets.length > 0));
  const checked = await checkWorkTree(repo, outcomes, sources);

  let done: Outcome[];
  if (dryRun) done = printPatch(checked, sources, ctx.env);
  else {
    const answered = yes ? checked.map((o): Asked => (o.kind === 'offered' ? { ...o, answer: 'yes' } : o)) : await askEach(checked, sources, ctx.env);
    done = await applyChosen(repo, answered, sources);
  }
  report(done, dryRun, ctx.env);
  const named = targets.length > 0;
  const failed = done.some((o) => o.kind === 'refused' || (named && o.kind === 'no-fix'));
  return failed || unmatched.length > 0 ? 1 : 0;
};

function targetOf(arg: string, session: Session, files: DiffFile[]): Target {
  const t = parseTarget(arg);
  const file = stagedPath(t.file ?? arg, session.cwd, session.repo.top, files);
  if (!files.some((f) => f.path === file)) {
    throw new UsageError(`${t.file ?? arg} has no staged change: name a staged file (${files.slice(0, 3).map((f) => f.path).join(', ')})`);
  }
  return t.line !== undefined ? { file, line: t.line } : { file };
}

/** The staged blob of each path, or why it cannot be fixed (a link, a submodule, not staged). */
async function stagedSources(repo: Repo, paths: string[]): Promise<Map<string, PatchSource | string>> {
  const wanted = [...new Set(paths)];
  const entries = (await indexEntries(repo, wanted)).filter((e) => e.stage === 0 && wanted.includes(e.path));
  const blobs = await readBlobs(repo, entries.filter((e) => e.mode !== GITLINK_MODE).map((e) => e.oid));
  const out = new Map<string, PatchSource | string>();
  for (const path of wanted) {
    const e = entries.find((x) => x.path === path);
    const bytes = e ? blobs.get(e.oid) : undefined;
    if (!e || bytes === undefined) out.set(path, `${path} is not staged as a file`);
    else if (e.mode === SYMLINK_MODE) out.set(path, `${path} is a symbolic link: not followed`);
    else if (bytes.includes(0)) out.set(path, `${path} is binary`);
    else out.set(path, { path, mode: e.mode, oid: e.oid, content: bytes.toString('utf8') });
  }
  return out;
}

/** Each finding's fix: its own, or one asked of the model, or why there is none. */
async function offered(
  session: Session,
  result: ReviewResult,
  chosen: Finding[],
  files: DiffFile[],
  sources: Map<string, PatchSource | string>,
  named: boolean,
): Promise<Outcome[]> {
  const asking = chosen.filter((f) => worthAsking(f, named) && !gateFileReason(f.file));
  const model = asking.length > 0 ? await chooseFor(session) : null;
  if (model?.provider && asking.length > 0) say(colors(session.env).dim(`asking ${model.provider.name} (${model.provider.model}) for ${asking.length === 1 ? 'a fix' : `${asking.length} fixes`}…`));
  const cache = findingsCache(session);
  const out: Outcome[] = [];
  for (const finding of chosen) {
    const source = sources.get(finding.file);
    if (typeof source === 'string') out.push({ kind: 'refused', finding, reason: source });
    else if (finding.fix) out.push({ kind: 'offered', finding, fix: finding.fix });
    else if (!asking.includes(finding)) {
      const reason = builtinNoFixReason(finding) ?? gateFileReason(finding.file) ?? 'no fix for this line';
      out.push({ kind: 'no-fix', finding, reason });
    }
    else if (!model?.provider) out.push({ kind: 'no-fix', finding, reason: `no model to ask for a fix (${model?.reason ?? 'none'})` });
    else {
      const file = files.find((f) => f.path === finding.file)!;
      const earlier = result.droppedFixes?.find((d) => d.file === finding.file && d.line === finding.line)?.reason;
      const check = await askForFix({
        finding,
        file,
        content: source!.content,
        policy: session.policy,
        provider: model.provider,
        signal: session.signal,
        cache,
        ...(earlier !== undefined ? { earlier } : {}),
      });
      out.push('fix' in check ? { kind: 'offered', finding, fix: check.fix } : { kind: 'no-fix', finding, reason: check.reason });
    }
  }
  return out;
}

/** Each offered fix checked by git apply against the work tree as it is now: stale ones are refused, one by one. */
async function checkWorkTree(repo: Repo, outcomes: Outcome[], sources: Map<string, PatchSource | string>): Promise<Outcome[]> {
  const unsafe = new Map<string, string | null>();
  const out: Outcome[] = [];
  for (const o of outcomes) {
    if (o.kind !== 'offered') {
      out.push(o);
      continue;
    }
    if (!unsafe.has(o.finding.file)) unsafe.set(o.finding.file, await workTreeRefusal(repo, o.finding.file));
    const refusal = unsafe.get(o.finding.file);
    if (refusal) {
      out.push({ kind: 'refused', finding: o.finding, fix: o.fix, reason: refusal });
      continue;
    }
    const applies = await applyToWorkTree(repo, buildPatch(sources.get(o.finding.file) as PatchSource, [o.fix]), { check: true });
    out.push(applies.ok ? o : { kind: 'refused', finding: o.finding, fix: o.fix, reason: staleReason(o.fix, applies.reason) });
  }
  return out;
}

/** git apply's "patch does not apply" means the lines changed; anything else (a link, a type) is said as git says it. */
function staleReason(fix: Fix, gitSays: string): string {
  if (!/patch does not apply/.test(gitSays)) return `git apply refused it: ${gitSays}`;
  return `stale: ${lines(fix)} (or the lines next to ${fix.startLine === fix.endLine ? 'it' : 'them'}) changed in the work tree since staging; stage or stash your edits, then run fix again`;
}

type Asked = Outcome | (Extract<Outcome, { kind: 'offered' }> & { answer: Answer });

/**
 * On a terminal: each fix shown as the patch it is, then "apply it?". Nothing is written until every answer is in,
 * so Ctrl-C here changes nothing; the end of input answers "no" to the rest.
 */
async function askEach(outcomes: Outcome[], sources: Map<string, PatchSource | string>, env: NodeJS.ProcessEnv): Promise<Asked[]> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  let interrupted = false;
  rl.on('SIGINT', () => {
    interrupted = true;
    rl.close();
  });
  // Lines typed ahead are kept for the next question instead of being lost between two.
  const answers = rl[Symbol.asyncIterator]();
  const c = colors(env);
  let rest: Answer | null = null;
  const out: Asked[] = [];
  try {
    for (const o of outcomes) {
      if (o.kind !== 'offered') {
        out.push(o);
        continue;
      }
      if (rest === 'all' || rest === 'quit') {
        out.push({ ...o, answer: rest === 'all' ? 'yes' : 'no' });
        continue;
      }
      say(c.bold(`\n${o.finding.file}:${o.finding.line} ${o.finding.title}`));
      writeShown(process.stderr, colorPatch(buildPatch(sources.get(o.finding.file) as PatchSource, [o.fix]), c), env);
      rl.setPrompt('Apply this fix? [y]es, [n]o, [a]ll the rest, [q]uit: ');
      rl.prompt();
      const line = await answers.next();
      if (interrupted) throw new AbortedError('fix interrupted: nothing was changed');
      const answer = line.done ? 'quit' : readAnswer(String(line.value));
      if (answer === 'all' || answer === 'quit') rest = answer;
      out.push({ ...o, answer: answer === 'all' ? 'yes' : answer === 'quit' ? 'no' : answer });
    }
  } finally {
    rl.close();
  }
  return out;
}

export function readAnswer(line: string): Answer {
  const a = line.trim().toLowerCase();
  if (a === 'y' || a === 'yes') return 'yes';
  if (a === 'a' || a === 'all') return 'all';
  if (a === 'q' || a === 'quit') return 'quit';
  return 'no';
}

/** The accepted fixes of each file as one patch, applied to the work tree; the rest reported as they are. */
async function applyChosen(repo: Repo, asked: Asked[], sources: Map<string, PatchSource | string>): Promise<Outcome[]> {
  const byFile = new Map<string, Fix[]>();
  for (const o of asked) if ('answer' in o && o.answer === 'yes') byFile.set(o.finding.file, [...(byFile.get(o.finding.file) ?? []), o.fix]);
  const failed = new Map<string, string>();
  for (const [file, fixes] of byFile) {
    const outcome = await applyToWorkTree(repo, buildPatch(sources.get(file) as PatchSource, fixes), { check: false });
    if (!outcome.ok) failed.set(file, `git apply refused it: ${outcome.reason}`);
  }
  return asked.map((o): Outcome => {
    if (!('answer' in o)) return o;
    const { answer: _answer, ...offer } = o;
    if (o.answer !== 'yes') return { ...offer, kind: 'declined' };
    const reason = failed.get(o.finding.file);
    return reason ? { ...offer, kind: 'refused', reason } : { ...offer, kind: 'applied' };
  });
}

/** --dry-run: every applicable fix as one patch on stdout, for git apply (raw bytes when piped). */
function printPatch(outcomes: Outcome[], sources: Map<string, PatchSource | string>, env: NodeJS.ProcessEnv): Outcome[] {
  const byFile = new Map<string, Fix[]>();
  for (const o of outcomes) if (o.kind === 'offered') byFile.set(o.finding.file, [...(byFile.get(o.finding.file) ?? []), o.fix]);
  const patch = [...byFile].map(([file, fixes]) => buildPatch(sources.get(file) as PatchSource, fixes)).join('');
  // On a terminal or a CI runner the patch is shown safely (and coloured on a terminal); piped, it is the bytes
  // git apply needs, CRs included.
  if (process.stdout.isTTY) writeShown(process.stdout, colorPatch(patch, colors(env, process.stdout)), env);
  else if (env.GITHUB_ACTIONS === 'true') writeOut(patch, env);
  else process.stdout.write(patch);
  return outcomes.map((o) => (o.kind === 'offered' ? { ...o, kind: 'printed' } : o));
}

function colorPatch(patch: string, c: ReturnType<typeof colors>): string {
  return patch
    .split('\n')
    .map((l) => (l.startsWith('@@') ? c.cyan(l) : l.startsWith('+') && !l.startsWith('+++') ? c.green(l) : l.startsWith('-') && !l.startsWith('---') ? c.red(l) : l))
    .join('\n');
}

function report(outcomes: Outcome[], dryRun: boolean, env: NodeJS.ProcessEnv): void {
  const c = colors(env);
  for (const o of outcomes) {
    const where = `${o.finding.file}:${o.finding.line}`;
    if (o.kind === 'applied') say(`${c.green('✔')} ${where} ${o.finding.title} ${c.dim(`(${lines(o.fix)} fixed)`)}`);
    else if (o.kind === 'printed') say(`${c.green('✔')} ${where} ${o.finding.title} ${c.dim(`(${lines(o.fix)})`)}`);
    else if (o.kind === 'declined') say(`${c.dim('·')} ${where} ${o.finding.title} ${c.dim('(skipped)')}`);
    else if (o.kind === 'no-fix') say(`${c.dim('·')} ${where} ${o.finding.title} ${c.dim(`— ${o.reason}`)}`);
    else if (o.kind === 'refused') say(`${c.red('✖')} ${where} ${o.finding.title} — ${o.reason}`);
  }
  const applied = outcomes.filter((o) => o.kind === 'applied').length;
  const printed = outcomes.filter((o) => o.kind === 'printed').length;
  if (dryRun) say(c.dim(printed > 0 ? `${plural(printed, 'fix', 'fixes')} printed as a patch on stdout (git apply takes it); nothing was changed` : 'no fix to print; nothing was changed'));
  else if (applied > 0) say(`${plural(applied, 'fix', 'fixes')} applied to the work tree; nothing was staged. Review with ${c.cyan('git diff')}, then stage with ${c.cyan('git add -p')}`);
  else say(c.dim('nothing was changed'));
}

function lines(fix: Fix): string {
  return lineRange(fix.startLine, fix.endLine);
}
