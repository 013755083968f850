// What every provider factory takes, and the two things all of them derive from it the same way: the shared
// retrying fetch and the context their errors are written in.

import { API_KEY_ENV, type ModelProviderName } from './defaults.js';
import { shownURL } from './endpoint.js';
import type { ErrorContext } from './errors.js';
import { rejectingWebPages } from './foreign-response.js';
import { guardedFetch } from './request-guard.js';
import { createRetryingFetch, DEFAULT_RETRY_POLICY, type Fetch, type RetryPolicy } from './retrying-fetch.js';

export interface ProviderConfig {
  name: ModelProviderName;
  model: string;
  /** Ollama: http://host:11434; OpenAI-style: the URL ending in /v1; Anthropic: the origin (the SDK adds /v1). */
  baseURL: string;
  apiKey?: string;
  /** baseURL is a host the user trusts with keys (key-trust.ts); otherwise no header from the environment goes. */
  trustedHost?: boolean;
  /** One attempt, headers and streamed body together. */
  requestTimeoutMs: number;
  /** Retries of 429/5xx/connection resets; default 3. */
  maxRetries?: number;
  /** Named in the context-length advice ("lower maxDiffTokens (now N)"). */
  maxDiffTokens?: number;
  /** Backoff tuning; tests shorten the waits here. */
  retry?: Partial<Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'sleep' | 'random'>>;
}

// The SDKs' own timers stop at the response headers and would also cover our retry waits; the retrying fetch owns
// timeouts, so the SDK timer is set beyond any real run (the largest value setTimeout accepts).
export const SDK_TIMEOUT_DISABLED_MS = 2_147_483_647;

export function maxRetriesOf(cfg: ProviderConfig): number {
  return cfg.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries;
}

/**
 * The fetch every provider hands its SDK: bound to baseURL's origin, the shared retry/timeout policy (redirects
 * followed within that origin only), refusing web pages posing as APIs.
 */
export function providerFetch(cfg: ProviderConfig): Fetch {
  const retrying = createRetryingFetch({ ...cfg.retry, requestTimeoutMs: cfg.requestTimeoutMs, maxRetries: maxRetriesOf(cfg) });
  return guardedFetch(rejectingWebPages(retrying), cfg.baseURL, { trusted: cfg.trustedHost === true });
}

export function errorContextFor(cfg: ProviderConfig, signal?: AbortSignal): ErrorContext {
  return {
    provider: cfg.name,
    model: cfg.model,
    endpoint: shownURL(cfg.baseURL),
    requestTimeoutMs: cfg.requestTimeoutMs,
    maxRetries: maxRetriesOf(cfg),
    maxDiffTokens: cfg.maxDiffTokens,
    keyEnv: cfg.name === 'ollama' ? undefined : API_KEY_ENV[cfg.name],
    signal,
  };
}
