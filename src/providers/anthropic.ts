// Anthropic's Messages API through `@anthropic-ai/sdk`, streamed over SSE.
//
// Claude has no JSON mode on this API; the structured answer is asked for as a forced call to one tool,
// report_findings, whose input_schema is the review schema. The tool's input arrives as input_json_delta pieces
// that concatenate to the input object's JSON, which is what review() returns.

import type { BaseAnthropic } from '@anthropic-ai/sdk/client';
import type { MessageCreateParamsStreaming, Messages, Tool } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ModelProvider, ModelRequest, ProbeResult } from '../types.js';
import { AnswerBuffer } from './answer-buffer.js';
import { errorContextFor, providerFetch, SDK_TIMEOUT_DISABLED_MS, type ProviderConfig } from './config.js';
import { isLoopbackURL, shownURL } from './endpoint.js';
import { abortedError, describe, providerError, toProviderError } from './errors.js';

// Loaded on first use, so a commit that never reaches a model does not pay for the client's import. The client is
// the SDK's BaseAnthropic with the one resource used here, Messages (what the Anthropic class adds is its other
// resources): its bundle is a quarter of the whole SDK's, which cost every Anthropic commit ~20 ms more to load.
let sdk: Promise<[typeof import('@anthropic-ai/sdk/client'), typeof import('@anthropic-ai/sdk/resources/messages/messages')]> | undefined;
const loadSdk = () => (sdk ??= Promise.all([import('@anthropic-ai/sdk/client'), import('@anthropic-ai/sdk/resources/messages/messages')]));

/** The requests a review makes: BaseAnthropic's, with its messages resource. */
type MessagesClient = BaseAnthropic & { messages: Messages };

export const FINDINGS_TOOL = 'report_findings';

export function createAnthropicProvider(cfg: ProviderConfig): ModelProvider {
  let client: Promise<MessagesClient> | undefined;
  const getClient = () =>
    (client ??= loadSdk().then(([{ BaseAnthropic }, { Messages }]) => {
      const base = new BaseAnthropic({
        apiKey: cfg.apiKey ?? null,
        // Never ANTHROPIC_AUTH_TOKEN, which the client would otherwise read and send as well: one key, checked.
        authToken: null,
        baseURL: cfg.baseURL,
        maxRetries: 0, // retries happen once, in the retrying fetch (see retrying-fetch.ts)
        timeout: SDK_TIMEOUT_DISABLED_MS,
        fetch: providerFetch(cfg),
        logLevel: 'off',
      });
      return Object.assign(base, { messages: new Messages(base) });
    }));

  return {
    name: 'anthropic',
    model: cfg.model,
    endpoint: shownURL(cfg.baseURL),
    local: isLoopbackURL(cfg.baseURL),

    async review(request: ModelRequest, signal: AbortSignal): Promise<string> {
      const ctx = errorContextFor(cfg, signal);
      if (signal.aborted) throw abortedError(ctx);
      const anthropic = await getClient();
      let stream;
      try {
        stream = await anthropic.messages.create(messagesRequest(cfg.model, request), { signal });
      } catch (error) {
        throw toProviderError(error, ctx);
      }
      const toolInput = new AnswerBuffer();
      const text = new AnswerBuffer();
      let toolBlock: number | undefined;
      let stopped = false;
      try {
        for await (const event of stream) {
          if (event.type === 'content_block_start' && event.content_block.type === 'tool_use' && event.content_block.name === FINDINGS_TOOL) {
            toolBlock ??= event.index;
          } else if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta' && event.index === toolBlock) {
            toolInput.append(event.delta.partial_json);
          } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
            text.append(event.delta.text);
          } else if (event.type === 'message_stop') {
            stopped = true;
          }
        }
      } catch (error) {
        throw toProviderError(error, ctx, 'answer');
      }
      // The client ends a stream quietly when it is aborted; an aborted review must not pass for a short answer.
      if (signal.aborted) throw abortedError(ctx);
      if (!stopped) {
        throw providerError(ctx, 'server', `${describe(ctx)} ended the answer before the model finished (after ${toolInput.size + text.size} characters): retry, or check the server's logs`);
      }
      // A tool call whose input streamed no pieces is the empty object. Without a tool call (a refusal, a proxy that
      // drops tools), the text is all there is; the review's parser decides what it is worth.
      if (toolBlock !== undefined) return toolInput.text() || '{}';
      return text.text();
    },

    async probe(signal: AbortSignal): Promise<ProbeResult> {
      const ctx = errorContextFor(cfg, signal);
      const anthropic = await getClient();
      const started = performance.now();
      try {
        await anthropic.messages.create({ model: cfg.model, max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] }, { signal });
      } catch (error) {
        throw toProviderError(error, ctx);
      }
      return { latencyMs: Math.round(performance.now() - started) };
    },
  };
}

function messagesRequest(model: string, request: ModelRequest): MessageCreateParamsStreaming {
  return {
    model,
    max_tokens: request.maxTokens,
    // No temperature: API version 2026-10-21, which this SDK sends, rejects every sampling parameter with a 400
    // ("Extra inputs are not permitted"). The forced tool call and its schema are what keep the answer stable.
    system: request.system,
    messages: request.messages,
    tools: [
      {
        name: FINDINGS_TOOL,
        description: 'Report the review findings for the diff.',
        input_schema: request.schema as Tool.InputSchema,
      },
    ],
    tool_choice: { type: 'tool', name: FINDINGS_TOOL },
    stream: true,
  };
}
