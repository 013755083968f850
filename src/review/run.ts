import { AbortedError, ProviderError } from '../errors.js';
import type { Category, DroppedFinding, Finding, ModelProvider, ReviewUnit } from '../types.js';
import { cacheKey, type FindingsCache } from './cache.js';
import { AnswerFormatError, parseFindings, repairMessages } from './findings.js';
import { buildPrompt, PROMPT_VERSION } from './prompt.js';

export interface UnitPromptOptions {
  categories: Category[];
  instructions: string[];
  /** The author's stated intent, already capped and redacted (review/intent.ts); '' or absent when none. */
  intent?: string;
}

export interface ReviewUnitsOptions {
  /** What the prompt of a unit says (categories and team instructions of the files in it). */
  promptFor(unit: ReviewUnit): UnitPromptOptions;
  concurrency: number;
  /** Ctrl-C / SIGTERM: everything stops and AbortedError is thrown. */
  userSignal: AbortSignal;
  /** The overall deadline: units not finished by then are reported as not reviewed. */
  deadlineMs: number;
  cache: FindingsCache | null;
  onProgress?(done: number, total: number): void;
}

export interface UnitOutcome {
  findings: Finding[];
  /** What the model said that could not be placed on this unit's changed lines (kept with the cache entry). */
  dropped?: DroppedFinding[];
  cached: boolean;
  /** Model requests made for this unit (0 when cached, 2 when the answer needed the repair retry). */
  calls: number;
  /** Why this unit was not reviewed, one line; absent on success. */
  error?: string;
}

/** Failures that will fail every other unit the same way: stop calling the model after the first. */
const FATAL_KINDS = new Set(['unreachable', 'auth', 'model-not-found', 'bad-request']);

/**
 * Reviews every unit with at most `concurrency` requests in flight. Outcomes come back in the order of `units`, not
 * of completion, so reports are byte-stable. A unit's findings are cached only when the model answered well.
 */
export async function reviewUnits(
  units: ReviewUnit[],
  provider: ModelProvider,
  opts: ReviewUnitsOptions,
): Promise<UnitOutcome[]> {
  const outcomes: UnitOutcome[] = new Array(units.length);
  const deadline = AbortSignal.timeout(opts.deadlineMs);
  const signal = AbortSignal.any([opts.userSignal, deadline]);
  let fatal: string | undefined;
  let next = 0;
  let done = 0;

  const reviewOne = async (shown: ReviewUnit): Promise<UnitOutcome> => {
    // Checked before anything else: a user who pressed Ctrl-C gets AbortedError, not a list of "did not finish".
    if (opts.userSignal.aborted) throw interrupted();
    const prompt = opts.promptFor(shown);
    // An override may turn every category off for some paths: nothing to ask the model about them.
    if (prompt.categories.length === 0) return { findings: [], cached: false, calls: 0 };
    // A unit's text is rendered each time it is read (diff/pack.ts): once here, held only while the unit is reviewed.
    const unit: ReviewUnit = { id: shown.id, files: shown.files, text: shown.text, tokens: shown.tokens };
    const key = cacheKey({
      v: PROMPT_VERSION,
      provider: provider.name,
      model: provider.model,
      unit: unit.text,
      categories: prompt.categories,
      instructions: prompt.instructions,
      ...(prompt.intent ? { intent: prompt.intent } : {}),
    });
    const hit = await opts.cache?.get(key);
    if (hit) return { findings: hit.findings, dropped: hit.dropped, cached: true, calls: 0 };
    if (fatal) return { findings: [], cached: false, calls: 0, error: fatal };
    if (opts.userSignal.aborted) throw interrupted();
    if (deadline.aborted) return { findings: [], cached: false, calls: 0, error: deadlineMessage(opts.deadlineMs) };

    const request = buildPrompt(unit, prompt);
    let calls = 0;
    try {
      calls++;
      const raw = await ownSignalCall((own) => provider.review(request, own), signal);
      let parsed: ReturnType<typeof parseFindings>;
      try {
        parsed = parseFindings(raw, unit);
      } catch (err) {
        if (!(err instanceof AnswerFormatError)) throw err;
        // One retry with the parse error fed back; models usually fix their JSON when told what was wrong.
        calls++;
        const again = await ownSignalCall((own) => provider.review(repairMessages(request, raw, err), own), signal);
        parsed = parseFindings(again, unit);
      }
      await opts.cache?.set(key, parsed.findings, parsed.dropped);
      return { findings: parsed.findings, dropped: parsed.dropped, cached: false, calls };
    } catch (err) {
      if (opts.userSignal.aborted) throw interrupted();
      if (deadline.aborted) return { findings: [], cached: false, calls, error: deadlineMessage(opts.deadlineMs) };
      if (err instanceof ProviderError) {
        if (FATAL_KINDS.has(err.kind)) fatal ??= err.message;
        return { findings: [], cached: false, calls, error: err.message };
      }
      if (err instanceof AnswerFormatError) {
        return {
          findings: [],
          cached: false,
          calls,
          error: `${provider.name} model ${provider.model} gave no usable JSON twice (${err.detail}): try another model, or set onError`,
        };
      }
      throw err;
    }
  };

  const worker = async () => {
    while (next < units.length) {
      const i = next++;
      outcomes[i] = await reviewOne(units[i]!);
      opts.onProgress?.(++done, units.length);
    }
  };
  // A concurrency that is not a positive number (NaN from a bad caller) still reviews every unit, one at a time.
  const workers = Math.min(Math.max(1, Math.floor(opts.concurrency) || 1), units.length);
  await Promise.all(Array.from({ length: workers }, worker));
  return outcomes;
}

function interrupted(): AbortedError {
  return new AbortedError('review interrupted: commit aborted, nothing was changed');
}

/**
 * One model call under a signal of its own that follows `shared`, released when the call settles. Client libraries
 * add an abort listener to the signal they are given and some never remove it (the openai client), so with one
 * signal for every unit a change of more than 10 units printed Node's MaxListenersExceededWarning into the commit's
 * output and kept every finished request reachable. The call's answer is returned, or a rejection as soon as `shared`
 * aborts: a provider (or a socket) that does not honour its signal must not hold a Ctrl-C or the overall deadline
 * hostage. A late answer or error is ignored.
 */
function ownSignalCall<T>(call: (signal: AbortSignal) => Promise<T>, shared: AbortSignal): Promise<T> {
  if (shared.aborted) return Promise.reject(shared.reason);
  const own = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      own.abort(shared.reason);
      reject(shared.reason);
    };
    shared.addEventListener('abort', onAbort, { once: true });
    const settle = () => shared.removeEventListener('abort', onAbort);
    call(own.signal).then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}

function deadlineMessage(ms: number): string {
  return `the review did not finish within timeoutMs (${ms} ms): raise timeoutMs in .codeairc or lower maxDiffTokens`;
}
