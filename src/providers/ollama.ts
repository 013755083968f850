// A local Ollama server through the `ollama` client: /api/chat streamed as NDJSON, the answer constrained by
// `format: <JSON schema>`, temperature 0.

import type { Message, Ollama } from 'ollama';
import type { ProviderError } from '../errors.js';
import type { ModelProvider, ModelRequest, ProbeResult } from '../types.js';
import { AnswerBuffer } from './answer-buffer.js';
import { errorContextFor, providerFetch, type ProviderConfig } from './config.js';
import { isLoopbackURL, shownURL } from './endpoint.js';
import { HttpResponse } from './http-response.js';
import { rejectingWebPages } from './foreign-response.js';
import { abortedError, modelNotFoundError, toProviderError, type ErrorContext } from './errors.js';
import { createRetryingFetch, type Fetch } from './retrying-fetch.js';

// Loaded on first use, so a commit that never reaches a model does not pay for the client's import.
let sdk: Promise<typeof import('ollama')> | undefined;
const loadSdk = () => (sdk ??= import('ollama'));

/** Listing installed models after a 404 is a courtesy to the message; it must not hold the error up for long. */
const LIST_AFTER_404_TIMEOUT_MS = 1500;

export function createOllamaProvider(cfg: ProviderConfig): ModelProvider {
  const fetch = providerFetch(cfg);
  return {
    name: 'ollama',
    model: cfg.model,
    endpoint: shownURL(cfg.baseURL),
    local: isLoopbackURL(cfg.baseURL),

    async review(request: ModelRequest, signal: AbortSignal): Promise<string> {
      const ctx = errorContextFor(cfg, signal);
      if (signal.aborted) throw abortedError(ctx);
      const client = await ollamaClient(cfg.baseURL, withSignal(fetch, signal));
      const messages: Message[] = [{ role: 'system', content: request.system }, ...request.messages];
      let stream;
      try {
        stream = await client.chat({
          model: cfg.model,
          messages,
          stream: true,
          format: request.schema,
          options: { temperature: 0, num_predict: request.maxTokens, ...contextWindowOption(request) },
        });
      } catch (error) {
        throw await withInstalledModels(toProviderError(error, ctx), cfg.baseURL, signal);
      }
      const answer = new AnswerBuffer();
      let complete = false;
      try {
        for await (const part of stream) {
          answer.append(part.message?.content);
          if (part.done) complete = true;
        }
      } catch (error) {
        throw toProviderError(error, ctx, 'answer');
      } finally {
        // Leaving the loop early (a too-long answer) does not close the client's body reader; this does.
        if (!complete) stream.abort();
      }
      if (signal.aborted) throw abortedError(ctx);
      return answer.text();
    },

    async probe(signal: AbortSignal): Promise<ProbeResult> {
      const ctx = errorContextFor(cfg, signal);
      const started = performance.now();
      let models: string[];
      try {
        models = await listInstalledModels(cfg.baseURL, { timeoutMs: cfg.requestTimeoutMs, signal });
      } catch (error) {
        throw toProviderError(error, ctx);
      }
      if (!findInstalledModel(models, cfg.model)) throw modelNotFoundError(ctx, models);
      // A listed model may still fail to load (too little memory, a broken blob): make it answer one token.
      try {
        const client = await ollamaClient(cfg.baseURL, withSignal(fetch, signal));
        await client.chat({ model: cfg.model, messages: [{ role: 'user', content: 'ok' }], stream: false, options: { num_predict: 1, temperature: 0 } });
      } catch (error) {
        throw toProviderError(error, ctx);
      }
      return { latencyMs: Math.round(performance.now() - started), models };
    },
  };
}

/** Names from /api/tags, one attempt under `timeoutMs`; rejects with the raw client error. */
export async function listInstalledModels(baseURL: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<string[]> {
  let fetch = rejectingWebPages(createRetryingFetch({ requestTimeoutMs: options.timeoutMs, maxRetries: 0 }));
  if (options.signal) fetch = withSignal(fetch, options.signal);
  const client = await ollamaClient(baseURL, fetch);
  const { models } = await client.list();
  return models.map((m) => m.name);
}

/** Ollama resolves a name without a tag to ':latest', so "llama3" is installed when "llama3:latest" is. */
export function findInstalledModel(installed: readonly string[], model: string): string | undefined {
  return installed.find((name) => name === model || name === `${model}:latest`);
}

// Ollama silently drops the start of a prompt longer than the model's context window (num_ctx, 4096 by default on
// current servers) — the review would see only the tail of the diff. When the request may not fit, ask for a window
// that does. Powers of two keep the number of distinct sizes small: each new size makes Ollama reload the model.
const OLLAMA_DEFAULT_CONTEXT = 4096;
// Code tokenizes at roughly 3-4 characters per token; 3 errs on the side of a larger window.
const CHARS_PER_TOKEN = 3;

export function contextWindowOption(request: ModelRequest): { num_ctx?: number } {
  const chars = request.system.length + request.messages.reduce((sum, m) => sum + m.content.length, 0);
  const needed = Math.ceil(chars / CHARS_PER_TOKEN) + request.maxTokens;
  if (needed <= OLLAMA_DEFAULT_CONTEXT) return {};
  return { num_ctx: 2 ** Math.ceil(Math.log2(needed)) };
}

async function ollamaClient(baseURL: string, fetch: Fetch): Promise<Ollama> {
  const { Ollama } = await loadSdk();
  return new Ollama({ host: baseURL, fetch: withJsonErrors(fetch) });
}

/**
 * The ollama client does not pass a caller's signal to fetch (it aborts streams through its own controller), so the
 * review's signal is joined in here; a client per review keeps concurrent reviews' signals apart.
 */
function withSignal(fetch: Fetch, signal: AbortSignal): Fetch {
  return (input, init) => fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
}

/**
 * The client prints "Getting text from response" to stdout when an error body is not JSON (a proxy's HTML page, a
 * plain-text 502), and stdout is the user's commit screen. Such bodies are rewrapped as Ollama's own { error } JSON.
 */
function withJsonErrors(fetch: Fetch): Fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (response.ok || response.headers.get('content-type')?.includes('application/json')) return response;
    const text = await response.text().catch(() => '');
    return new HttpResponse(JSON.stringify({ error: text.trim() || `${response.status} ${response.statusText}` }), {
      status: response.status,
      statusText: response.statusText,
      url: response.url,
      headers: { 'content-type': 'application/json' },
    });
  };
}

/** A model-not-found error gains the list of what is installed, when the server can say so quickly. */
async function withInstalledModels(error: ProviderError, baseURL: string, signal: AbortSignal): Promise<ProviderError> {
  if (error.kind !== 'model-not-found') return error;
  const ctx: ErrorContext = { provider: error.provider, model: error.model, endpoint: error.endpoint, requestTimeoutMs: 0, maxRetries: 0 };
  try {
    const installed = await listInstalledModels(baseURL, { timeoutMs: LIST_AFTER_404_TIMEOUT_MS, signal });
    return modelNotFoundError(ctx, installed, error.status);
  } catch {
    return error;
  }
}
