// The OpenAI-style provider (OpenAI, DeepSeek, compatible servers) through the real `openai` client against a fake
// server speaking chat completions over SSE on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../src/providers/config.js';
import { createOpenAIProvider } from '../../src/providers/openai.js';
import { closedLoopbackURL, startFakeOpenAI, type FakeServer } from '../fakes/index.js';
import { FINDING, failure, live, reviewRequest, SCHEMA } from './support.js';

const REQUEST = reviewRequest(700);

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());

function provider(overrides: Partial<ProviderConfig> = {}) {
  return createOpenAIProvider({
    name: 'openai',
    model: 'gpt-4o-mini',
    baseURL: fake.url,
    apiKey: 'sk-test',
    requestTimeoutMs: 3000,
    maxDiffTokens: 24000,
    retry: { baseDelayMs: 1 },
    ...overrides,
  });
}

/** Requests the fake received from `start` on. */
const since = (start: number) => fake.requests.slice(start);

describe('openai provider', () => {
  it('streams the answer; the request carries the key, temperature 0, the JSON schema and the system prompt', async () => {
    fake.enqueue({ findings: [FINDING] });
    const start = fake.requests.length;
    const text = await provider().review(REQUEST, live());
    expect(JSON.parse(text)).toEqual({ findings: [FINDING] });

    const [call] = since(start);
    expect(call?.path).toBe('/v1/chat/completions');
    expect(call?.headers['authorization']).toBe('Bearer sk-test');
    expect(call?.body).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      temperature: 0,
      max_tokens: 700,
      response_format: { type: 'json_schema', json_schema: { name: 'findings', schema: SCHEMA, strict: false } },
    });
    expect(call?.body.messages).toEqual([{ role: 'system', content: REQUEST.system }, ...REQUEST.messages]);
  });

  it('falls back from json_schema to json_object to plain text, and keeps the fallback for the next review', async () => {
    const strict = await startFakeOpenAI({ rejectJsonSchema: true, rejectJsonObject: true });
    try {
      const p = provider({ baseURL: strict.url });
      expect(await p.review(REQUEST, live())).toBe('{"findings":[]}');
      expect(strict.requests.map((r) => r.body.response_format?.type ?? 'none')).toEqual(['json_schema', 'json_object', 'none']);
      expect(p.responseFormat).toBe('text');

      await p.review(REQUEST, live());
      expect(strict.requests.length).toBe(4);
      expect(strict.requests[3]?.body.response_format).toBeUndefined();
    } finally {
      await strict.close();
    }
  });

  it('stops at json_object when the server supports it', async () => {
    const noSchema = await startFakeOpenAI({ rejectJsonSchema: true });
    try {
      const p = provider({ baseURL: noSchema.url });
      await p.review(REQUEST, live());
      await p.review(REQUEST, live());
      expect(noSchema.requests.map((r) => r.body.response_format?.type)).toEqual(['json_schema', 'json_object', 'json_object']);
    } finally {
      await noSchema.close();
    }
  });

  it('waits as long as Retry-After asks (seconds) before retrying a 429', async () => {
    fake.enqueue({ status: 429, headers: { 'retry-after': '1' } }, { findings: [] });
    const started = Date.now();
    expect(await provider().review(REQUEST, live())).toBe('{"findings":[]}');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('honours retry-after-ms, and retries a 500 with backoff', async () => {
    fake.enqueue({ status: 429, headers: { 'retry-after-ms': '200' } }, { status: 500 }, { findings: [FINDING] });
    const start = fake.requests.length;
    const started = Date.now();
    expect(JSON.parse(await provider().review(REQUEST, live()))).toEqual({ findings: [FINDING] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(since(start).length).toBe(3);
  });

  it('a 500 that never ends is a server error after maxRetries retries', async () => {
    fake.setDefault({ status: 500 });
    try {
      const start = fake.requests.length;
      const error = await failure(provider().review(REQUEST, live()));
      expect(error).toMatchObject({ kind: 'server', status: 500, provider: 'openai', model: 'gpt-4o-mini', endpoint: fake.url });
      expect(error.message).toContain('after 3 retries');
      expect(since(start).length).toBe(4);
    } finally {
      fake.setDefault({ findings: [] });
    }
  });

  it('a wait longer than the cap is not slept: the 429 is reported at once', async () => {
    fake.enqueue({ status: 429, headers: { 'retry-after': '60' } });
    const start = fake.requests.length;
    const error = await failure(provider().review(REQUEST, live()));
    expect(error.kind).toBe('rate-limited');
    expect(error.message).toContain('asked to wait 60 s');
    expect(since(start).length).toBe(1);
  });

  it('an empty quota (429 insufficient_quota) is not retried', async () => {
    fake.enqueue({ status: 429, errorCode: 'insufficient_quota', errorMessage: 'You exceeded your current quota, please check your plan and billing details.' });
    const start = fake.requests.length;
    const error = await failure(provider().review(REQUEST, live()));
    expect(error.kind).toBe('rate-limited');
    expect(error.message).toContain('check the billing of the account behind OPENAI_API_KEY');
    expect(since(start).length).toBe(1);
  });

  it('never sleeps past the caller aborting', async () => {
    fake.enqueue({ status: 503, headers: { 'retry-after': '5' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    expect((await failure(provider().review(REQUEST, controller.signal))).kind).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(650);
  });

  it('401 is an auth error naming the variable the key comes from', async () => {
    fake.enqueue({ status: 401 });
    const error = await failure(provider().review(REQUEST, live()));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/^openai \(gpt-4o-mini\) at http:\/\/127\.0\.0\.1:\d+\/v1 rejected the API key \(401: Incorrect API key provided.*\): check OPENAI_API_KEY$/);

    fake.enqueue({ status: 403, errorMessage: 'Project does not have access' });
    const deepseek = await failure(provider({ name: 'deepseek', model: 'deepseek-chat' }).review(REQUEST, live()));
    expect(deepseek).toMatchObject({ kind: 'auth', provider: 'deepseek' });
    expect(deepseek.message).toContain('check DEEPSEEK_API_KEY');
  });

  it('a context-length 400 says to lower maxDiffTokens, with its current value', async () => {
    fake.enqueue({
      status: 400,
      errorCode: 'context_length_exceeded',
      errorMessage: "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
    });
    const error = await failure(provider().review(REQUEST, live()));
    expect(error.kind).toBe('context-length');
    expect(error.message).toContain("the diff is larger than the model's context: lower maxDiffTokens in .codeairc (now 24000)");
  });

  it('an unknown model is model-not-found; another 400 is bad-request', async () => {
    fake.enqueue({ status: 404 });
    const missing = await failure(provider({ model: 'gpt-fake' }).review(REQUEST, live()));
    expect(missing.kind).toBe('model-not-found');
    expect(missing.message).toContain("model 'gpt-fake' not found on openai at");

    fake.enqueue({ status: 400, errorMessage: "Invalid value for 'max_tokens'" });
    expect((await failure(provider().review(REQUEST, live()))).kind).toBe('bad-request');
  });

  it('a wrong path (no /v1) is a bad request that points at baseURL', async () => {
    const error = await failure(provider({ baseURL: fake.url.replace(/\/v1$/, '') }).review(REQUEST, live()));
    expect(error.kind).toBe('bad-request');
    expect(error.message).toContain('check baseURL in .codeairc (OpenAI-style servers usually end in /v1)');
  });

  it('connection refused is unreachable', async () => {
    const url = await closedLoopbackURL('/v1');
    const error = await failure(provider({ baseURL: url }).review(REQUEST, live()));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toContain(`at ${url} is not reachable (connection refused)`);
  });

  it('a body slower than requestTimeoutMs is a timeout', async () => {
    fake.enqueue({ findings: [FINDING], chunkDelayMs: 100 });
    const started = Date.now();
    const error = await failure(provider({ requestTimeoutMs: 250 }).review(REQUEST, live()));
    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('headers slower than requestTimeoutMs are a timeout too', async () => {
    fake.enqueue({ findings: [], delayMs: 2000 });
    expect((await failure(provider({ requestTimeoutMs: 200, maxRetries: 0 }).review(REQUEST, live()))).kind).toBe('timeout');
  });

  it('a cut mid-stream, or a stream that ends without finish_reason, is a server error', async () => {
    fake.enqueue({ findings: [FINDING], cutAfterChunks: 3 });
    expect((await failure(provider().review(REQUEST, live()))).kind).toBe('server');

    const chunk = (delta: object) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
    fake.enqueue({ rawBody: chunk({ role: 'assistant', content: '' }) + chunk({ content: '{"findings":' }) + 'data: [DONE]\n\n' });
    const early = await failure(provider().review(REQUEST, live()));
    expect(early.kind).toBe('server');
    expect(early.message).toContain('ended the answer before the model finished');
  });

  it('a stream whose events are not JSON is a bad response', async () => {
    fake.enqueue({ rawBody: 'data: {"id":"c","choices":[{"index":0,"delta":{"content":"{"}\n\n' });
    expect((await failure(provider().review(REQUEST, live()))).kind).toBe('bad-response');
  });

  it('the caller aborting mid-stream is aborted within 500 ms, never a short answer', async () => {
    fake.enqueue({ findings: [FINDING], chunkDelayMs: 150 });
    const controller = new AbortController();
    const review = provider().review(REQUEST, controller.signal);
    await new Promise((r) => setTimeout(r, 250));
    const aborted = Date.now();
    controller.abort();
    expect((await failure(review)).kind).toBe('aborted');
    expect(Date.now() - aborted).toBeLessThan(500);
  });

  it('a 10 MB answer is cut at the cap as bad-response; invalid UTF-8 does not break the answer', async () => {
    fake.enqueue({ text: 'y'.repeat(10 * 1024 * 1024) });
    expect((await failure(provider().review(REQUEST, live()))).kind).toBe('bad-response');

    const event = (content: Buffer, finish: string | null) =>
      Buffer.concat([
        Buffer.from('data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"'),
        content,
        Buffer.from(`"},"finish_reason":${JSON.stringify(finish)}}]}\n\n`),
      ]);
    fake.enqueue({ rawBody: Buffer.concat([event(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), null), event(Buffer.alloc(0), 'stop'), Buffer.from('data: [DONE]\n\n')]) });
    expect(await provider().review(REQUEST, live())).toBe('{\uFFFD(}');
  });

  it('probe sends one non-streamed, one-token completion', async () => {
    const start = fake.requests.length;
    const result = await provider().probe(live());
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(since(start)[0]?.body).toMatchObject({ model: 'gpt-4o-mini', max_tokens: 1 });
    expect(since(start)[0]?.body.stream).toBeUndefined();
  });

  it('an openai-compatible server without a key gets the placeholder key, never the OpenAI organisation', async () => {
    const start = fake.requests.length;
    await provider({ name: 'openai-compatible', model: 'local-model', apiKey: undefined }).review(REQUEST, live());
    const [call] = since(start);
    expect(call?.headers['authorization']).toBe('Bearer codeai-no-key');
    expect(call?.headers['openai-organization']).toBeUndefined();
  });
});
