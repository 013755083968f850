// Redirects through the real clients: one to another origin is never followed (neither the key nor the diff goes
// there, and the error says so); one within the same origin is followed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../src/providers/anthropic.js';
import type { ProviderConfig } from '../../src/providers/config.js';
import { createOllamaProvider } from '../../src/providers/ollama.js';
import { createOpenAIProvider } from '../../src/providers/openai.js';
import { sameOriginRedirects } from '../../src/providers/redirects.js';
import type { ModelProvider } from '../../src/types.js';
import { startFakeAnthropic, startFakeOllama, startFakeOpenAI, type FakeServer } from '../fakes/index.js';
import { FINDING, failure, live, reviewRequest } from './support.js';

const KEY = 'sk-redirect-' + 'q'.repeat(32);
const REQUEST = reviewRequest(650);

type Kind = 'ollama' | 'openai' | 'anthropic';
const start: Record<Kind, () => Promise<FakeServer>> = {
  ollama: () => startFakeOllama({ models: ['m'] }),
  openai: () => startFakeOpenAI(),
  anthropic: () => startFakeAnthropic(),
};
function make(kind: Kind, baseURL: string): ModelProvider {
  const cfg: ProviderConfig = { name: kind, model: 'm', baseURL, apiKey: kind === 'ollama' ? undefined : KEY, requestTimeoutMs: 3000, retry: { baseDelayMs: 1 } };
  if (kind === 'ollama') return createOllamaProvider(cfg);
  return kind === 'openai' ? createOpenAIProvider(cfg) : createAnthropicProvider(cfg);
}

describe.each(['ollama', 'openai', 'anthropic'] as const)('%s', (kind) => {
  let near: FakeServer;
  let elsewhere: FakeServer;
  beforeAll(async () => {
    near = await start[kind]();
    elsewhere = await start[kind]();
  });
  afterAll(async () => {
    await near.close();
    await elsewhere.close();
  });

  it('a 307 to another origin is not followed: the other server receives nothing, the error says so', async () => {
    const other = new URL(elsewhere.url).origin;
    near.enqueue((req) => ({ status: 307, rawBody: '', headers: { location: `${other}${req.path}?token=${KEY}` } }));
    const error = await failure(make(kind, near.url).review(REQUEST, live()));
    expect(error.message).toContain(`redirected the request (307) to ${other}, another host: not followed, so neither the key nor the diff went there`);
    expect(error.message).not.toContain('token=');
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('a 308 within the same origin is followed', async () => {
    near.enqueue((req) => ({ status: 308, rawBody: '', headers: { location: req.path } }), { findings: [FINDING] });
    const before = near.requests.length;
    expect(JSON.parse(await make(kind, near.url).review(REQUEST, live()))).toEqual({ findings: [FINDING] });
    const calls = near.requests.slice(before);
    expect(calls).toHaveLength(2);
    // The followed request is the same request: same body, same key.
    expect(calls[1]?.raw).toBe(calls[0]?.raw);
  });
});

describe('sameOriginRedirects', () => {
  const answer = (status: number, location?: string) => new Response(null, { status, headers: location ? { location } : {} });

  it('follows relative and absolute same-origin Locations, and stops a loop', async () => {
    const seen: string[] = [];
    const fetch = sameOriginRedirects(async (input) => {
      const url = String(input);
      seen.push(url);
      if (url.endsWith('/a')) return answer(302, '/b');
      if (url.endsWith('/b')) return answer(301, 'http://h.example:8080/c');
      return answer(200);
    });
    expect((await fetch('http://h.example:8080/a', { method: 'POST', body: 'x' })).status).toBe(200);
    expect(seen).toEqual(['http://h.example:8080/a', 'http://h.example:8080/b', 'http://h.example:8080/c']);

    const loop = sameOriginRedirects(async () => answer(307, '/again'));
    await expect(loop('http://h.example/x')).rejects.toThrow(/redirected more than 5 times/);
  });

  it('refuses another scheme, host or port, and sends every attempt with redirect: manual', async () => {
    const modes: Array<RequestInit['redirect']> = [];
    for (const location of ['https://h.example/x', 'http://other.example/x', 'http://h.example:81/x', '//evil.example/x']) {
      const fetch = sameOriginRedirects(async (_input, init) => {
        modes.push(init?.redirect);
        return answer(307, location);
      });
      await expect(fetch('http://h.example/x')).rejects.toThrow(/another host: not followed/);
    }
    expect(new Set(modes)).toEqual(new Set(['manual']));
  });
});
