// reviewUnits: scheduling, retries, fatal errors, deadline, user abort, cache and progress. The provider here is a
// small object implementing our own ModelProvider interface (src/types.ts); no client library is involved.
import { describe, expect, it } from 'vitest';
import { AbortedError, ProviderError, type ProviderErrorKind } from '../../src/errors.js';
import type { FindingsCache } from '../../src/review/cache.js';
import { reviewUnits, type ReviewUnitsOptions } from '../../src/review/run.js';
import type { Finding, ModelProvider, ModelRequest, ReviewUnit } from '../../src/types.js';
import { oneHunkUnit } from './unit.js';

type Answer = (request: ModelRequest, signal: AbortSignal, call: number) => Promise<string> | string;

interface TestProvider extends ModelProvider {
  requests: ModelRequest[];
  inFlight: number;
  maxInFlight: number;
}

function testProvider(answer: Answer, model = 'test-model'): TestProvider {
  const p: TestProvider = {
    name: 'ollama',
    model,
    endpoint: 'http://127.0.0.1:11434',
    local: true,
    requests: [],
    inFlight: 0,
    maxInFlight: 0,
    async review(request, signal) {
      p.requests.push(request);
      p.inFlight++;
      p.maxInFlight = Math.max(p.maxInFlight, p.inFlight);
      try {
        return await answer(request, signal, p.requests.length);
      } finally {
        p.inFlight--;
      }
    },
    async probe() {
      return { latencyMs: 1 };
    },
  };
  return p;
}

function providerError(kind: ProviderErrorKind): ProviderError {
  return new ProviderError(`ollama ${kind} at http://127.0.0.1:11434 (model test-model)`, kind, 'ollama', 'http://127.0.0.1:11434', 'test-model');
}

/** Unit i: file src/f<i>.ts with line 1 added. */
function units(n: number): ReviewUnit[] {
  return Array.from({ length: n }, (_, i) => oneHunkUnit(`src/f${i}.ts`, 1, 1, [`+const v${i} = ${i};`]));
}

/** The path of the (only) file in a request's diff, read back from the user message. */
function fileOf(request: ModelRequest): string {
  const m = /File: (\S+)/.exec(request.messages[0]!.content);
  if (!m) throw new Error('no File: line in the request');
  return m[1]!;
}

/** A well-formed answer with one finding on line 1 of the request's file. */
function answerFor(request: ModelRequest): string {
  return JSON.stringify({
    findings: [{ file: fileOf(request), line: 1, severity: 'medium', category: 'bug', title: 'seen', message: 'seen by the model' }],
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves never; rejects the way real providers do when the signal aborts. */
function waitForAbort(signal: AbortSignal): Promise<string> {
  return new Promise((_, reject) => {
    const fail = () => reject(providerError('aborted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

function memoryCache(): FindingsCache & { map: Map<string, Finding[]>; sets: number } {
  const map = new Map<string, Finding[]>();
  const cache = {
    dir: '(memory)',
    map,
    sets: 0,
    async get(key: string) {
      const findings = map.get(key);
      return findings && { findings, dropped: [] };
    },
    async set(key: string, findings: Finding[]) {
      cache.sets++;
      map.set(key, findings);
    },
  };
  return cache;
}

function options(over: Partial<ReviewUnitsOptions> = {}): ReviewUnitsOptions {
  return {
    promptFor: () => ({ categories: ['bug', 'security'], instructions: [] }),
    concurrency: 4,
    userSignal: new AbortController().signal,
    deadlineMs: 10_000,
    cache: null,
    ...over,
  };
}

describe('reviewUnits: order and concurrency', () => {
  it('returns outcomes in the order of the units, whatever order the answers come in', async () => {
    // Random delays make later units finish first; an implementation that pushes outcomes on completion fails.
    const provider = testProvider(async (req) => {
      await sleep(Math.floor(Math.random() * 25));
      return answerFor(req);
    });
    const list = units(12);
    const outcomes = await reviewUnits(list, provider, options({ concurrency: 5 }));
    expect(outcomes).toHaveLength(12);
    expect(outcomes.map((o) => o.findings[0]?.file)).toEqual(list.map((u) => u.files[0]!.path));
    expect(outcomes.every((o) => o.calls === 1 && !o.cached && o.error === undefined)).toBe(true);
  });

  it('the first unit finishing last still comes first', async () => {
    const provider = testProvider(async (req) => {
      await sleep(fileOf(req) === 'src/f0.ts' ? 40 : 1);
      return answerFor(req);
    });
    const outcomes = await reviewUnits(units(3), provider, options({ concurrency: 3 }));
    expect(outcomes.map((o) => o.findings[0]?.file)).toEqual(['src/f0.ts', 'src/f1.ts', 'src/f2.ts']);
  });

  it('keeps at most `concurrency` requests in flight, and does use that many', async () => {
    const provider = testProvider(async (req) => {
      await sleep(5 + Math.floor(Math.random() * 15));
      return answerFor(req);
    });
    await reviewUnits(units(10), provider, options({ concurrency: 3 }));
    expect(provider.requests).toHaveLength(10);
    // More than 3 breaks the bound; fewer means the units ran (partly) one after another.
    expect(provider.maxInFlight).toBe(3);
  });

  it('concurrency 1 is strictly one at a time; an empty list makes no call', async () => {
    const provider = testProvider(async (req) => {
      await sleep(2);
      return answerFor(req);
    });
    await reviewUnits(units(4), provider, options({ concurrency: 1 }));
    expect(provider.maxInFlight).toBe(1);
    expect(await reviewUnits([], provider, options())).toEqual([]);
    expect(provider.requests).toHaveLength(4);
  });
});

describe('reviewUnits: malformed answers', () => {
  it('retries a malformed answer once, feeding back the answer and a correction', async () => {
    const provider = testProvider((req, _signal, call) => (call === 1 ? 'Sure! Here is my review: looks fine.' : answerFor(req)));
    const [outcome] = await reviewUnits(units(1), provider, options());
    expect(outcome).toMatchObject({ calls: 2, cached: false });
    expect(outcome!.error).toBeUndefined();
    expect(outcome!.findings).toHaveLength(1);
    expect(provider.requests).toHaveLength(2);
    const [first, second] = provider.requests;
    // The retry is the same conversation plus the bad answer (assistant) and what was wrong with it (user).
    expect(second!.system).toBe(first!.system);
    expect(second!.messages).toHaveLength(first!.messages.length + 2);
    expect(second!.messages[0]).toEqual(first!.messages[0]);
    expect(second!.messages[1]).toEqual({ role: 'assistant', content: 'Sure! Here is my review: looks fine.' });
    expect(second!.messages[2]!.role).toBe('user');
    expect(second!.messages[2]!.content).toMatch(/could not be used/);
    expect(second!.messages[2]!.content).toMatch(/findings/);
  });

  it('twice malformed: an error line for the unit, no throw, no third call; other units unaffected', async () => {
    const provider = testProvider((req) => (fileOf(req) === 'src/f1.ts' ? 'no json here' : answerFor(req)));
    const outcomes = await reviewUnits(units(3), provider, options({ concurrency: 1 }));
    expect(outcomes[1]).toMatchObject({ calls: 2, findings: [], cached: false });
    expect(outcomes[1]!.error).toMatch(/ollama model test-model gave no usable JSON twice/);
    expect(outcomes[0]!.error).toBeUndefined();
    expect(outcomes[2]!.error).toBeUndefined();
    expect(provider.requests).toHaveLength(4);
  });
});

describe('reviewUnits: provider errors', () => {
  it.each(['unreachable', 'auth', 'model-not-found', 'bad-request'] as const)(
    "a '%s' error stops further calls: later units get the same error with 0 calls",
    async (kind) => {
      const provider = testProvider(() => {
        throw providerError(kind);
      });
      const outcomes = await reviewUnits(units(4), provider, options({ concurrency: 1 }));
      expect(provider.requests).toHaveLength(1);
      expect(outcomes[0]).toMatchObject({ calls: 1, error: providerError(kind).message });
      for (const o of outcomes.slice(1)) expect(o).toMatchObject({ calls: 0, findings: [], error: providerError(kind).message });
    },
  );

  it.each(['timeout', 'server', 'rate-limited', 'bad-response'] as const)("a '%s' error fails only its own unit", async (kind) => {
    const provider = testProvider((req) => {
      if (fileOf(req) === 'src/f0.ts') throw providerError(kind);
      return answerFor(req);
    });
    const outcomes = await reviewUnits(units(4), provider, options({ concurrency: 1 }));
    expect(provider.requests).toHaveLength(4);
    expect(outcomes[0]).toMatchObject({ calls: 1, error: providerError(kind).message });
    for (const o of outcomes.slice(1)) {
      expect(o.error).toBeUndefined();
      expect(o.findings).toHaveLength(1);
    }
  });

  it('a fatal error on the retry stops the rest too', async () => {
    const provider = testProvider((_req, _s, call) => {
      if (call === 1) return 'garbage';
      throw providerError('unreachable');
    });
    const outcomes = await reviewUnits(units(3), provider, options({ concurrency: 1 }));
    expect(provider.requests).toHaveLength(2);
    expect(outcomes.map((o) => o.calls)).toEqual([2, 0, 0]);
    expect(new Set(outcomes.map((o) => o.error))).toEqual(new Set([providerError('unreachable').message]));
  });
});

describe('reviewUnits: deadline and user abort', () => {
  const deadlineText = /did not finish within timeoutMs \(80 ms\)/;

  it('at the deadline every unfinished unit reports the deadline message; nothing throws', async () => {
    const provider = testProvider((_req, signal) => waitForAbort(signal));
    const started = Date.now();
    const outcomes = await reviewUnits(units(5), provider, options({ concurrency: 2, deadlineMs: 80 }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(outcomes).toHaveLength(5);
    for (const o of outcomes) expect(o.error).toMatch(deadlineText);
    // The two in flight were asked; the three not started are not sent after the deadline.
    expect(provider.requests).toHaveLength(2);
    expect(outcomes.map((o) => o.calls)).toEqual([1, 1, 0, 0, 0]);
  });

  it('units that finished before the deadline keep their findings', async () => {
    const provider = testProvider((req, signal) => (fileOf(req) === 'src/f0.ts' ? answerFor(req) : waitForAbort(signal)));
    const outcomes = await reviewUnits(units(3), provider, options({ concurrency: 3, deadlineMs: 80 }));
    expect(outcomes[0]!.error).toBeUndefined();
    expect(outcomes[0]!.findings).toHaveLength(1);
    expect(outcomes[1]!.error).toMatch(deadlineText);
    expect(outcomes[2]!.error).toMatch(deadlineText);
  });

  it('the deadline holds even against a provider that ignores its signal', async () => {
    // Without racing the signal, reviewUnits would wait for this provider forever (the test would time out).
    const provider = testProvider(() => new Promise<string>(() => {}));
    const started = Date.now();
    const outcomes = await reviewUnits(units(2), provider, options({ deadlineMs: 80 }));
    expect(Date.now() - started).toBeLessThan(2000);
    for (const o of outcomes) expect(o.error).toMatch(deadlineText);
  });

  it('a user abort mid-review throws AbortedError promptly', async () => {
    const user = new AbortController();
    const provider = testProvider((_req, signal) => waitForAbort(signal));
    setTimeout(() => user.abort(), 30);
    const started = Date.now();
    await expect(reviewUnits(units(6), provider, options({ concurrency: 2, userSignal: user.signal }))).rejects.toBeInstanceOf(AbortedError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a user abort throws AbortedError even when the provider ignores its signal', async () => {
    const user = new AbortController();
    const provider = testProvider(() => new Promise<string>(() => {}));
    setTimeout(() => user.abort(), 30);
    await expect(reviewUnits(units(2), provider, options({ userSignal: user.signal }))).rejects.toBeInstanceOf(AbortedError);
  });

  it('an abort before the review starts throws AbortedError (not deadline messages) and calls nothing', async () => {
    const user = new AbortController();
    user.abort();
    const provider = testProvider(answerFor);
    await expect(reviewUnits(units(3), provider, options({ userSignal: user.signal }))).rejects.toBeInstanceOf(AbortedError);
    expect(provider.requests).toHaveLength(0);
  });
});

describe('reviewUnits: cache', () => {
  it('a unit answered well is written; a second review hits the cache, makes no call and says cached', async () => {
    const cache = memoryCache();
    const first = testProvider(answerFor);
    const before = await reviewUnits(units(3), first, options({ cache }));
    expect(cache.map.size).toBe(3);
    const second = testProvider(answerFor);
    const after = await reviewUnits(units(3), second, options({ cache }));
    expect(second.requests).toHaveLength(0);
    expect(after.map((o) => o.cached)).toEqual([true, true, true]);
    expect(after.map((o) => o.calls)).toEqual([0, 0, 0]);
    expect(after.map((o) => o.findings)).toEqual(before.map((o) => o.findings));
  });

  it('an answer repaired on the retry is written too', async () => {
    const cache = memoryCache();
    const provider = testProvider((req, _s, call) => (call === 1 ? '{oops' : answerFor(req)));
    await reviewUnits(units(1), provider, options({ cache }));
    expect(cache.sets).toBe(1);
  });

  it('a unit that failed (provider error, twice malformed) is not written, so the next run asks again', async () => {
    const cache = memoryCache();
    const failing = testProvider((req) => {
      if (fileOf(req) === 'src/f1.ts') throw providerError('server');
      if (fileOf(req) === 'src/f2.ts') return 'not json';
      return answerFor(req);
    });
    await reviewUnits(units(3), failing, options({ cache, concurrency: 1 }));
    expect(cache.sets).toBe(1);
    const again = testProvider(answerFor);
    const outcomes = await reviewUnits(units(3), again, options({ cache, concurrency: 1 }));
    expect(again.requests.map(fileOf)).toEqual(['src/f1.ts', 'src/f2.ts']);
    expect(outcomes.map((o) => o.cached)).toEqual([true, false, false]);
  });

  it('an empty findings list is a hit too', async () => {
    const cache = memoryCache();
    await reviewUnits(units(1), testProvider(() => '{"findings": []}'), options({ cache }));
    const again = testProvider(answerFor);
    const [o] = await reviewUnits(units(1), again, options({ cache }));
    expect(again.requests).toHaveLength(0);
    expect(o).toMatchObject({ cached: true, findings: [], calls: 0 });
  });

  it('a different model, categories or instructions misses the cache', async () => {
    const cache = memoryCache();
    await reviewUnits(units(1), testProvider(answerFor), options({ cache }));
    const p1 = testProvider(answerFor);
    await reviewUnits(units(1), p1, options({ cache, promptFor: () => ({ categories: ['bug'], instructions: [] }) }));
    const p2 = testProvider(answerFor);
    await reviewUnits(units(1), p2, options({ cache, promptFor: () => ({ categories: ['bug', 'security'], instructions: ['Use tabs.'] }) }));
    expect(p1.requests).toHaveLength(1);
    expect(p2.requests).toHaveLength(1);
    const p3 = testProvider(answerFor, 'other-model');
    await reviewUnits(units(1), p3, options({ cache }));
    expect(p3.requests).toHaveLength(1);
    // The same everything again: a hit.
    const p4 = testProvider(answerFor, 'other-model');
    await reviewUnits(units(1), p4, options({ cache }));
    expect(p4.requests).toHaveLength(0);
  });
});

describe('reviewUnits: prompts and progress', () => {
  it('a unit whose prompt has no categories makes no call and has no error', async () => {
    const provider = testProvider(answerFor);
    const list = units(3);
    const outcomes = await reviewUnits(
      list,
      provider,
      options({ promptFor: (u) => ({ categories: u === list[1] ? [] : ['bug'], instructions: [] }) }),
    );
    expect(provider.requests.map(fileOf).sort()).toEqual(['src/f0.ts', 'src/f2.ts']);
    expect(outcomes[1]).toEqual({ findings: [], cached: false, calls: 0 });
  });

  it('calls onProgress once per unit with done increasing to the total', async () => {
    const calls: Array<[number, number]> = [];
    const provider = testProvider(async (req) => {
      await sleep(Math.floor(Math.random() * 10));
      return answerFor(req);
    });
    await reviewUnits(units(7), provider, options({ concurrency: 3, onProgress: (done, total) => calls.push([done, total]) }));
    expect(calls).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => [n, 7]));
  });

  it('progress counts failed and skipped units too', async () => {
    const calls: number[] = [];
    const provider = testProvider(() => {
      throw providerError('unreachable');
    });
    await reviewUnits(units(3), provider, options({ concurrency: 1, onProgress: (done) => calls.push(done) }));
    expect(calls).toEqual([1, 2, 3]);
  });
});

describe('reviewUnits: abort listeners', () => {
  it('a provider that never removes its abort listener (the openai client) leaks nothing onto the shared signal', async () => {
    const seen = new Set<AbortSignal>();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const user = new AbortController();
      const provider = testProvider((req, signal) => {
        seen.add(signal);
        signal.addEventListener('abort', () => undefined, { once: true }); // never removed, like the openai client
        return answerFor(req);
      });
      const outcomes = await reviewUnits(units(40), provider, options({ userSignal: user.signal, concurrency: 4 }));
      expect(outcomes.every((o) => o.error === undefined)).toBe(true);
      await sleep(10); // process warnings are emitted on a later tick
      expect(warnings.filter((w) => w.includes('MaxListenersExceededWarning'))).toEqual([]);
      expect(seen.size).toBe(40); // each call had a signal of its own
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('each call’s own signal still aborts with the shared one, with its reason', async () => {
    const user = new AbortController();
    const signals: AbortSignal[] = [];
    const provider = testProvider((_req, signal) => {
      signals.push(signal);
      if (signals.length === 2) setTimeout(() => user.abort(new Error('stop')), 5);
      return waitForAbort(signal);
    });
    await expect(reviewUnits(units(2), provider, options({ userSignal: user.signal }))).rejects.toBeInstanceOf(AbortedError);
    expect(signals).toHaveLength(2);
    expect(signals.every((s) => s.aborted && (s.reason as Error).message === 'stop')).toBe(true);
  });
});
