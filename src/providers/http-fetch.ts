// The fetch every provider request goes through, built on node:http and node:https instead of Node's own fetch.
// Node's fetch is its bundled undici: the first request of a process loads that library (~40 ms) and compiles its
// WASM HTTP parser, and after process.exit() V8 waits ~90 ms more for that compilation to finish; every commit with
// a model paid both (measured). This one keeps what the providers rely on from fetch:
//  - redirects are never followed: a 3xx comes back as it is (redirects.ts follows same-origin ones, refuses others);
//  - the body streams as it arrives, and a body cut short (a reset, a closed connection) errors as 'terminated';
//  - an abort, before or after the headers, rejects or errors the body with the signal's reason at once;
//  - a network failure rejects as TypeError('fetch failed') with the system error as its cause (ECONNREFUSED...);
//  - https goes through Node's TLS with its trust store (system CAs plus NODE_EXTRA_CA_CERTS), as fetch did;
//  - a compressed body (gzip, deflate, br) is decoded, though nothing here asks for one;
//  - no header is added beyond what HTTP/1.1 needs (Host, Content-Length, Connection), and none is taken away.
// Timeouts and retries are the retrying fetch's (retrying-fetch.ts), one layer up.

import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { nodeBuiltin } from '../node-builtin.js';
import { BodyStream } from './body-stream.js';
import { HttpHeaders } from './http-headers.js';
import { HttpResponse } from './http-response.js';
import type { Fetch } from './retrying-fetch.js';

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/** The URL a fetch input names: a string, a URL, or a Request (read by shape: the Request class loads undici). */
export function requestURL(input: string | URL | Request): URL {
  if (typeof input === 'string') return new URL(input);
  if (input instanceof URL) return input;
  return new URL(input.url);
}

/** fetch over node:http / node:https; see the top of this file for what it keeps of fetch. */
export const httpFetch: Fetch = async (input, init = {}) => {
  const url = requestURL(input);
  const request = typeof input === 'object' && !(input instanceof URL) ? input : undefined;
  const signal = init.signal ?? request?.signal ?? undefined;
  if (signal?.aborted) throw signal.reason;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fetchFailed(new Error(`unsupported scheme ${url.protocol}`));
  // fetch refuses these too: a URL is logged and shown in errors, and a key must never travel in one.
  if (url.username || url.password) throw new TypeError(`Request cannot be constructed from a URL that includes credentials: ${url.origin}`);

  const method = normalizedMethod(init.method ?? request?.method ?? 'GET');
  const headers = new HttpHeaders(init.headers ?? request?.headers);
  const body = await requestBody(init.body !== undefined ? init.body : request?.body ? await request.arrayBuffer() : null, headers);
  if (body !== null && (method === 'GET' || method === 'HEAD')) throw new TypeError(`Request with ${method} method cannot have a body.`);
  // Loaded on the first request, and only the one needed: node:https brings TLS.
  const transport = (url.protocol === 'https:' ? nodeBuiltin('node:https') : nodeBuiltin('node:http')) as typeof import('node:http');
  if (signal?.aborted) throw signal.reason;

  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    let response: IncomingMessage | undefined;
    const outgoing: Record<string, string | string[]> = {};
    for (const [name, value] of headers) {
      const previous = outgoing[name];
      outgoing[name] = previous === undefined ? value : ([] as string[]).concat(previous, value);
    }
    if (typeof body === 'string' || body instanceof Uint8Array) outgoing['content-length'] = String(Buffer.byteLength(body));

    const req = transport.request(url, { method, headers: outgoing });
    const onAbort = () => {
      const reason: unknown = signal?.reason;
      if (!settled) {
        settled = true;
        reject(reason);
      }
      req.destroy(reason instanceof Error ? reason : undefined);
      response?.destroy(reason instanceof Error ? reason : undefined);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const release = () => signal?.removeEventListener('abort', onAbort);

    req.on('error', (error) => {
      if (settled) return;
      settled = true;
      release();
      reject(fetchFailed(error));
    });
    req.once('response', (res) => {
      response = res;
      settled = true;
      const status = res.statusCode ?? 0;
      const responseHeaders = new HttpHeaders();
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) responseHeaders.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
      if (init.redirect === 'error' && status >= 300 && status < 400 && responseHeaders.has('location')) {
        release();
        res.destroy();
        reject(fetchFailed(new Error(`unexpected redirect (${status})`)));
        return;
      }
      const empty = method === 'HEAD' || NULL_BODY_STATUS.has(status);
      if (empty) res.resume();
      const stream = empty ? null : bodyStream(decoded(res, responseHeaders.get('content-encoding')), signal, release);
      if (empty) release();
      try {
        resolve(new HttpResponse(stream, { status, statusText: res.statusMessage ?? '', headers: responseHeaders, url: url.href }));
      } catch (error) {
        // A status outside 200-599 (a broken server): fetch rejects such a response as a network error.
        res.destroy();
        release();
        reject(fetchFailed(error));
      }
    });

    if (body === null) req.end();
    else if (typeof body === 'string' || body instanceof Uint8Array) req.end(body);
    else void pipeBody(body, req);
  });
};

/** fetch's own shape of a network failure, which the providers' error messages read (errors.ts). */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

const STANDARD_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH']);

function normalizedMethod(method: string): string {
  const upper = method.toUpperCase();
  return STANDARD_METHODS.has(upper) ? upper : method;
}

type OutgoingBody = string | Uint8Array | AsyncIterable<Uint8Array> | null;

/** The request body as node:http sends it; a default Content-Type as fetch sets one. */
async function requestBody(body: RequestInit['body'] | ArrayBuffer, headers: HttpHeaders): Promise<OutgoingBody> {
  const contentType = (type: string) => {
    if (!headers.has('content-type')) headers.set('content-type', type);
  };
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') {
    contentType('text/plain;charset=UTF-8');
    return body;
  }
  if (body instanceof URLSearchParams) {
    contentType('application/x-www-form-urlencoded;charset=UTF-8');
    return body.toString();
  }
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Blob) {
    if (body.type) contentType(body.type);
    return new Uint8Array(await body.arrayBuffer());
  }
  if (body instanceof ReadableStream || Symbol.asyncIterator in Object(body)) return body as AsyncIterable<Uint8Array>;
  throw new TypeError('fetch: this kind of request body is not supported by codeai-hook');
}

async function pipeBody(body: AsyncIterable<Uint8Array>, req: ClientRequest): Promise<void> {
  try {
    for await (const chunk of body) {
      if (!req.write(chunk)) await new Promise((resolve) => req.once('drain', resolve));
    }
    req.end();
  } catch (error) {
    req.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

const DECODERS: Record<string, 'createGunzip' | 'createInflate' | 'createBrotliDecompress'> = {
  gzip: 'createGunzip',
  'x-gzip': 'createGunzip',
  deflate: 'createInflate',
  br: 'createBrotliDecompress',
};

/** The body decoded as fetch decodes it; zlib is loaded only for a server that compresses unasked. */
function decoded(res: IncomingMessage, encoding: string | null): Readable {
  const decoder = encoding ? DECODERS[encoding.trim().toLowerCase()] : undefined;
  if (!decoder) return res;
  // Loaded here, synchronously: decoding is rare, and the stream must exist before the response is handed out.
  const zlib = nodeBuiltin('node:zlib');
  const output = zlib[decoder]();
  res.on('error', (error) => output.destroy(error));
  res.pipe(output);
  return output;
}

/**
 * The body as a web stream that reads from the socket only as fast as the reader asks. A body that ends before it
 * is complete (a reset, a server gone mid-answer) errors as 'terminated' with the cause, as fetch's does; an abort
 * errors it with the signal's reason.
 */
function bodyStream(source: Readable, signal: AbortSignal | undefined, release: () => void): ReadableStream<Uint8Array> {
  let finished = false;
  const finish = () => {
    finished = true;
    release();
  };
  // Not Node's ReadableStream: see body-stream.ts.
  const stream = new BodyStream({
    start(controller) {
      source.on('data', (chunk: Buffer) => {
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 0) <= 0) source.pause();
      });
      source.once('end', () => {
        if (finished) return;
        finish();
        controller.close();
      });
      const fail = (error?: Error) => {
        if (finished) return;
        finish();
        controller.error(signal?.aborted ? signal.reason : new TypeError('terminated', { cause: error ?? new Error('other side closed') }));
      };
      source.once('error', fail);
      source.once('close', () => fail());
    },
    pull() {
      source.resume();
    },
    cancel() {
      finish();
      source.destroy();
    },
  });
  return stream as unknown as ReadableStream<Uint8Array>;
}
