// The shared retry/timeout policy on its own: backoff arithmetic, Retry-After parsing, and the policy applied to real
// HTTP against a fake server (the waits recorded through an injected sleep, so nothing here sleeps for real).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  abortableSleep,
  backoffMs,
  createRetryingFetch,
  RequestTimeoutError,
  retryAfterMs,
  type Fetch,
  type Sleep,
} from '../../src/providers/retrying-fetch.js';
import { startFakeOllama, type FakeServer } from '../fakes/index.js';

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeOllama({ models: ['m'] });
});
afterAll(() => fake.close());

const chat = (fetch: Fetch, init: RequestInit = {}) =>
  fetch(`${fake.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [], stream: false }), ...init });

function recordingSleep(): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

describe('backoff and Retry-After', () => {
  it('doubles from the base with half of each wait random, capped', () => {
    const policy = { baseDelayMs: 250, maxDelayMs: 10_000 };
    expect([0, 1, 2].map((retry) => backoffMs(retry, { ...policy, random: () => 0 }))).toEqual([125, 250, 500]);
    expect([0, 1, 2].map((retry) => backoffMs(retry, { ...policy, random: () => 0.999999 }))).toEqual([250, 500, 1000]);
    expect(backoffMs(10, { ...policy, random: () => 0.999999 })).toBe(10_000);
  });

  it('reads retry-after-ms first, then Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-06-01T12:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '120', 'retry-after': '9' }), now)).toBe(120);
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Sun, 01 Jun 2025 12:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Sun, 01 Jun 2025 11:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });

  it('an aborted sleep rejects at once with the signal reason', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = abortableSleep(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(100);
  });
});

describe('createRetryingFetch', () => {
  it('retries 429/5xx with growing waits and hands back the first good response', async () => {
    const { sleep, waits } = recordingSleep();
    fake.enqueue({ status: 503 }, { status: 429 }, { status: 502 }, { findings: [] });
    const response = await chat(createRetryingFetch({ requestTimeoutMs: 2000, baseDelayMs: 100, random: () => 0, sleep }));
    expect(response.status).toBe(200);
    expect(waits).toEqual([50, 100, 200]);
  });

  it('hands back the last error response once the retries are spent, and does not retry a 400', async () => {
    const { sleep, waits } = recordingSleep();
    fake.enqueue({ status: 500 }, { status: 500 }, { status: 500 });
    expect((await chat(createRetryingFetch({ requestTimeoutMs: 2000, maxRetries: 2, sleep }))).status).toBe(500);
    expect(waits.length).toBe(2);

    fake.enqueue({ status: 400 });
    const start = fake.requests.length;
    expect((await chat(createRetryingFetch({ requestTimeoutMs: 2000, sleep }))).status).toBe(400);
    expect(fake.requests.length - start).toBe(1);
  });

  it('waits what Retry-After asks, and returns a wait longer than the cap without sleeping', async () => {
    const { sleep, waits } = recordingSleep();
    fake.enqueue({ status: 429, headers: { 'retry-after': '3' } }, { findings: [] });
    expect((await chat(createRetryingFetch({ requestTimeoutMs: 2000, sleep }))).status).toBe(200);
    expect(waits).toEqual([3000]);

    fake.enqueue({ status: 503, headers: { 'retry-after': '30' } });
    expect((await chat(createRetryingFetch({ requestTimeoutMs: 2000, sleep }))).status).toBe(503);
    expect(waits).toEqual([3000]);
  });

  it('retries a connection reset before the response', async () => {
    const { sleep, waits } = recordingSleep();
    fake.enqueue({ resetConnection: true }, { findings: [] });
    expect((await chat(createRetryingFetch({ requestTimeoutMs: 2000, sleep }))).status).toBe(200);
    expect(waits.length).toBe(1);
  });

  it('times out a stalled body with RequestTimeoutError, and a body that finishes in time is untouched', async () => {
    const fetch = createRetryingFetch({ requestTimeoutMs: 300 });
    fake.enqueue({ text: 'x'.repeat(200), chunkDelayMs: 200 });
    const slow = await fetch(`${fake.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [] }) });
    await expect(slow.text()).rejects.toBeInstanceOf(RequestTimeoutError);

    fake.enqueue({ findings: [], chunkDelayMs: 5 });
    const quick = await fetch(`${fake.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [] }) });
    expect((await quick.text()).split('\n').filter(Boolean).length).toBeGreaterThan(1);
  });
});
