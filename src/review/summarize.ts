// The summary's one model call: cached like a unit's findings (the same change, model and intent give the same
// summary, and the same report bytes), bounded by timeoutMs, and never able to fail the review: a summary that
// cannot be had is reported as missing, with why.

import { AbortedError, ProviderError } from '../errors.js';
import type { ChangeSummary, ModelProvider } from '../types.js';
import { cacheKey, type FindingsCache } from './cache.js';
import { buildSummaryPrompt, parseSummary, SUMMARY_PROMPT_VERSION, type SummaryInput } from './summary.js';

export interface SummaryOutcome {
  summary?: ChangeSummary;
  error?: string;
  calls: number;
  cached: boolean;
}

export async function summarizeChange(
  provider: ModelProvider,
  input: SummaryInput,
  opts: { userSignal: AbortSignal; timeoutMs: number; cache: FindingsCache | null },
): Promise<SummaryOutcome> {
  // The fence id is random: the key is made of what decides the answer, not of the request's bytes. A unit stands in
  // it by its id (the hash of its rendered text, diff/pack.ts), never by its files: those, written out, would be a
  // string larger than the whole change.
  const { units, stat, unseen, findings, intent } = input;
  const key = cacheKey({
    v: SUMMARY_PROMPT_VERSION,
    provider: provider.name,
    model: provider.model,
    input: { units: units.map((u) => u.id), stat, unseen, findings, intent },
  });
  const hit = await opts.cache?.getSummary?.(key);
  if (hit) return { summary: hit, calls: 0, cached: true };
  const request = buildSummaryPrompt({ ...input, model: provider.model });
  const paths = new Set(stat.map((f) => f.path));
  const signal = AbortSignal.any([opts.userSignal, AbortSignal.timeout(opts.timeoutMs)]);
  try {
    const raw = await provider.review(request, signal);
    const summary = parseSummary(raw, paths);
    if (!summary) return { error: `${provider.name} model ${provider.model} gave no usable summary`, calls: 1, cached: false };
    await opts.cache?.setSummary?.(key, summary);
    return { summary, calls: 1, cached: false };
  } catch (error) {
    if (opts.userSignal.aborted) throw new AbortedError('review interrupted: nothing was changed');
    if (signal.aborted) return { error: `the summary did not finish within timeoutMs (${opts.timeoutMs} ms)`, calls: 1, cached: false };
    if (error instanceof ProviderError) return { error: error.message, calls: 1, cached: false };
    throw error;
  }
}
