// A FAKE OpenAI-style server: POST /v1/chat/completions (SSE `data: {chat.completion.chunk}` events ending in
// `data: [DONE]`, or one chat.completion object without "stream": true) and GET /v1/models. Errors are
// { "error": { message, type, param, code } }. It stands in for OpenAI, DeepSeek and compatible servers.
//
// rejectJsonSchema / rejectJsonObject make it refuse that response_format with the 400 a server without structured
// output sends; such a refusal is answered before the reply queue is touched.

import { json, startFakeServer, streamPieces, type FakeReply, type FakeServer, type Protocol, type RecordedRequest, type WireResponse } from './fake-server.js';

export interface FakeOpenAIOptions {
  rejectJsonSchema?: boolean;
  rejectJsonObject?: boolean;
}

export function startFakeOpenAI(opts: FakeOpenAIOptions = {}): Promise<FakeServer> {
  return startFakeServer(openaiProtocol(opts));
}

const CREATED = 1_750_000_000;

function openaiProtocol(opts: FakeOpenAIOptions): Protocol {
  return {
    basePath: '/v1',

    answerDirectly(req) {
      const route = `${req.method} ${req.path}`;
      if (!String(req.headers['authorization'] ?? '').startsWith('Bearer ')) {
        return errorBody(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", null);
      }
      if (route === 'GET /v1/models') {
        return json(200, { object: 'list', data: ['gpt-4o-mini', 'deepseek-chat'].map((id) => ({ id, object: 'model', created: CREATED, owned_by: 'system' })) });
      }
      if (route !== 'POST /v1/chat/completions') return errorBody(404, `Invalid URL (${route})`, null);
      if (req.body === undefined) {
        return errorBody(400, 'We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly.)', null);
      }
      const format = req.body.response_format?.type;
      if ((format === 'json_schema' && opts.rejectJsonSchema) || (format === 'json_object' && opts.rejectJsonObject)) {
        return errorBody(400, `Invalid parameter: 'response_format' of type '${format}' is not supported with this model.`, null, 'response_format');
      }
      return undefined;
    },

    answer(text, req) {
      const model = String(req.body?.model ?? '');
      const id = `chatcmpl-fake${req.raw.length}`;
      if (req.body?.stream !== true) {
        return json(200, {
          id,
          object: 'chat.completion',
          created: CREATED,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
          usage: usage(text),
        });
      }
      const chunk = (choices: unknown[], extra: object = {}) => ({ id, object: 'chat.completion.chunk', created: CREATED, model, system_fingerprint: 'fp_fake', choices, ...extra });
      const events = [
        chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]),
        ...streamPieces(text).map((piece) => chunk([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }])),
        chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]),
      ];
      if (req.body?.stream_options?.include_usage) events.push(chunk([], { usage: usage(text) }));
      const chunks = events.map((event) => `data: ${JSON.stringify(event)}\n\n`);
      chunks.push('data: [DONE]\n\n');
      return { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8', 'x-request-id': 'req_fake' }, chunks };
    },

    error: (status: number, reply: FakeReply) =>
      errorBody(status, reply.errorMessage ?? defaultMessage(status), reply.errorCode ?? defaultCode(status)),

    contentType: (req: RecordedRequest) => (req.body?.stream === true ? 'text/event-stream; charset=utf-8' : 'application/json'),
  };
}

function errorBody(status: number, message: string, code: string | null, param: string | null = null): WireResponse {
  const type = status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return json(status, { error: { message, type, param, code } }, { 'x-request-id': 'req_fake' });
}

function defaultMessage(status: number): string {
  switch (status) {
    case 401:
      return 'Incorrect API key provided: sk-test. You can find your API key at https://platform.openai.com/account/api-keys.';
    case 404:
      return 'The model `gpt-fake` does not exist or you do not have access to it.';
    case 429:
      return 'Rate limit reached for requests. Please try again in 1s.';
    default:
      return status >= 500 ? 'The server had an error while processing your request. Sorry about that!' : 'Invalid request.';
  }
}

function defaultCode(status: number): string | null {
  return ({ 401: 'invalid_api_key', 404: 'model_not_found', 429: 'rate_limit_exceeded' } as Record<number, string>)[status] ?? null;
}

function usage(text: string) {
  const completion = Math.ceil(text.length / 4);
  return { prompt_tokens: 512, completion_tokens: completion, total_tokens: 512 + completion };
}
