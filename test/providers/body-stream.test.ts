// The response body every provider reads (src/providers/body-stream.ts), held to what a default ReadableStream does
// for its readers: order, backpressure, close after the queue, errors, cancel on an early break, locks, tee. The
// clients reading it through real fetches against the fakes are the provider tests; this is the stream alone.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BodyStream, type BodyController } from '../../src/providers/body-stream.js';
import { __codeaiSdkReadableStream as SdkReadableStream } from '../../src/providers/sdk-globals.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A stream whose source the test drives, counting pulls and recording cancels. */
function driven() {
  let controller!: BodyController;
  const seen = { pulls: 0, cancels: [] as unknown[] };
  const stream = new BodyStream({
    start: (c) => void (controller = c),
    pull: () => void seen.pulls++,
    cancel: (reason) => void seen.cancels.push(reason),
  });
  return { stream, controller: () => controller, seen };
}

async function readAll(stream: BodyStream): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of stream) out.push(text(chunk));
  return out;
}

describe('BodyStream', () => {
  it('gives the chunks in order, queued ones before the end, then done for every later read', async () => {
    const { stream, controller } = driven();
    controller().enqueue(bytes('a'));
    controller().enqueue(bytes('b'));
    controller().close();
    const reader = stream.getReader();
    expect(text((await reader.read()).value)).toBe('a');
    expect(text((await reader.read()).value)).toBe('b');
    expect(await reader.read()).toEqual({ done: true, value: undefined });
    expect(await reader.read()).toEqual({ done: true, value: undefined });
    await expect(reader.closed).resolves.toBeUndefined();
  });

  it('pulls only while its one-chunk queue is empty or a read waits (backpressure)', async () => {
    const { stream, controller, seen } = driven();
    await tick();
    expect(seen.pulls).toBe(1); // after start, the queue is empty
    controller().enqueue(bytes('a'));
    expect(controller().desiredSize).toBe(0);
    await tick();
    expect(seen.pulls).toBe(1); // full: no pull until something is read
    const reader = stream.getReader();
    expect(text((await reader.read()).value)).toBe('a');
    expect(seen.pulls).toBe(2);
    const waiting = reader.read();
    controller().enqueue(bytes('b')); // handed to the waiting read, not queued
    expect(text((await waiting).value)).toBe('b');
    expect(controller().desiredSize).toBe(1);
  });

  it('does not pull again before a pull that returned a promise settles', async () => {
    let pulls = 0;
    let release!: () => void;
    const stream = new BodyStream({
      pull: (c) => {
        pulls++;
        return new Promise<void>((resolve) => (release = () => (c.enqueue(bytes(String(pulls))), resolve())));
      },
    });
    const reader = stream.getReader();
    const first = reader.read();
    const second = reader.read();
    await tick();
    expect(pulls).toBe(1);
    release();
    expect(text((await first).value)).toBe('1');
    await tick();
    expect(pulls).toBe(2);
    release();
    expect(text((await second).value)).toBe('2');
  });

  it('an error drops what is queued and rejects every read, pending or later, and the reader’s closed', async () => {
    const { stream, controller } = driven();
    controller().enqueue(bytes('lost'));
    const reader = stream.getReader();
    const boom = new TypeError('terminated');
    controller().error(boom);
    await expect(reader.read()).rejects.toBe(boom);
    await expect(reader.closed).rejects.toBe(boom);
    expect(controller().desiredSize).toBeNull();

    const other = driven();
    const pending = other.stream.getReader().read();
    other.controller().error(boom);
    await expect(pending).rejects.toBe(boom);
  });

  it('a break out of `for await` cancels the source (an SDK stopping early frees the socket); preventCancel does not', async () => {
    const { stream, controller, seen } = driven();
    controller().enqueue(bytes('a'));
    for await (const chunk of stream) {
      expect(text(chunk)).toBe('a');
      break;
    }
    expect(seen.cancels).toEqual([undefined]);
    expect(stream.locked).toBe(false);
    expect(await stream.getReader().read()).toEqual({ done: true, value: undefined });

    const kept = driven();
    kept.controller().enqueue(bytes('x'));
    kept.controller().enqueue(bytes('y'));
    for await (const _ of kept.stream.values({ preventCancel: true })) break;
    expect(kept.seen.cancels).toEqual([]);
    kept.controller().close();
    expect(await readAll(kept.stream)).toEqual(['y']);
  });

  it('an error thrown into `for await` releases the lock and reaches the loop', async () => {
    const { stream, controller } = driven();
    const boom = new Error('reset');
    setTimeout(() => controller().error(boom), 5);
    await expect(readAll(stream)).rejects.toBe(boom);
    expect(stream.locked).toBe(false);
  });

  it('is locked to one reader; releaseLock rejects a pending read; cancel goes through the reader while locked', async () => {
    const { stream, controller, seen } = driven();
    const reader = stream.getReader();
    expect(stream.locked).toBe(true);
    expect(() => stream.getReader()).toThrow(TypeError);
    await expect(stream.cancel()).rejects.toThrow(TypeError);
    const pending = reader.read();
    reader.releaseLock();
    await expect(pending).rejects.toThrow('Reader released');
    await expect(reader.read()).rejects.toThrow('Reader released');
    await expect(reader.closed).rejects.toThrow('Reader released');
    const again = stream.getReader();
    await again.cancel('stop');
    expect(seen.cancels).toEqual(['stop']);
    expect(() => controller().enqueue(bytes('late'))).toThrow(TypeError);
  });

  it('tee gives both branches every chunk and cancels the source only when both are cancelled', async () => {
    const { stream, controller, seen } = driven();
    const [one, two] = stream.tee();
    controller().enqueue(bytes('a'));
    setTimeout(() => {
      controller().enqueue(bytes('b'));
      controller().close();
    }, 5);
    expect(await Promise.all([readAll(one), readAll(two)])).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);

    const source = driven();
    const [left, right] = source.stream.tee();
    await left.cancel('l');
    expect(source.seen.cancels).toEqual([]);
    await right.cancel('r');
    expect(source.seen.cancels).toEqual([['l', 'r']]);
    expect(seen.cancels).toEqual([]);
  });

  it('pipes through Node’s own transforms when asked', async () => {
    const { stream, controller } = driven();
    controller().enqueue(bytes('{"n":'));
    controller().enqueue(bytes('1}'));
    controller().close();
    const decoded: string[] = [];
    for await (const piece of stream.pipeThrough(new TextDecoderStream())) decoded.push(piece);
    expect(decoded.join('')).toBe('{"n":1}');
  });

  it('reads as a ReadableStream by tag, which is how the clients’ ReadableStream of the bundles tells one', () => {
    const body = new BodyStream();
    expect(Object.prototype.toString.call(body)).toBe('[object ReadableStream]');
    expect(body instanceof (SdkReadableStream as unknown as typeof ReadableStream)).toBe(true);
    expect(('a string body' as unknown as object) instanceof (SdkReadableStream as unknown as typeof ReadableStream)).toBe(false);
    // A client that builds a stream (toReadableStream) gets Node's own.
    const built = new (SdkReadableStream as unknown as typeof ReadableStream)({ start: (c) => c.close() });
    expect(built).toBeInstanceOf(ReadableStream);
  });

  it('lets go of its source once it has ended (closed, errored or cancelled), as a ReadableStream drops its algorithms', async () => {
    // The source's closures hold what the HTTP fetch held: the response and the request with its prompt. A Response
    // kept by a client must not keep them, or a review of 1,000 units holds 1,000 prompts (the 1M-line bench case
    // peaked at 409 MB instead of 285).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const ends: Array<[string, (stream: BodyStream, controller: BodyController) => Promise<unknown>]> = [
      ['closed', async (stream, controller) => {
        controller.enqueue(bytes('a'));
        controller.close();
        return readAll(stream);
      }],
      ['errored', async (stream, controller) => {
        controller.error(new Error('cut'));
        return stream.getReader().read().catch(() => undefined);
      }],
      ['cancelled', async (stream) => stream.cancel('enough')],
    ];
    for (const [how, end] of ends) {
      let controller!: BodyController;
      const made = () => {
        const prompt = { text: 'x'.repeat(1 << 20) };
        const source = { start: (c: BodyController) => void (controller = c), pull: () => void prompt.text.length };
        return { stream: new BodyStream(source), held: new WeakRef(prompt) };
      };
      const { stream, held } = made();
      await tick();
      await end(stream, controller);
      await tick();
      gc();
      expect(held.deref(), how).toBeUndefined();
      // Used after the collection, so the stream itself was alive through it: only what it held went.
      expect(Object.prototype.toString.call(stream)).toBe('[object ReadableStream]');
    }
  });
});
