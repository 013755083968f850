// A FAKE Ollama server speaking its native API: /api/chat (NDJSON stream by default, one JSON object with
// "stream": false), /api/tags, /api/version, and "Ollama is running" at /. Errors are { "error": "..." } as Ollama
// sends them; a chat for a model that is not in `models` gets Ollama's 404.

import { createHash } from 'node:crypto';
import { json, startFakeServer, streamPieces, type FakeReply, type FakeServer, type Protocol, type RecordedRequest, type WireResponse } from './fake-server.js';

export const FAKE_OLLAMA_VERSION = '0.12.6';

export function startFakeOllama(opts: { models?: string[] } = {}): Promise<FakeServer> {
  return startFakeServer(ollamaProtocol(opts.models ?? ['qwen2.5-coder:7b']));
}

function ollamaProtocol(models: string[]): Protocol {
  return {
    basePath: '',

    answerDirectly(req) {
      const route = `${req.method} ${req.path}`;
      if (route === 'GET /' || route === 'HEAD /') {
        return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, chunks: ['Ollama is running'] };
      }
      if (route === 'GET /api/tags') return json(200, { models: models.map(modelEntry) });
      if (route === 'GET /api/version') return json(200, { version: FAKE_OLLAMA_VERSION });
      if (route !== 'POST /api/chat') {
        return { status: 404, headers: { 'content-type': 'text/plain' }, chunks: ['404 page not found'] };
      }
      if (req.body === undefined) return errorBody(400, req.raw ? 'invalid character looking for beginning of value' : 'missing request body');
      const model = String(req.body.model ?? '');
      if (!models.some((name) => sameModel(name, model))) return errorBody(404, `model '${model}' not found`);
      return undefined;
    },

    answer(text, req) {
      const model = String(req.body?.model ?? '');
      if (!streams(req)) {
        return json(200, { ...chatPart(model, text, true), ...doneStats(text) });
      }
      const lines = streamPieces(text).map((piece) => JSON.stringify(chatPart(model, piece, false)) + '\n');
      lines.push(JSON.stringify({ ...chatPart(model, '', true), ...doneStats(text) }) + '\n');
      return { status: 200, headers: { 'content-type': 'application/x-ndjson' }, chunks: lines };
    },

    error: (status: number, reply: FakeReply) => errorBody(status, reply.errorMessage ?? defaultMessage(status)),

    contentType: (req: RecordedRequest) => (streams(req) ? 'application/x-ndjson' : 'application/json; charset=utf-8'),
  };
}

/** Ollama streams unless the request says "stream": false. */
function streams(req: RecordedRequest): boolean {
  return req.body?.stream !== false;
}

function chatPart(model: string, content: string, done: boolean) {
  return { model, created_at: new Date().toISOString(), message: { role: 'assistant', content }, done };
}

function doneStats(text: string) {
  return {
    done_reason: 'stop',
    total_duration: 1_200_000_000,
    load_duration: 20_000_000,
    prompt_eval_count: 512,
    prompt_eval_duration: 300_000_000,
    eval_count: Math.ceil(text.length / 4),
    eval_duration: 880_000_000,
  };
}

function errorBody(status: number, message: string): WireResponse {
  return { ...json(status, { error: message }), headers: { 'content-type': 'application/json; charset=utf-8' } };
}

function defaultMessage(status: number): string {
  if (status === 404) return 'model not found';
  if (status === 400) return 'invalid request';
  return status >= 500 ? 'llama runner process has terminated: exit status 2' : `error ${status}`;
}

/** Ollama treats "llama3" and "llama3:latest" as one model. */
function sameModel(installed: string, requested: string): boolean {
  return installed === requested || installed === `${requested}:latest` || `${installed}:latest` === requested;
}

function modelEntry(name: string) {
  return {
    name,
    model: name,
    modified_at: '2025-06-01T12:00:00.000000000Z',
    size: 4_683_087_332,
    digest: createHash('sha256').update(name).digest('hex'),
    details: { parent_model: '', format: 'gguf', family: 'qwen2', families: ['qwen2'], parameter_size: '7.6B', quantization_level: 'Q4_K_M' },
  };
}
