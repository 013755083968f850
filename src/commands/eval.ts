// `codeai-hook eval`: the reviewer against labelled bug-introducing changes, per model, so a team can pick between a
// local and a cloud model by measurement. Each case goes through the hook's own review (policy, built-in rules,
// redaction, wider context, the model) in a scratch repository, or, for --from-history, between a fix commit of this
// repository and its parent.

import path from 'node:path';
import type { Command } from './context.js';
import { UsageError } from '../errors.js';
import { loadCases, type EvalCase } from '../eval/cases.js';
import { changedLineLabels, languageOf } from '../eval/labels.js';
import { runEval } from '../eval/run.js';
import { renderEvalJson, renderEvalTable } from '../eval/table.js';
import { packageRoot } from '../package-root.js';
import { reviewChange, reviewSource } from '../session/review.js';
import { chooseFor, type Session } from '../session/session.js';
import { fixCommitsOf, readChange, type Change, type ReviewSource } from '../session/source.js';
import { PROVIDER_NAMES, type Policy, type ProviderName, type ReviewResult } from '../types.js';
import { colors, say, writeOut } from '../terminal.js';
import { openCommandSession } from './session.js';

/** A mined fix larger than this is a poor label: the bug is somewhere in a rewrite. */
const HISTORY_LIMITS = { files: 5, changedLines: 80 };

interface EvalModel {
  name: string;
  /** The eval's session with this model's policy: no cache (a cached answer says nothing of the model's time), no
   * suppressions, no team instructions (the model is measured, not the repository's conventions). */
  session: Session;
}

export const evalCommand: Command = async (ctx) => {
  const format = typeof ctx.values.format === 'string' ? ctx.values.format : 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`--format has '${format}'; allowed: table, json`);
  if (ctx.values.cases !== undefined && ctx.values['from-history'] !== undefined) {
    throw new UsageError('eval takes --cases DIR or --from-history N, not both');
  }
  const session = await openCommandSession(ctx);
  const { cases, from, changes } = await casesToRun(session, ctx.values);
  const models = await modelsToRun(session, ctx.values.model);
  const c = colors(ctx.env);

  const reviewer = { read: (evalCase: EvalCase) => caseInput(session, evalCase, changes), review: reviewInput };
  const reports = await runEval(cases, models, (m) => m.name, reviewer, {
    signal: ctx.signal,
    onCase: (name, done, total) => {
      if (done === total) say(c.dim(`eval: ${name}: ${total} case${total === 1 ? '' : 's'} reviewed`), ctx.env);
    },
  });
  const { block } = session.policy;
  const header = { cases, from, gate: `block.severity ${block.severity}, minConfidence ${block.minConfidence}` };
  writeOut(format === 'json' ? renderEvalJson(header, reports) : renderEvalTable(header, reports), ctx.env);
  // Nothing reviewed at all (every case failed for every model) is a run that did not happen.
  return reports.every((r) => r.errors === r.cases.length) ? 3 : 0;
};

/** The cases, and the changes already read while choosing them (--from-history), by case. */
interface CasesToRun {
  cases: EvalCase[];
  from: string;
  changes: ReadonlyMap<EvalCase, Change>;
}

async function casesToRun(session: Session, values: Record<string, unknown>): Promise<CasesToRun> {
  const history = values['from-history'];
  if (typeof history === 'string') {
    const n = Number(history);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError(`--from-history is '${history}'; expected a number of commits from 1 to 1000`);
    const changes = await historyCases(session, n);
    const cases = [...changes.keys()];
    if (cases.length === 0) {
      throw new UsageError(`no usable fix commits in this history: none whose subject says fix and that changes at most ${HISTORY_LIMITS.files} files and ${HISTORY_LIMITS.changedLines} lines`);
    }
    return { cases, from: `the last ${cases.length} fix commits, reversed`, changes };
  }
  const named = typeof values.cases === 'string' ? values.cases : undefined;
  const dir = named !== undefined ? path.resolve(session.cwd, named) : path.join(packageRoot(), 'eval', 'cases');
  return { cases: await loadCases(dir, named ?? dir), from: named ?? 'the shipped set', changes: new Map() };
}

/**
 * The latest fix commits whose reversal is small enough to be a label, as cases between the fix and its parent, each
 * with the change read to choose it: the one every model then reviews.
 */
async function historyCases(session: Session, n: number): Promise<Map<EvalCase, Change>> {
  const cases = new Map<EvalCase, Change>();
  for (const fix of await fixCommitsOf(session, n * 5)) {
    if (cases.size >= n) break;
    const change = await readChange(session, { kind: 'commits', from: fix.sha, to: fix.parent });
    const files = change.files.filter((f) => !f.binary && f.hunks.length > 0);
    const changed = files.reduce((sum, f) => sum + f.added + f.removed, 0);
    if (files.length === 0 || files.length > HISTORY_LIMITS.files || changed > HISTORY_LIMITS.changedLines) continue;
    const bug = changedLineLabels(files);
    if (bug.length === 0) continue;
    const evalCase: EvalCase = {
      id: fix.sha.slice(0, 12),
      language: languageOf(files.map((f) => f.path)),
      description: fix.subject,
      source: { commit: fix.sha },
      change: { kind: 'commits', from: fix.sha, to: fix.parent },
      bug,
      evidence: bug,
    };
    cases.set(evalCase, change);
  }
  return cases;
}

/** `--model LIST`: `[provider/]model` items; none means the policy's own provider and model. */
async function modelsToRun(session: Session, model: unknown): Promise<EvalModel[]> {
  const list = typeof model === 'string' ? model.split(',').map((s) => s.trim()).filter(Boolean) : [];
  const policies =
    list.length === 0
      ? [session.policy]
      : list.map((item): Policy => {
          const slash = item.indexOf('/');
          const named = slash > 0 ? item.slice(0, slash) : '';
          const provider = (PROVIDER_NAMES as readonly string[]).includes(named) ? (named as ProviderName) : session.policy.provider;
          const model = provider === named ? item.slice(slash + 1) : item;
          if (model === '' || provider === 'builtin' || named === 'auto') {
            throw new UsageError(`--model has '${item}'; expected [provider/]model, e.g. ollama/qwen2.5-coder:7b or openai/gpt-4o-mini`);
          }
          // A baseURL in the policy is the address of the policy's provider, not of another one.
          return { ...session.policy, provider, model, baseURL: provider === session.policy.provider ? session.policy.baseURL : undefined };
        });
  const models: EvalModel[] = [];
  for (const policy of policies) {
    const measured: Session = { ...session, policy, cache: false, suppress: false, teamInstructions: false };
    const chosen = await chooseFor(measured);
    const name = chosen.provider ? `${chosen.provider.name} ${chosen.provider.model}` : 'builtin (no model)';
    models.push({ name, session: measured });
  }
  return models;
}

/**
 * What every model reviews of a case: a pair of commits' change, read once (or already read, --from-history); a case
 * file's two versions, which each review commits in a scratch repository of its own.
 */
type CaseInput = { change: Change } | { source: ReviewSource };

async function caseInput(session: Session, c: EvalCase, changes: ReadonlyMap<EvalCase, Change>): Promise<CaseInput> {
  if (c.change.kind === 'files') return { source: { kind: 'versions', files: [{ path: c.change.path, before: c.change.fixed, after: c.change.buggy }] } };
  return { change: changes.get(c) ?? (await readChange(session, { kind: 'commits', from: c.change.from, to: c.change.to })) };
}

async function reviewInput(input: CaseInput, model: EvalModel): Promise<ReviewResult> {
  if ('change' in input) return reviewChange(model.session, input.change);
  return (await reviewSource(model.session, input.source)).result;
}
