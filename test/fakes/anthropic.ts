// A FAKE Anthropic Messages API: POST /v1/messages (SSE events message_start, content_block_start, ping,
// content_block_delta, content_block_stop, message_delta, message_stop; or one message object without
// "stream": true) and GET /v1/models. Errors are { type: "error", error: { type, message }, request_id }.
//
// When the request forces a tool (tool_choice { type: "tool", name }), the model text is that tool's input, streamed
// as input_json_delta pieces — so `text` replies land where a real model's malformed tool input would. Like the API
// version the SDK sends (2026-10-21), it refuses sampling parameters (temperature, top_p, top_k) with a 400.

import { json, startFakeServer, streamPieces, type FakeReply, type FakeServer, type Protocol, type RecordedRequest, type WireResponse } from './fake-server.js';

export function startFakeAnthropic(): Promise<FakeServer> {
  return startFakeServer(anthropicProtocol());
}

const NO_SAMPLING_FROM = '2026-10-21';

function anthropicProtocol(): Protocol {
  return {
    // The SDK's baseURL is the origin; it appends /v1/messages itself.
    basePath: '',

    answerDirectly(req) {
      const route = `${req.method} ${req.path}`;
      if (!req.headers['x-api-key'] && !String(req.headers['authorization'] ?? '').startsWith('Bearer ')) {
        return errorBody(401, 'authentication_error', 'x-api-key header is required');
      }
      if (route === 'GET /v1/models') {
        return json(200, { data: [{ type: 'model', id: 'claude-sonnet-4-6', display_name: 'Claude Sonnet 4.6', created_at: '2026-02-17T00:00:00Z' }], has_more: false, first_id: 'claude-sonnet-4-6', last_id: 'claude-sonnet-4-6' });
      }
      if (route !== 'POST /v1/messages') return errorBody(404, 'not_found_error', 'Not found');
      const version = String(req.headers['anthropic-version'] ?? '');
      if (!version) return errorBody(400, 'invalid_request_error', 'anthropic-version: header is required');
      if (req.body === undefined) return errorBody(400, 'invalid_request_error', 'There was an issue with your request body: it is not valid JSON');
      if (typeof req.body.max_tokens !== 'number') return errorBody(400, 'invalid_request_error', 'max_tokens: Field required');
      const sampling = ['temperature', 'top_p', 'top_k'].find((key) => key in req.body);
      if (sampling && version >= NO_SAMPLING_FROM) return errorBody(400, 'invalid_request_error', `${sampling}: Extra inputs are not permitted`);
      return undefined;
    },

    answer(text, req) {
      const model = String(req.body?.model ?? '');
      const tool = forcedTool(req);
      const id = `msg_fake${req.raw.length}`;
      const stopReason = tool ? 'tool_use' : 'end_turn';
      const outputTokens = Math.ceil(text.length / 4);
      if (req.body?.stream !== true) {
        const input = tool ? parseObject(text) : undefined;
        const content = tool && input ? [{ type: 'tool_use', id: 'toolu_fake', name: tool, input }] : [{ type: 'text', text }];
        return json(200, { id, type: 'message', role: 'assistant', model, content, stop_reason: input ? stopReason : 'end_turn', stop_sequence: null, usage: { input_tokens: 512, output_tokens: outputTokens } }, { 'request-id': 'req_fake' });
      }
      const block = tool ? { type: 'tool_use', id: 'toolu_fake', name: tool, input: {} } : { type: 'text', text: '' };
      const delta = (piece: string) => (tool ? { type: 'input_json_delta', partial_json: piece } : { type: 'text_delta', text: piece });
      const events: Array<[string, object]> = [
        ['message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 512, output_tokens: 1 } } }],
        ['content_block_start', { type: 'content_block_start', index: 0, content_block: block }],
        ['ping', { type: 'ping' }],
        ...streamPieces(text).map((piece): [string, object] => ['content_block_delta', { type: 'content_block_delta', index: 0, delta: delta(piece) }]),
        ['content_block_stop', { type: 'content_block_stop', index: 0 }],
        ['message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } }],
        ['message_stop', { type: 'message_stop' }],
      ];
      const chunks = events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      return { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8', 'request-id': 'req_fake' }, chunks };
    },

    error: (status: number, reply: FakeReply) => errorBody(status, reply.errorCode ?? defaultType(status), reply.errorMessage ?? defaultMessage(status)),

    contentType: (req: RecordedRequest) => (req.body?.stream === true ? 'text/event-stream; charset=utf-8' : 'application/json'),
  };
}

function forcedTool(req: RecordedRequest): string | undefined {
  const choice = req.body?.tool_choice;
  if (choice?.type === 'tool' && typeof choice.name === 'string') return choice.name;
  if (choice?.type === 'any' && Array.isArray(req.body?.tools)) return req.body.tools[0]?.name;
  return undefined;
}

function errorBody(status: number, type: string, message: string): WireResponse {
  return json(status, { type: 'error', error: { type, message }, request_id: 'req_fake' }, { 'request-id': 'req_fake' });
}

function defaultType(status: number): string {
  const types: Record<number, string> = {
    400: 'invalid_request_error',
    401: 'authentication_error',
    403: 'permission_error',
    404: 'not_found_error',
    413: 'request_too_large',
    429: 'rate_limit_error',
    529: 'overloaded_error',
  };
  return types[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

function defaultMessage(status: number): string {
  const messages: Record<number, string> = {
    401: 'invalid x-api-key',
    404: 'model: claude-fake',
    413: 'Request exceeds the maximum allowed number of bytes.',
    429: 'Number of request tokens has exceeded your per-minute rate limit',
    529: 'Overloaded',
  };
  return messages[status] ?? (status >= 500 ? 'Internal server error' : 'Invalid request');
}

function parseObject(text: string): object | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
