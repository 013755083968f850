// OpenAI's chat completions API through the `openai` client, which also serves DeepSeek and any OpenAI-compatible
// server (llama.cpp, vLLM, LM Studio, LiteLLM) through baseURL. Streamed over SSE, temperature 0.
//
// Structured output is asked for as strongly as the server allows: a JSON schema, else JSON mode, else plain text
// (the review's parser extracts JSON from prose). Servers say what they refuse with a 400 naming response_format;
// the weaker form is then kept for the rest of the run so each later review does not pay for the refusal again.

import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { ModelProvider, ModelRequest, ProbeResult } from '../types.js';
import { AnswerBuffer } from './answer-buffer.js';
import { errorContextFor, providerFetch, SDK_TIMEOUT_DISABLED_MS, type ProviderConfig } from './config.js';
import { PLACEHOLDER_API_KEY } from './defaults.js';
import { isLoopbackURL, shownURL } from './endpoint.js';
import { abortedError, describe, providerError, toProviderError } from './errors.js';

// Loaded on first use, so a commit that never reaches a model does not pay for the client's import.
let sdk: Promise<typeof import('openai')> | undefined;
const loadSdk = () => (sdk ??= import('openai'));

/** Strongest first. */
export const RESPONSE_FORMATS = ['json_schema', 'json_object', 'text'] as const;
export type ResponseFormatMode = (typeof RESPONSE_FORMATS)[number];

export interface OpenAIProvider extends ModelProvider {
  readonly name: 'openai' | 'deepseek' | 'openai-compatible';
  /** The structured-output form the next review will ask for. */
  readonly responseFormat: ResponseFormatMode;
}

export function createOpenAIProvider(cfg: ProviderConfig): OpenAIProvider {
  if (cfg.name !== 'openai' && cfg.name !== 'deepseek' && cfg.name !== 'openai-compatible') {
    throw new TypeError(`createOpenAIProvider cannot serve provider '${cfg.name}'`);
  }
  const name = cfg.name;
  let client: Promise<OpenAI> | undefined;
  const getClient = () =>
    (client ??= loadSdk().then(
      ({ default: OpenAI }) =>
        new OpenAI({
          apiKey: cfg.apiKey ?? PLACEHOLDER_API_KEY,
          // Never OPENAI_ADMIN_KEY, which the client would otherwise read: one key, checked.
          adminAPIKey: null,
          baseURL: cfg.baseURL,
          // Only OpenAI itself knows these; never send the user's OpenAI organisation to another vendor.
          ...(name === 'openai' ? {} : { organization: null, project: null }),
          maxRetries: 0, // retries happen once, in the retrying fetch (see retrying-fetch.ts)
          timeout: SDK_TIMEOUT_DISABLED_MS,
          fetch: providerFetch(cfg),
          logLevel: 'off',
        }),
    ));
  let responseFormat: ResponseFormatMode = 'json_schema';

  return {
    name,
    model: cfg.model,
    endpoint: shownURL(cfg.baseURL),
    local: isLoopbackURL(cfg.baseURL),
    get responseFormat() {
      return responseFormat;
    },

    async review(request: ModelRequest, signal: AbortSignal): Promise<string> {
      const ctx = errorContextFor(cfg, signal);
      if (signal.aborted) throw abortedError(ctx);
      const openai = await getClient();
      let stream;
      for (;;) {
        const tried = responseFormat;
        try {
          stream = await openai.chat.completions.create(completionRequest(cfg.model, request, tried), { signal });
          break;
        } catch (error) {
          if (tried === 'text' || !refusesResponseFormat(error)) throw toProviderError(error, ctx);
          responseFormat = weakerOf(responseFormat, RESPONSE_FORMATS[RESPONSE_FORMATS.indexOf(tried) + 1] ?? 'text');
        }
      }
      const answer = new AnswerBuffer();
      let finishReason: string | null = null;
      try {
        for await (const chunk of stream) {
          const choice = chunk.choices?.[0];
          answer.append(choice?.delta?.content);
          finishReason = choice?.finish_reason ?? finishReason;
        }
      } catch (error) {
        throw toProviderError(error, ctx, 'answer');
      }
      // The client ends a stream quietly when it is aborted; an aborted review must not pass for a short answer.
      if (signal.aborted) throw abortedError(ctx);
      if (!finishReason) {
        throw providerError(ctx, 'server', `${describe(ctx)} ended the answer before the model finished (after ${answer.size} characters): retry, or check the server's logs`);
      }
      return answer.text();
    },

    async probe(signal: AbortSignal): Promise<ProbeResult> {
      const ctx = errorContextFor(cfg, signal);
      const openai = await getClient();
      const started = performance.now();
      try {
        await openai.chat.completions.create(
          { model: cfg.model, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1, temperature: 0 },
          { signal },
        );
      } catch (error) {
        throw toProviderError(error, ctx);
      }
      return { latencyMs: Math.round(performance.now() - started) };
    },
  };
}

function completionRequest(model: string, request: ModelRequest, format: ResponseFormatMode): ChatCompletionCreateParamsStreaming {
  return {
    model,
    messages: [{ role: 'system', content: request.system }, ...request.messages],
    temperature: 0,
    // max_tokens, not max_completion_tokens: DeepSeek and most compatible servers know only the former.
    max_tokens: request.maxTokens,
    stream: true,
    ...(format === 'json_schema' && {
      response_format: { type: 'json_schema', json_schema: { name: 'findings', schema: request.schema, strict: false } },
    }),
    ...(format === 'json_object' && { response_format: { type: 'json_object' } }),
  };
}

/** A 400 (422 from FastAPI-based servers such as vLLM) that names the structured-output parameter. */
function refusesResponseFormat(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { status, error: body } = error as Error & { status?: unknown; error?: unknown };
  if (status !== 400 && status !== 422) return false;
  return /response_format|json_schema|json_object/i.test(`${error.message} ${JSON.stringify(body ?? '')}`);
}

function weakerOf(a: ResponseFormatMode, b: ResponseFormatMode): ResponseFormatMode {
  return RESPONSE_FORMATS.indexOf(a) >= RESPONSE_FORMATS.indexOf(b) ? a : b;
}
