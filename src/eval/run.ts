// The eval loop: every model reviews every case, one case at a time so each review's time is its own, one model after
// another (a local model is loaded once, not swapped in and out per case). How a case becomes a review (a scratch
// repository, a pair of commits) is the caller's; this module reads each case once for all models, scores and totals.

import { AbortedError } from '../errors.js';
import type { ReviewResult } from '../types.js';
import type { EvalCase } from './cases.js';
import { scoreCase, type CaseScore } from './score.js';

export interface CaseOutcome {
  id: string;
  language: string;
  score: CaseScore;
  /** Estimated tokens of diff text sent. */
  tokens: number;
  /** The review's own time (preparing and reviewing), without setting the case up. */
  ms: number;
  calls: number;
  /** Why the model did not review this case (counted as not caught). */
  error?: string;
}

export interface ModelReport {
  model: string;
  cases: CaseOutcome[];
  caught: number;
  found: number;
  falseFindings: number;
  falseBlocks: number;
  tokens: number;
  ms: number;
  errors: number;
}

export interface EvalRunOptions {
  signal: AbortSignal;
  onCase?(model: string, done: number, total: number): void;
}

/** How a case is reviewed: what every model reviews of it (its diff), read once; then each model's review of that. */
export interface CaseReviewer<M, I> {
  read(c: EvalCase): Promise<I>;
  review(input: I, model: M): Promise<ReviewResult>;
}

export async function runEval<M, I>(
  cases: readonly EvalCase[],
  models: readonly M[],
  nameOf: (model: M) => string,
  reviewer: CaseReviewer<M, I>,
  opts: EvalRunOptions,
): Promise<ModelReport[]> {
  // Read on the first model's turn and kept for the others; a case that cannot be read is an error for each model.
  const inputs = new Map<EvalCase, Promise<I>>();
  const reviewCase = (c: EvalCase, model: M): Promise<ReviewResult> => {
    let input = inputs.get(c);
    if (!input) {
      input = reviewer.read(c);
      input.catch(() => undefined); // handled by each model's review below
      inputs.set(c, input);
    }
    return input.then((read) => reviewer.review(read, model));
  };
  const reports: ModelReport[] = [];
  for (const model of models) {
    const name = nameOf(model);
    const outcomes: CaseOutcome[] = [];
    for (const [i, c] of cases.entries()) {
      if (opts.signal.aborted) throw new AbortedError('eval interrupted');
      outcomes.push(await reviewOne(c, model, reviewCase, opts.signal));
      opts.onCase?.(name, i + 1, cases.length);
    }
    reports.push(total(name, outcomes));
  }
  return reports;
}

async function reviewOne<M>(c: EvalCase, model: M, reviewCase: (c: EvalCase, model: M) => Promise<ReviewResult>, signal: AbortSignal): Promise<CaseOutcome> {
  const base = { id: c.id, language: c.language };
  try {
    const result = await reviewCase(c, model);
    return {
      ...base,
      score: scoreCase(c.bug, result),
      tokens: result.tokens,
      ms: result.timings.totalMs,
      calls: result.calls,
      ...(result.incomplete ? { error: result.errors[0] ?? 'the model review did not complete' } : {}),
    };
  } catch (error) {
    if (error instanceof AbortedError || signal.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, score: { caught: false, found: false, falseFindings: 0, falseBlocks: 0 }, tokens: 0, ms: 0, calls: 0, error: message.split('\n')[0]! };
  }
}

function total(model: string, cases: CaseOutcome[]): ModelReport {
  const sum = (f: (c: CaseOutcome) => number) => cases.reduce((n, c) => n + f(c), 0);
  return {
    model,
    cases,
    caught: sum((c) => (c.score.caught ? 1 : 0)),
    found: sum((c) => (c.score.found ? 1 : 0)),
    falseFindings: sum((c) => c.score.falseFindings),
    falseBlocks: sum((c) => c.score.falseBlocks),
    tokens: sum((c) => c.tokens),
    ms: sum((c) => c.ms),
    errors: sum((c) => (c.error ? 1 : 0)),
  };
}
