// The Anthropic provider through the real `@anthropic-ai/sdk` client against a fake Messages API streaming SSE on
// 127.0.0.1: the answer is the input of a forced report_findings tool call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINDINGS_TOOL, createAnthropicProvider } from '../../src/providers/anthropic.js';
import type { ProviderConfig } from '../../src/providers/config.js';
import { startFakeAnthropic, type FakeServer } from '../fakes/index.js';
import { FINDING, failure, live, reviewRequest, SCHEMA } from './support.js';

const REQUEST = reviewRequest(800);

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(() => fake.close());

function provider(overrides: Partial<ProviderConfig> = {}) {
  return createAnthropicProvider({
    name: 'anthropic',
    model: 'claude-sonnet-4-6',
    baseURL: fake.url,
    apiKey: 'sk-ant-test',
    requestTimeoutMs: 3000,
    maxDiffTokens: 12000,
    retry: { baseDelayMs: 1 },
    ...overrides,
  });
}

const sse = (events: Array<[string, object]>) => events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join('');
const MESSAGE_START: [string, object] = [
  'message_start',
  { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } },
];

describe('anthropic provider', () => {
  it('returns the forced tool call input; the request carries the key, version, tool, tool_choice, system and no sampling parameters', async () => {
    fake.enqueue({ findings: [FINDING] });
    const start = fake.requests.length;
    const text = await provider().review(REQUEST, live());
    expect(JSON.parse(text)).toEqual({ findings: [FINDING] });

    const call = fake.requests[start];
    expect(call?.path).toBe('/v1/messages');
    expect(call?.headers['authorization']).toBe('Bearer sk-ant-test');
    expect(call?.headers['anthropic-version']).toBeTruthy();
    expect(call?.body).toMatchObject({
      model: 'claude-sonnet-4-6',
      max_tokens: 800,
      stream: true,
      system: REQUEST.system,
      messages: REQUEST.messages,
      tools: [{ name: FINDINGS_TOOL, input_schema: SCHEMA }],
      tool_choice: { type: 'tool', name: FINDINGS_TOOL },
    });
    expect(call?.body).not.toHaveProperty('temperature');
  });

  it('returns the text when the model answered without the tool', async () => {
    fake.enqueue({
      rawBody: sse([
        MESSAGE_START,
        ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
        ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'I cannot review this.' } }],
        ['content_block_stop', { type: 'content_block_stop', index: 0 }],
        ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } }],
        ['message_stop', { type: 'message_stop' }],
      ]),
    });
    expect(await provider().review(REQUEST, live())).toBe('I cannot review this.');
  });

  it('retries 529 overloaded, then answers', async () => {
    fake.enqueue({ status: 529 }, { findings: [] });
    const start = fake.requests.length;
    expect(await provider().review(REQUEST, live())).toBe('{"findings":[]}');
    expect(fake.requests.length - start).toBe(2);
  });

  it('401 is an auth error naming ANTHROPIC_API_KEY', async () => {
    fake.enqueue({ status: 401 });
    const error = await failure(provider().review(REQUEST, live()));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/rejected the API key \(401: invalid x-api-key\): check ANTHROPIC_API_KEY$/);
  });

  it('"prompt is too long" and 413 are context-length', async () => {
    fake.enqueue({ status: 400, errorMessage: 'prompt is too long: 215000 tokens > 200000 maximum' }, { status: 413 });
    for (let i = 0; i < 2; i++) {
      const error = await failure(provider().review(REQUEST, live()));
      expect(error.kind).toBe('context-length');
      expect(error.message).toContain('lower maxDiffTokens in .codeairc (now 12000)');
    }
  });

  it('an error event inside the 200 stream is a server error', async () => {
    fake.enqueue({ rawBody: sse([MESSAGE_START, ['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }]]) });
    const error = await failure(provider().review(REQUEST, live()));
    expect(error.kind).toBe('server');
    expect(error.message).toContain('overloaded_error: Overloaded');
  });

  it('a cut mid-stream is a server error; a stream without message_stop too', async () => {
    fake.enqueue({ findings: [FINDING], cutAfterChunks: 4 });
    expect((await failure(provider().review(REQUEST, live()))).kind).toBe('server');
    fake.enqueue({ rawBody: sse([MESSAGE_START]) });
    expect((await failure(provider().review(REQUEST, live()))).kind).toBe('server');
  });

  it('a slow body is a timeout; the caller aborting mid-stream is aborted within 500 ms', async () => {
    fake.enqueue({ findings: [FINDING], chunkDelayMs: 100 });
    expect((await failure(provider({ requestTimeoutMs: 250 }).review(REQUEST, live()))).kind).toBe('timeout');

    fake.enqueue({ findings: [FINDING], chunkDelayMs: 150 });
    const controller = new AbortController();
    const review = provider().review(REQUEST, controller.signal);
    await new Promise((r) => setTimeout(r, 250));
    const aborted = Date.now();
    controller.abort();
    expect((await failure(review)).kind).toBe('aborted');
    expect(Date.now() - aborted).toBeLessThan(500);
  });

  it('a 10 MB tool input is cut at the cap as bad-response', async () => {
    fake.enqueue({ text: 'z'.repeat(10 * 1024 * 1024) });
    expect((await failure(provider().review(REQUEST, live()))).kind).toBe('bad-response');
  });

  it('probe sends one non-streamed request for one token', async () => {
    const start = fake.requests.length;
    expect((await provider().probe(live())).latencyMs).toBeGreaterThanOrEqual(0);
    expect(fake.requests[start]?.body).toMatchObject({ model: 'claude-sonnet-4-6', max_tokens: 1 });
    expect(fake.requests[start]?.body.stream).toBeUndefined();
  });
});
