// A response body with the ReadableStream interface the model clients and our own wrappers read, without Node's web
// streams. Node loads its web stream modules on the first ReadableStream, and the first reader released (each of the
// three SDKs releases one when the answer ends: `for await`, or Ollama's getReader/releaseLock) builds its "Reader
// released" error in a new vm context: ~7 ms of every commit reviewed by a model (measured in a process that had
// already loaded node:http and AbortController; interleaved timings in the commit).
//
// What is kept of a default ReadableStream (a queue of one chunk, the count strategy): the source is pulled only when
// the queue is empty or a read waits (backpressure), a pull returning a promise is not repeated before it settles,
// chunks are read in order, close() lets queued chunks be read first, error() drops them and rejects every read,
// cancel() (the stream's, a reader's, or an async iterator's return on an early `break`) empties the queue and
// cancels the source, and a stream locked to a reader refuses a second one. Anything else (pipeTo, pipeThrough) goes
// through Node's own ReadableStream, built only then.

import type { ReadableStreamReadResult, ReadableWritablePair, StreamPipeOptions } from 'node:stream/web';

type Chunk = Uint8Array;
type ReadResult = ReadableStreamReadResult<Chunk>;

export interface BodyController {
  enqueue(chunk: Chunk): void;
  close(): void;
  error(reason: unknown): void;
  /** One minus the chunks queued; 0 once closed, null once errored. */
  readonly desiredSize: number | null;
}

/** What feeds the stream, as for `new ReadableStream(source)`; start is called at once, pull when more is wanted. */
export interface BodySource {
  start?(controller: BodyController): void;
  pull?(controller: BodyController): void | Promise<void>;
  cancel?(reason: unknown): void | Promise<void>;
}

interface ReadRequest {
  resolve(result: ReadResult): void;
  reject(reason: unknown): void;
}

const HIGH_WATER_MARK = 1;
/** The source of a stream that has ended: nothing to pull, nothing to cancel. */
const ENDED: BodySource = {};

export class BodyStream {
  /** Dropped once the stream has closed or errored, as a ReadableStream clears its algorithms: what the source's
   * closures hold (an HTTP response, the request they answered, its prompt) must not live on with the Response. */
  #source: BodySource;
  readonly #controller: BodyController;
  #queue: Chunk[] = [];
  #state: 'readable' | 'closed' | 'errored' = 'readable';
  #closeRequested = false;
  #error: unknown;
  #reads: ReadRequest[] = [];
  #reader: BodyReader | undefined;
  #started = false;
  #pulling = false;
  #pullAgain = false;

  constructor(source: BodySource = {}) {
    this.#source = source;
    const stream = this;
    this.#controller = {
      enqueue: (chunk) => stream.#enqueue(chunk),
      close: () => stream.#requestClose(),
      error: (reason) => stream.#fail(reason),
      get desiredSize() {
        return stream.#state === 'errored' ? null : stream.#state === 'closed' ? 0 : HIGH_WATER_MARK - stream.#queue.length;
      },
    };
    try {
      source.start?.(this.#controller);
    } catch (error) {
      this.#fail(error);
    }
    // As a ReadableStream does: the first pull comes after start, not inside it. (A promise job: queueMicrotask wraps
    // its callback in an AsyncResource, ~1 ms on its first use, --cpu-prof.)
    void Promise.resolve().then(() => {
      this.#started = true;
      this.#pullIfNeeded();
    });
  }

  get [Symbol.toStringTag](): string {
    return 'ReadableStream';
  }

  get locked(): boolean {
    return this.#reader !== undefined;
  }

  getReader(options?: { mode?: string }): BodyReader {
    if (options?.mode !== undefined) throw new TypeError(`ReadableStream.getReader: mode '${options.mode}' is not supported here`);
    if (this.#reader) throw new TypeError('ReadableStream is locked to a reader');
    this.#reader = new BodyReader(this, {
      read: () => this.#read(),
      cancel: (reason) => this.#cancel(reason),
      release: () => this.#release(),
      settled: () => (this.#state === 'readable' ? null : this.#state === 'closed' ? { closed: true } : { error: this.#error }),
    });
    return this.#reader;
  }

  cancel(reason?: unknown): Promise<void> {
    if (this.#reader) return Promise.reject(new TypeError('ReadableStream is locked to a reader: cancel through it'));
    return this.#cancel(reason);
  }

  [Symbol.asyncIterator](options?: { preventCancel?: boolean }): AsyncIterableIterator<Chunk> {
    return this.values(options);
  }

  /** The chunks in order; a `break` (the iterator's return) cancels the stream unless preventCancel. */
  values({ preventCancel = false }: { preventCancel?: boolean } = {}): AsyncIterableIterator<Chunk> {
    const reader = this.getReader();
    let finished = false;
    const iterator: AsyncIterableIterator<Chunk> = {
      async next() {
        if (finished) return { done: true, value: undefined };
        try {
          const result = await reader.read();
          if (result.done) {
            finished = true;
            reader.releaseLock();
          }
          return result as IteratorResult<Chunk>;
        } catch (error) {
          finished = true;
          reader.releaseLock();
          throw error;
        }
      },
      async return(value?: unknown) {
        if (!finished) {
          finished = true;
          const cancelled = preventCancel ? Promise.resolve() : reader.cancel(value);
          reader.releaseLock();
          await cancelled;
        }
        return { done: true, value: value as Chunk };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  /** Two streams of the same chunks (Response.clone); the source is cancelled when both are. */
  tee(): [BodyStream, BodyStream] {
    const reader = this.getReader();
    const branches: BodyController[] = [];
    const cancelled: unknown[] = [];
    let open = 2;
    let reading: Promise<void> | null = null;
    const live = () => branches.filter((_, i) => !(i in cancelled));
    const pull = () =>
      (reading ??= reader.read().then(
        (result) => {
          reading = null;
          for (const branch of live()) {
            if (result.done) branch.close();
            else branch.enqueue(result.value);
          }
        },
        (error: unknown) => {
          reading = null;
          for (const branch of live()) branch.error(error);
        },
      ));
    const branch = (index: number) =>
      new BodyStream({
        start: (controller) => void (branches[index] = controller),
        pull,
        cancel: (reason) => {
          cancelled[index] = reason;
          if (--open === 0) return reader.cancel(cancelled);
        },
      });
    return [branch(0), branch(1)];
  }

  pipeTo(destination: WritableStream<Chunk>, options?: StreamPipeOptions): Promise<void> {
    return this.#web().pipeTo(destination, options);
  }

  pipeThrough<T>(transform: ReadableWritablePair<T, Chunk>, options?: StreamPipeOptions): ReadableStream<T> {
    return this.#web().pipeThrough(transform as Parameters<ReadableStream<Chunk>['pipeThrough']>[0], options) as ReadableStream<T>;
  }

  /** Node's own ReadableStream reading this one, for what only it does. */
  #web(): ReadableStream<Chunk> {
    const reader = this.getReader();
    return new ReadableStream<Chunk>({
      async pull(controller) {
        const result = await reader.read();
        if (result.done) controller.close();
        else controller.enqueue(result.value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
  }

  #enqueue(chunk: Chunk): void {
    if (this.#closeRequested || this.#state !== 'readable') throw new TypeError('ReadableStream: cannot enqueue into a closed stream');
    const waiting = this.#reads.shift();
    if (waiting) waiting.resolve({ done: false, value: chunk });
    else this.#queue.push(chunk);
    this.#pullIfNeeded();
  }

  #requestClose(): void {
    if (this.#closeRequested || this.#state !== 'readable') throw new TypeError('ReadableStream: already closed');
    this.#closeRequested = true;
    if (this.#queue.length === 0) this.#close();
  }

  #close(): void {
    this.#state = 'closed';
    this.#source = ENDED;
    for (const read of this.#reads.splice(0)) read.resolve({ done: true, value: undefined });
    this.#reader?.settle({ closed: true });
  }

  #fail(reason: unknown): void {
    if (this.#state !== 'readable') return;
    this.#state = 'errored';
    this.#error = reason;
    this.#queue = [];
    this.#source = ENDED;
    for (const read of this.#reads.splice(0)) read.reject(reason);
    this.#reader?.settle({ error: reason });
  }

  #read(): Promise<ReadResult> {
    if (this.#state === 'errored') return Promise.reject(this.#error);
    const chunk = this.#queue.shift();
    if (chunk !== undefined) {
      if (this.#closeRequested && this.#queue.length === 0) this.#close();
      else this.#pullIfNeeded();
      return Promise.resolve({ done: false, value: chunk });
    }
    if (this.#state === 'closed') return Promise.resolve({ done: true, value: undefined });
    return new Promise<ReadResult>((resolve, reject) => {
      this.#reads.push({ resolve, reject });
      this.#pullIfNeeded();
    });
  }

  #cancel(reason: unknown): Promise<void> {
    if (this.#state === 'closed') return Promise.resolve();
    if (this.#state === 'errored') return Promise.reject(this.#error);
    const source = this.#source;
    this.#queue = [];
    this.#close();
    try {
      return Promise.resolve(source.cancel?.(reason)).then(() => undefined);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #release(): void {
    const released = new TypeError('Reader released');
    for (const read of this.#reads.splice(0)) read.reject(released);
    this.#reader = undefined;
  }

  #pullIfNeeded(): void {
    if (!this.#started || this.#closeRequested || this.#state !== 'readable') return;
    if (this.#reads.length === 0 && this.#queue.length >= HIGH_WATER_MARK) return;
    if (this.#pulling) {
      this.#pullAgain = true;
      return;
    }
    this.#pulling = true;
    let pulled: void | Promise<void>;
    try {
      pulled = this.#source.pull?.(this.#controller);
    } catch (error) {
      this.#fail(error);
      return;
    }
    Promise.resolve(pulled).then(
      () => {
        this.#pulling = false;
        if (this.#pullAgain) {
          this.#pullAgain = false;
          this.#pullIfNeeded();
        }
      },
      (error: unknown) => this.#fail(error),
    );
  }
}

interface ReaderOps {
  read(): Promise<ReadResult>;
  cancel(reason: unknown): Promise<void>;
  release(): void;
  /** How the stream has ended so far: null while it is readable. */
  settled(): { closed: true } | { error: unknown } | null;
}

/** A default reader of a BodyStream: read, releaseLock, cancel and closed, as a ReadableStreamDefaultReader. */
export class BodyReader {
  #ops: ReaderOps | null;
  #resolveClosed!: () => void;
  #rejectClosed!: (reason: unknown) => void;
  readonly closed: Promise<void>;

  constructor(_stream: BodyStream, ops: ReaderOps) {
    this.#ops = ops;
    this.closed = new Promise<void>((resolve, reject) => {
      this.#resolveClosed = resolve;
      this.#rejectClosed = reject;
    });
    this.closed.catch(() => undefined); // nobody need wait for it
    const now = ops.settled();
    if (now) this.settle(now);
  }

  get [Symbol.toStringTag](): string {
    return 'ReadableStreamDefaultReader';
  }

  read(): Promise<ReadResult> {
    return this.#ops ? this.#ops.read() : Promise.reject(new TypeError('Reader released'));
  }

  cancel(reason?: unknown): Promise<void> {
    return this.#ops ? this.#ops.cancel(reason) : Promise.reject(new TypeError('Reader released'));
  }

  releaseLock(): void {
    if (!this.#ops) return;
    this.#ops.release();
    this.#ops = null;
    this.#rejectClosed(new TypeError('Reader released'));
  }

  /** Called by the stream when it closes or errors. */
  settle(how: { closed: true } | { error: unknown }): void {
    if ('error' in how) this.#rejectClosed(how.error);
    else this.#resolveClosed();
  }
}
