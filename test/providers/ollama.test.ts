// The Ollama provider through the real `ollama` client against a fake Ollama speaking NDJSON on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_ANSWER_CHARS } from '../../src/providers/answer-buffer.js';
import type { ProviderConfig } from '../../src/providers/config.js';
import { contextWindowOption, createOllamaProvider } from '../../src/providers/ollama.js';
import { closedLoopbackURL, startFakeOllama, type FakeServer } from '../fakes/index.js';
import type { ModelRequest } from '../../src/types.js';
import { FINDING, failure, live, reviewRequest, SCHEMA } from './support.js';

const REQUEST = reviewRequest(900);

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeOllama({ models: ['m', 'codellama:7b'] });
});
afterAll(() => fake.close());

function provider(overrides: Partial<ProviderConfig> = {}) {
  return createOllamaProvider({ name: 'ollama', model: 'm', baseURL: fake.url, requestTimeoutMs: 3000, retry: { baseDelayMs: 1 }, ...overrides });
}

describe('ollama provider', () => {
  it('streams the answer and asks for it with the schema as format, temperature 0 and the system prompt first', async () => {
    fake.enqueue({ findings: [FINDING] });
    const start = fake.requests.length;
    const text = await provider().review(REQUEST, live());
    expect(JSON.parse(text)).toEqual({ findings: [FINDING] });

    const [chat] = fake.requests.slice(start);
    expect(chat?.path).toBe('/api/chat');
    expect(chat?.body).toMatchObject({ model: 'm', stream: true, format: SCHEMA, options: { temperature: 0, num_predict: 900 } });
    expect(chat?.body.messages).toEqual([{ role: 'system', content: REQUEST.system }, ...REQUEST.messages]);
    expect(chat?.body.options.num_ctx).toBeUndefined();
  });

  it('asks for a larger context window when the prompt would not fit the default one', async () => {
    const big: ModelRequest = { ...REQUEST, messages: [{ role: 'user', content: 'x'.repeat(30_000) }] };
    expect(contextWindowOption(big)).toEqual({ num_ctx: 16384 });
    const start = fake.requests.length;
    await provider().review(big, live());
    expect(fake.requests[start]?.body.options.num_ctx).toBe(16384);
  });

  it('a missing model says how to pull it and lists what is installed', async () => {
    const error = await failure(provider({ model: 'qwen2.5-coder:7b' }).review(REQUEST, live()));
    expect(error.kind).toBe('model-not-found');
    expect(error.message).toBe(
      `model 'qwen2.5-coder:7b' not found on ollama at ${fake.url}: run 'ollama pull qwen2.5-coder:7b' (installed: m, codellama:7b)`,
    );
  });

  it('probe lists the models, makes the model answer one token, and fails with model-not-found when it is absent', async () => {
    const start = fake.requests.length;
    const ok = await provider().probe(live());
    expect(ok.models).toEqual(['m', 'codellama:7b']);
    expect(ok.latencyMs).toBeGreaterThanOrEqual(0);
    const chat = fake.requests.slice(start).find((r) => r.path === '/api/chat');
    expect(chat?.body).toMatchObject({ model: 'm', options: { num_predict: 1 } });
    expect((await failure(provider({ model: 'llama3' }).probe(live()))).kind).toBe('model-not-found');
  });

  it('probe fails when a listed model cannot answer', async () => {
    const oom = { status: 500, errorMessage: 'model requires more system memory (9.1 GiB) than is available (4.0 GiB)' };
    fake.enqueue(oom, oom, oom, oom);
    const error = await failure(provider().probe(live()));
    expect(error.kind).toBe('server');
    expect(error.message).toContain('memory');
  });

  it('retries a 500 and a connection reset, then answers', async () => {
    fake.enqueue({ status: 500 }, { resetConnection: true }, { findings: [] });
    const start = fake.requests.length;
    expect(await provider().review(REQUEST, live())).toBe('{"findings":[]}');
    expect(fake.requests.length - start).toBe(3);
  });

  it('a server failing for good is a server error after the retries', async () => {
    fake.enqueue({ status: 503 }, { status: 503 }, { status: 503 });
    const start = fake.requests.length;
    const error = await failure(provider({ maxRetries: 2 }).review(REQUEST, live()));
    expect(error).toMatchObject({ kind: 'server', status: 503, provider: 'ollama', model: 'm', endpoint: fake.url });
    expect(fake.requests.length - start).toBe(3);
  });

  it('a connection refused is unreachable, with the URL and how to start ollama', async () => {
    const url = await closedLoopbackURL();
    const error = await failure(provider({ baseURL: url }).review(REQUEST, live()));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe(`ollama (m) at ${url} is not reachable (connection refused): start it with 'ollama serve', or set provider/baseURL in .codeairc`);
  });

  it('a body slower than requestTimeoutMs is a timeout', async () => {
    fake.enqueue({ findings: [FINDING], chunkDelayMs: 100 });
    const started = Date.now();
    const error = await failure(provider({ requestTimeoutMs: 250 }).review(REQUEST, live()));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('did not answer within 250 ms: raise timeoutMs');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a connection cut mid-answer is a server error, not a raw error', async () => {
    fake.enqueue({ findings: [FINDING], cutAfterChunks: 2 });
    const error = await failure(provider().review(REQUEST, live()));
    expect(error.kind).toBe('server');
    expect(error.message).toContain('mid-answer');
  });

  it('an answer that ends without its final line is a bad response', async () => {
    fake.enqueue({ rawBody: '{"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"{}"},"done":false}\n' });
    expect((await failure(provider().review(REQUEST, live()))).kind).toBe('bad-response');
  });

  it('an error line after the 200 (a crashed model runner) is a server error with the server\'s words', async () => {
    fake.enqueue({
      rawBody:
        '{"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"{\\"fin"},"done":false}\n' +
        '{"error":"llama runner process has terminated: signal: killed"}\n',
    });
    const error = await failure(provider().review(REQUEST, live()));
    expect(error.kind).toBe('server');
    expect(error.message).toContain('failed mid-answer (llama runner process has terminated: signal: killed)');
  });

  it('a plain-text 502 from a proxy is a server error, and nothing is printed on stdout', async () => {
    const log = vi.spyOn(console, 'log');
    try {
      fake.enqueue({ status: 502, rawBody: 'Bad Gateway', headers: { 'content-type': 'text/plain' } });
      const error = await failure(provider({ maxRetries: 0 }).review(REQUEST, live()));
      expect(error).toMatchObject({ kind: 'server', status: 502 });
      expect(error.message).toContain('failed with HTTP 502 (Bad Gateway)');
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });

  it('a web page where the API should be is a bad response, not a page of warnings', async () => {
    fake.enqueue({ rawBody: '<!doctype html>\n<html><body>Sign in</body></html>\n', headers: { 'content-type': 'text/html; charset=utf-8' } });
    const error = await failure(provider().review(REQUEST, live()));
    expect(error.kind).toBe('bad-response');
    expect(error.message).toContain('answered with a text/html page, not the ollama API: check baseURL');
  });

  it.each([
    ['mid-stream', { chunkDelayMs: 150 }],
    ['before the first byte', { delayMs: 5000 }],
  ])('the caller aborting %s ends the review as aborted within 500 ms', async (_when, timing) => {
    fake.enqueue({ findings: [FINDING], ...timing });
    const controller = new AbortController();
    const review = provider().review(REQUEST, controller.signal);
    await new Promise((r) => setTimeout(r, 250));
    const aborted = Date.now();
    controller.abort();
    expect((await failure(review)).kind).toBe('aborted');
    expect(Date.now() - aborted).toBeLessThan(500);
  });

  it(`stops reading an answer past ${MAX_ANSWER_CHARS} characters (a 10 MB answer) with bad-response`, async () => {
    fake.enqueue({ text: 'x'.repeat(10 * 1024 * 1024) });
    const error = await failure(provider().review(REQUEST, live()));
    expect(error.kind).toBe('bad-response');
    expect(error.message).toContain(String(MAX_ANSWER_CHARS));
  });

  it('invalid UTF-8 in the answer becomes replacement characters', async () => {
    const line = (content: Buffer, done: boolean) =>
      Buffer.concat([
        Buffer.from('{"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"'),
        content,
        Buffer.from(`"},"done":${done}${done ? ',"done_reason":"stop"' : ''}}\n`),
      ]);
    fake.enqueue({ rawBody: Buffer.concat([line(Buffer.from([0x61, 0xff, 0xfe, 0x62]), false), line(Buffer.alloc(0), true)]) });
    expect(await provider().review(REQUEST, live())).toBe('a\uFFFD\uFFFDb');
  });
});
