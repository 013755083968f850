// The one retry and timeout policy for every model provider. Each SDK receives a `fetch` built here and is itself
// configured with maxRetries 0, so that:
//  - there is one policy in one place (the three SDKs each retry differently, and the Ollama client not at all);
//  - it is testable against a fake server without reaching into SDK internals;
//  - waits never outlive the caller's AbortSignal (the review deadline, Ctrl-C), which the SDKs' own sleeps ignore.
// The per-request timeout also lives here because it must cover the whole streamed body, not just the headers
// (the SDKs' own timers stop once headers arrive, so a model that stalls mid-answer would hang forever).
// Redirects are never followed off the request's origin (redirects.ts): each attempt goes through that guard.

import { BodyStream } from './body-stream.js';
import { httpFetch } from './http-fetch.js';
import { HttpResponse } from './http-response.js';
import { sameOriginRedirects } from './redirects.js';

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export type Sleep = (ms: number, signal?: AbortSignal | null) => Promise<void>;

export interface RetryPolicy {
  /** Aborts one attempt (headers and body) after this long. */
  requestTimeoutMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff; doubles on each retry, with jitter. */
  baseDelayMs: number;
  /** No single wait is longer. A server asking for more (Retry-After) gets its error returned instead. */
  maxDelayMs: number;
  sleep: Sleep;
  /** In [0, 1); injectable so tests can pin the jitter. */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: Omit<RetryPolicy, 'requestTimeoutMs'> = {
  maxRetries: 3,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  sleep: abortableSleep,
  random: Math.random,
};

/** Thrown into the request (and its body stream) when one attempt takes longer than requestTimeoutMs. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`request timed out after ${timeoutMs} ms`);
  }
}

// 529 is Anthropic's "overloaded": transient by definition, like 503.
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504, 529]);
// Resets and servers that hang up before answering; a refused connection is not retried (nothing is listening,
// and waiting would only delay the message that says so).
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

export function createRetryingFetch(
  options: Partial<RetryPolicy> & { requestTimeoutMs: number },
  base: Fetch = sameOriginRedirects(httpFetch),
): Fetch {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options };
  return async (input, init) => {
    const signal = init?.signal ?? undefined;
    // A streamed request body can be sent once only. Known by its shape: naming ReadableStream loads Node's web
    // streams (body-stream.ts), and the clients send strings.
    const replayable = !isStreamBody(init?.body);
    for (let retry = 0; ; retry++) {
      const canRetry = replayable && retry < policy.maxRetries;
      let response: Response;
      try {
        response = await fetchWithTimeout(base, input, init, policy.requestTimeoutMs);
      } catch (error) {
        if (signal?.aborted || !canRetry || !isRetryableNetworkError(error)) throw error;
        await policy.sleep(backoffMs(retry, policy), signal);
        continue;
      }
      if (!canRetry || !(await isRetryableResponse(response))) return response;
      const asked = retryAfterMs(response.headers);
      if (asked !== undefined && asked > policy.maxDelayMs) return response;
      await response.body?.cancel().catch(() => undefined);
      await policy.sleep(asked ?? backoffMs(retry, policy), signal);
    }
  };
}

/** Exponential backoff with "equal jitter": half fixed, half random, so parallel reviews do not retry in lockstep. */
export function backoffMs(retry: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + (ceiling / 2) * policy.random());
}

/** The wait a server asks for: `retry-after-ms` (OpenAI, Anthropic), else `Retry-After` in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number.parseFloat(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function abortableSleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function isRetryableResponse(response: Response): Promise<boolean> {
  if (!RETRYABLE_STATUS.has(response.status)) return false;
  if (response.status !== 429) return true;
  // OpenAI answers an empty balance with 429 too; waiting does not refill it.
  const body = await response.clone().text().catch(() => '');
  return !body.includes('insufficient_quota');
}

function isStreamBody(body: RequestInit['body'] | undefined): boolean {
  return typeof body === 'object' && body !== null && typeof (body as { getReader?: unknown }).getReader === 'function';
}

function isRetryableNetworkError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code)) return true;
    if (/socket hang up/i.test(e.message)) return true;
  }
  return false;
}

/**
 * One attempt under its own timer. The timer keeps running while the caller reads the body and stops when the body
 * ends, fails or is cancelled, so a stalled stream is cut at requestTimeoutMs like a stalled connect.
 */
async function fetchWithTimeout(base: Fetch, input: string | URL | Request, init: RequestInit | undefined, ms: number): Promise<Response> {
  const attempt = new AbortController();
  const timer = setTimeout(() => attempt.abort(new RequestTimeoutError(ms)), ms);
  // A pending request keeps the process alive through its socket; the timer alone must not (a body the SDK abandons
  // would otherwise hold a finished CLI open until the timeout).
  timer.unref();
  const signal = init?.signal ? AbortSignal.any([init.signal, attempt.signal]) : attempt.signal;
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  let response: Response;
  try {
    response = await base(input, { ...init, signal });
  } catch (error) {
    clearTimeout(timer);
    throw attempt.signal.aborted && !init?.signal?.aborted ? attempt.signal.reason : error;
  }
  return stopTimerWhenBodyEnds(response, timer, attempt.signal);
}

function stopTimerWhenBodyEnds(response: Response, timer: NodeJS.Timeout, attempt: AbortSignal): Response {
  const source = response.body;
  if (!source) {
    clearTimeout(timer);
    return response;
  }
  const reader = source.getReader();
  const body = new BodyStream({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          clearTimeout(timer);
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        clearTimeout(timer);
        controller.error(attempt.aborted && attempt.reason instanceof RequestTimeoutError ? attempt.reason : error);
      }
    },
    cancel(reason) {
      clearTimeout(timer);
      return reader.cancel(reason);
    },
  });
  return new HttpResponse(body as unknown as ReadableStream<Uint8Array>, { status: response.status, statusText: response.statusText, headers: response.headers, url: response.url });
}
