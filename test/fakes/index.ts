// FAKE model servers for tests and benchmarks. They speak the real wire protocols on 127.0.0.1 (ephemeral port) so
// the real `ollama`, `openai` and `@anthropic-ai/sdk` clients can be driven end to end; no model runs anywhere.
//
//   const fake = await startFakeOllama({ models: ['m'] });  // or startFakeOpenAI() / startFakeAnthropic()
//   fake.enqueue({ findings: [{ file: 'a.js', line: 3, severity: 'high', category: 'bug', title: 't', message: 'm' }] });
//   // ...point a client (or .codeairc `baseURL`) at fake.url, review...
//   fake.requests.at(-1)?.body.messages;               // what the client sent (also .url, .headers, .raw: every byte)
//   await fake.close();
//
// Replies. Each model call (Ollama POST /api/chat, OpenAI POST /v1/chat/completions, Anthropic POST /v1/messages)
// takes the next queued reply, or the default ({ findings: [] } until setDefault). A reply may be a function of the
// request. Other routes (model lists, version, auth and validation errors) are answered by the fake itself and do
// not consume the queue. A FakeReply is one of:
//   { findings }           the protocol's normal answer whose model text is {"findings":[...]}
//   { text }               that raw model text instead (prose, fenced JSON, truncated JSON, ...)
//   { status, errorMessage?, errorCode? }  an HTTP error with the protocol's real error body
//   { rawBody, status? }   these bytes verbatim, one chunk, with the protocol's success content type
//   { resetConnection }    a TCP reset instead of any answer (the client sees ECONNRESET)
// combined with timing: delayMs (before the first byte), chunkDelayMs (between wire chunks), cutAfterChunks
// (write N chunks, then destroy the socket), and headers (added to the response, e.g. { 'retry-after': '1' }).
//
// Wire chunks: one NDJSON line (Ollama) or one SSE event (OpenAI, Anthropic). The model text is streamed in pieces of
// at least 16 characters (about 32 pieces at most), framed by the protocol's opening and closing chunks:
//   Ollama:    pieces…, final {"done":true} line
//   OpenAI:    role chunk, pieces…, finish_reason chunk, [usage chunk], data: [DONE]
//   Anthropic: message_start, content_block_start, ping, pieces…, content_block_stop, message_delta, message_stop
// Requests without streaming get the protocol's single JSON object.
//
// URLs. `url` is what the client's base URL needs: http://127.0.0.1:PORT for Ollama and Anthropic (the SDK appends
// /v1/messages), http://127.0.0.1:PORT/v1 for OpenAI-style clients.
//
// Protocol details each fake enforces, as the real servers do:
//   Ollama:    a chat for a model not in `models` (default ['qwen2.5-coder:7b']) → 404 {"error":"model 'x' not found"}
//   OpenAI:    no "Authorization: Bearer" → 401; rejectJsonSchema / rejectJsonObject → 400 naming response_format
//   Anthropic: no x-api-key / Authorization → 401; no anthropic-version → 400; temperature/top_p/top_k with API
//              version 2026-10-21 → 400; a forced tool's input is the model text (input_json_delta pieces)
//
// closedLoopbackURL() gives a URL where nothing listens, for "connection refused" (avoid fixed ports such as 1 or 9:
// fetch refuses those outright as "bad port").
//
// From a shell: `npx tsx test/fakes/serve.ts ollama|openai|anthropic [--latency MS] [--findings-file F]`.

export { closedLoopbackURL, type FakeReply, type FakeServer, type RecordedRequest, type ReplySource } from './fake-server.js';
export { startFakeAnthropic } from './anthropic.js';
export { startFakeOllama, FAKE_OLLAMA_VERSION } from './ollama.js';
export { startFakeOpenAI, type FakeOpenAIOptions } from './openai.js';
