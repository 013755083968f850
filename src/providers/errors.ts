// Turns whatever a client library, fetch or our own checks threw into a ProviderError whose message is one line:
// who (provider, model, URL), what happened, and what the user can do about it. The three SDKs disagree on error
// shapes, so they are read here, once, by shape and class name: importing the SDKs for instanceof checks would load
// all three (~300 ms) into every commit, while each provider loads only its own, on first use.

import { ProviderError, type ProviderErrorKind } from '../errors.js';
import { AnswerTooLargeError } from './answer-buffer.js';
import { ForeignResponseError } from './foreign-response.js';
import { RedirectRefusedError, TooManyRedirectsError } from './redirects.js';
import { ForeignOriginError } from './request-guard.js';
import { RequestTimeoutError } from './retrying-fetch.js';

export interface ErrorContext {
  provider: string;
  model: string;
  endpoint: string;
  requestTimeoutMs: number;
  maxRetries: number;
  /** Shown in the context-length advice. */
  maxDiffTokens?: number;
  /** The environment variable the key came from, named in auth errors. */
  keyEnv?: string;
  /** The caller's signal: once it has aborted, every failure is reported as 'aborted'. */
  signal?: AbortSignal;
}

/** Where the failure happened: sending the request, or reading the streamed answer after a 200. */
export type Phase = 'request' | 'answer';

export function providerError(ctx: ErrorContext, kind: ProviderErrorKind, message: string, status?: number): ProviderError {
  return new ProviderError(oneLine(message), kind, ctx.provider, ctx.endpoint, ctx.model, status);
}

export function describe(ctx: Pick<ErrorContext, 'provider' | 'model' | 'endpoint'>): string {
  return `${ctx.provider} (${ctx.model}) at ${ctx.endpoint}`;
}

export function abortedError(ctx: ErrorContext): ProviderError {
  return providerError(ctx, 'aborted', `review by ${describe(ctx)} was aborted before the model answered`);
}

/** Model missing; for Ollama, `installed` (when it could be listed) tells the user what they have instead. */
export function modelNotFoundError(ctx: ErrorContext, installed?: readonly string[], status = 404): ProviderError {
  const where = `${ctx.provider} at ${ctx.endpoint}`;
  if (ctx.provider !== 'ollama') {
    return providerError(ctx, 'model-not-found', `model '${ctx.model}' not found on ${where} (${status}): check model in .codeairc`, status);
  }
  const list = installed === undefined ? '' : ` (installed: ${installed.length ? installed.join(', ') : 'none'})`;
  return providerError(ctx, 'model-not-found', `model '${ctx.model}' not found on ${where}: run 'ollama pull ${ctx.model}'${list}`, status);
}

export function toProviderError(error: unknown, ctx: ErrorContext, phase: Phase = 'request'): ProviderError {
  if (error instanceof ProviderError) return error;
  if (ctx.signal?.aborted || typeName(error) === 'APIUserAbortError') return abortedError(ctx);
  if (findInChain(error, (e) => e instanceof RequestTimeoutError || typeName(e) === 'APIConnectionTimeoutError')) {
    return providerError(ctx, 'timeout', `${describe(ctx)} did not answer within ${ctx.requestTimeoutMs} ms: raise timeoutMs in .codeairc or use a smaller model`);
  }
  const redirect = findInChain(error, (e) => e instanceof RedirectRefusedError || e instanceof TooManyRedirectsError);
  if (redirect instanceof RedirectRefusedError) {
    return providerError(
      ctx,
      'bad-response',
      `${describe(ctx)} redirected the request (${redirect.status}) to ${redirect.to}, another host: not followed, so neither the key nor the diff went there; if that server is the one you mean, set baseURL to it`,
      redirect.status,
    );
  }
  if (redirect) return providerError(ctx, 'bad-response', `${describe(ctx)} ${redirect.message.replace(/^the server at \S+ /, '')}: check baseURL`);
  const foreign = findInChain(error, (e) => e instanceof ForeignOriginError);
  if (foreign instanceof ForeignOriginError) {
    return providerError(ctx, 'bad-request', `${describe(ctx)}: the client tried ${foreign.got}, another host; the request was stopped (please report it)`);
  }
  if (error instanceof ForeignResponseError) {
    return providerError(ctx, 'bad-response', `${describe(ctx)} answered with a ${error.contentType} page, not the ${ctx.provider} API: check baseURL in .codeairc`);
  }
  if (error instanceof AnswerTooLargeError) {
    return providerError(ctx, 'bad-response', `${describe(ctx)} sent more than ${error.limit} characters, far more than a review needs (the model may be repeating itself): try another model`);
  }
  const network = networkCause(error);
  if (network) return networkError(ctx, network, phase);
  const http = httpFailure(error);
  if (http?.status !== undefined) return statusError(ctx, http.status, http);
  if (http) return streamedError(ctx, http);
  if (error instanceof SyntaxError) {
    return providerError(ctx, 'bad-response', `${describe(ctx)} sent a malformed answer (${error.message}): check that baseURL in .codeairc points at a ${ctx.provider} server`);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (isContextLengthMessage(message)) return contextLengthError(ctx);
  if (/did not receive done/i.test(message)) {
    return providerError(ctx, 'bad-response', `${describe(ctx)} ended its answer without the final message: check that baseURL in .codeairc points at an ollama server`);
  }
  // Ollama reports a failure after the 200 (a crashed model runner, out of memory) as a line {"error": "..."}.
  if (phase === 'answer') return providerError(ctx, 'server', `${describe(ctx)} failed mid-answer (${shorten(message)}): retry, or check the server's logs`);
  return providerError(ctx, 'bad-response', `${describe(ctx)} failed unexpectedly (${shorten(message)})`);
}

// ---------- network ----------

interface NetworkCause {
  code: string;
  message: string;
}

const NETWORK_DETAIL: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed by the server',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  ETIMEDOUT: 'connect timed out',
};

function networkCause(error: unknown): NetworkCause | undefined {
  const found = findInChain(error, (e) => {
    const code = (e as { code?: unknown }).code;
    return (typeof code === 'string' && (code in NETWORK_DETAIL || /^(CERT_|ERR_TLS|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED)/.test(code))) || e.message === 'terminated';
  });
  if (found) {
    const code = (found as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : 'terminated', message: found.message };
  }
  // Node's fetch rejects every network failure as TypeError('fetch failed'); the cause says which, with or without
  // a code (a port fetch refuses to use, such as 9 or 6000, comes as a bare Error('bad port')).
  const failed = findInChain(error, (e) => e instanceof TypeError && e.message === 'fetch failed');
  if (!failed) return undefined;
  const cause = failed.cause instanceof Error ? (failed.cause as Error & { code?: unknown }) : undefined;
  return { code: 'fetch failed', message: typeof cause?.code === 'string' ? cause.code : (cause?.message ?? 'network error') };
}

function networkError(ctx: ErrorContext, cause: NetworkCause, phase: Phase): ProviderError {
  const detail = networkDetail(ctx, cause);
  if (phase === 'answer' || cause.code === 'terminated') {
    return providerError(ctx, 'server', `${describe(ctx)} closed the connection mid-answer (${detail}): retry, or check the server's logs`);
  }
  const advice =
    ctx.provider === 'ollama'
      ? `start it with 'ollama serve', or set provider/baseURL in .codeairc`
      : `check the network, proxy settings and baseURL in .codeairc`;
  return providerError(ctx, 'unreachable', `${describe(ctx)} is not reachable (${detail}): ${advice}`);
}

function networkDetail(ctx: ErrorContext, cause: NetworkCause): string {
  if (cause.code in NETWORK_DETAIL) return NETWORK_DETAIL[cause.code] as string;
  if (cause.code === 'terminated') return 'connection closed';
  if (cause.message === 'bad port') return `Node's fetch refuses port ${portOf(ctx.endpoint)}: use another port`;
  if (cause.code === 'fetch failed') return shorten(cause.message);
  return cause.code;
}

function portOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  } catch {
    return '?';
  }
}

// ---------- HTTP status ----------

interface HttpFailure {
  status?: number;
  /** The server's own words, without the SDK's "400 " prefix. */
  message: string;
  /** OpenAI `code`, Anthropic error `type`. */
  code?: string;
  headers?: Headers;
}

/**
 * Reads the three client libraries' status errors: ollama's ResponseError { status_code, error: string }, and the
 * OpenAI / Anthropic APIError { status, error: body, headers } (OpenAI keeps the inner `error` object, Anthropic the
 * whole `{ type: 'error', error: { type, message } }`). A status of undefined with a body is an error event that
 * arrived inside a 200 stream.
 */
function httpFailure(error: unknown): HttpFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const e = error as Error & Record<string, unknown>;
  if (typeof e['status_code'] === 'number') {
    return { status: e['status_code'], message: typeof e['error'] === 'string' ? e['error'] : e.message };
  }
  if (!('status' in e) || !('error' in e) || typeName(e) === 'APIConnectionError') return undefined;
  const status = typeof e['status'] === 'number' ? e['status'] : undefined;
  const body = (e['error'] ?? {}) as Record<string, unknown>;
  const nested = (body['error'] ?? {}) as Record<string, unknown>;
  const message = stringOr(body['message']) ?? stringOr(nested['message']) ?? e.message;
  const code = stringOr(e['code']) ?? stringOr(e['type']) ?? stringOr(nested['type']) ?? stringOr(body['type']);
  if (status === undefined && code === undefined && body['message'] === undefined) return undefined;
  // Read by shape: the Headers class a client used may be Node's, ours or the client's own.
  const headers = e['headers'] as Headers | undefined;
  return { status, message, code, headers: typeof headers?.get === 'function' ? headers : undefined };
}

function statusError(ctx: ErrorContext, status: number, http: HttpFailure): ProviderError {
  const said = shorten(http.message);
  if (status === 401 || status === 403) {
    const what = ctx.keyEnv ? `check ${ctx.keyEnv}` : `check the server's access settings and baseURL in .codeairc`;
    return providerError(ctx, 'auth', `${describe(ctx)} rejected the API key (${status}: ${said}): ${what}`, status);
  }
  if (status === 413 || isContextLengthMessage(http.message) || http.code === 'context_length_exceeded') {
    return contextLengthError(ctx, status);
  }
  if (status === 404 && (ctx.provider === 'ollama' || http.code === 'model_not_found' || /model/i.test(http.message))) {
    return modelNotFoundError(ctx, undefined, status);
  }
  if (status === 404) {
    return providerError(ctx, 'bad-request', `${describe(ctx)} has no such API endpoint (404: ${said}): check baseURL in .codeairc (OpenAI-style servers usually end in /v1)`, status);
  }
  if (status === 429) return rateLimitError(ctx, http);
  if (status >= 500) {
    return providerError(ctx, 'server', `${describe(ctx)} failed with HTTP ${status} (${said}), also after ${ctx.maxRetries} retries: retry later, or check the server's status`, status);
  }
  return providerError(ctx, 'bad-request', `${describe(ctx)} rejected the request (${status}: ${said}): check model and baseURL in .codeairc`, status);
}

function rateLimitError(ctx: ErrorContext, http: HttpFailure): ProviderError {
  if (http.code === 'insufficient_quota' || /quota|billing|credit balance/i.test(http.message)) {
    const key = ctx.keyEnv ? ` of the account behind ${ctx.keyEnv}` : '';
    return providerError(ctx, 'rate-limited', `${describe(ctx)} refused: the quota is used up (429: ${shorten(http.message)}): check the billing${key}`, 429);
  }
  const wait = http.headers?.get('retry-after');
  const asked = wait ? `, asked to wait ${wait} s` : '';
  return providerError(ctx, 'rate-limited', `${describe(ctx)} is rate limiting requests (429${asked}): retry later, or lower concurrency in .codeairc`, 429);
}

/** An error event inside a 200 stream (Anthropic `event: error`, OpenAI `data: {"error": ...}`). */
function streamedError(ctx: ErrorContext, http: HttpFailure): ProviderError {
  if (isContextLengthMessage(http.message)) return contextLengthError(ctx);
  if (http.code === 'rate_limit_error') return rateLimitError(ctx, http);
  return providerError(ctx, 'server', `${describe(ctx)} failed mid-answer (${http.code ? `${http.code}: ` : ''}${shorten(http.message)}): retry later`);
}

function contextLengthError(ctx: ErrorContext, status?: number): ProviderError {
  const now = ctx.maxDiffTokens === undefined ? '' : ` (now ${ctx.maxDiffTokens})`;
  return providerError(ctx, 'context-length', `${describe(ctx)}: the diff is larger than the model's context: lower maxDiffTokens in .codeairc${now}`, status);
}

function isContextLengthMessage(message: string): boolean {
  return /context[ _]length|context window|maximum context|prompt is too long|too many tokens|input is too long|exceeds? the (model's )?(maximum )?context|request_too_large/i.test(message);
}

// ---------- helpers ----------

function findInChain(error: unknown, test: (e: Error) => boolean): Error | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    if (test(e)) return e;
  }
  return undefined;
}

/** The SDKs' error classes by name (OpenAI's all report name 'Error'; their constructors keep the class name). */
function typeName(error: unknown): string | undefined {
  return error instanceof Error ? error.constructor.name : undefined;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function shorten(text: string, max = 160): string {
  const line = oneLine(text);
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
