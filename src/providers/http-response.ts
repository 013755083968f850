// The WHATWG Response class for the providers' own fetch (http-fetch.ts) and the responses our wrappers rebuild
// (retrying-fetch.ts, ollama.ts), for the same reason as http-headers.ts: Node's own Response loads its whole bundled
// undici on first use. What the model clients and our checks read is here: status, headers, a streamed body, the
// body read whole (text, json, arrayBuffer, blob) once, and clone().

import { BodyStream } from './body-stream.js';
import { HttpHeaders } from './http-headers.js';

/** Statuses whose response has no body, whatever the server sent. */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

export interface HttpResponseInit {
  status?: number;
  statusText?: string;
  headers?: ConstructorParameters<typeof Headers>[0];
  /** The URL the response came from ('' for one built in memory). */
  url?: string;
}

type BodySource = ReadableStream<Uint8Array> | string | Uint8Array | null;

export class HttpResponse implements Response {
  readonly headers: Headers;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly type: Response['type'] = 'basic';
  readonly redirected = false;
  #body: ReadableStream<Uint8Array> | null;
  #used = false;

  constructor(body: BodySource = null, init: HttpResponseInit = {}) {
    const status = init.status ?? 200;
    if (!Number.isInteger(status) || status < 200 || status > 599) throw new RangeError(`Response: status ${status} is not in 200-599`);
    this.status = status;
    this.statusText = init.statusText ?? '';
    this.headers = new HttpHeaders(init.headers);
    this.url = init.url ?? '';
    if (body !== null && NULL_BODY_STATUS.has(status)) throw new TypeError(`Response: a ${status} response cannot have a body`);
    this.#body = typeof body === 'string' || body instanceof Uint8Array ? streamOf(body) : body;
    if (typeof body === 'string' && !this.headers.has('content-type')) this.headers.set('content-type', 'text/plain;charset=UTF-8');
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.#body;
  }

  get bodyUsed(): boolean {
    return this.#used;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.#readAll();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return new TextDecoder('utf-8').decode(await this.#readAll());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async blob(): Promise<Blob> {
    return new Blob([await this.#readAll()], { type: this.headers.get('content-type') ?? '' });
  }

  async formData(): Promise<FormData> {
    throw new TypeError('Response.formData() is not supported by codeai-hook');
  }

  clone(): HttpResponse {
    if (this.#used || this.#body?.locked) throw new TypeError('Response.clone: the body has already been read');
    const init = { status: this.status, statusText: this.statusText, headers: this.headers, url: this.url };
    if (!this.#body) return new HttpResponse(null, init);
    const [mine, theirs] = this.#body.tee();
    this.#body = mine;
    return new HttpResponse(theirs, init);
  }

  async #readAll(): Promise<Uint8Array> {
    if (this.#used || this.#body?.locked) throw new TypeError('Response: the body has already been read');
    this.#used = true;
    if (!this.#body) return new Uint8Array(0);
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = this.#body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  }
}

function streamOf(body: string | Uint8Array): ReadableStream<Uint8Array> {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const stream = new BodyStream({
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
  return stream as unknown as ReadableStream<Uint8Array>;
}
