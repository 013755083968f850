// The HTTP machinery every fake model server shares: record each request, answer from a queue of scripted replies
// (or a default), and put the protocol's bytes on the wire with the scripted delays, cuts and raw bodies. What the
// bytes are is each protocol's business (ollama.ts, openai.ts, anthropic.ts); the shapes are documented in index.ts.

import http from 'node:http';
import type { Socket } from 'node:net';

export interface FakeReply {
  /** Encoded as the protocol's normal answer: {"findings":[...]} as the model text / tool input. */
  findings?: unknown[];
  /** Raw model text instead (malformed answers: prose, fenced JSON, trailing commas, ...). */
  text?: string;
  /** An HTTP error with the protocol's real error body shape. */
  status?: number;
  /** The message inside that error body (a default per status otherwise). */
  errorMessage?: string;
  /** The error's code (OpenAI `code`) or type (Anthropic `error.type`); derived from the status otherwise. */
  errorCode?: string;
  /** Extra response headers, e.g. { 'retry-after': '1' }. */
  headers?: Record<string, string>;
  /** Before the first byte. */
  delayMs?: number;
  /** Between wire chunks (an NDJSON line, an SSE event). */
  chunkDelayMs?: number;
  /** Write this many wire chunks, then destroy the socket (0: right after the headers). */
  cutAfterChunks?: number;
  /** Reset the connection (TCP RST) instead of answering: the client sees ECONNRESET before any response. */
  resetConnection?: boolean;
  /** This body verbatim, as one chunk with the protocol's content type: a string is sent as UTF-8, bytes as they are. */
  rawBody?: string | Uint8Array;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. /api/chat, /v1/chat/completions. */
  path: string;
  /** The request target exactly as the client sent it: path and query string. */
  url: string;
  /** Every header as received (names lower-cased). */
  headers: Record<string, string | string[] | undefined>;
  /** The JSON body parsed; undefined when absent or not JSON. `any`: tests read protocol fields freely. */
  body: any;
  raw: string;
}

export type ReplySource = FakeReply | ((req: RecordedRequest) => FakeReply);

export interface FakeServer {
  /** What a client's baseURL needs: http://127.0.0.1:PORT (Ollama, Anthropic) or http://127.0.0.1:PORT/v1 (OpenAI). */
  url: string;
  /** Every request, in order, body parsed. */
  requests: RecordedRequest[];
  /** Model calls are answered with these, in order. */
  enqueue(...replies: ReplySource[]): void;
  /** The answer once the queue is empty (initially { findings: [] }). */
  setDefault(reply: ReplySource): void;
  /** Stops listening, ends pending delays and destroys open sockets. */
  close(): Promise<void>;
}

/** Bytes for one response. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  chunks: Array<string | Uint8Array>;
}

/** One model API's wire format. */
export interface Protocol {
  /** Appended to the origin to make FakeServer.url. */
  basePath: string;
  /** Requests answered without the reply queue (model lists, auth and validation errors); undefined: a model call. */
  answerDirectly(req: RecordedRequest): WireResponse | undefined;
  /** The model text as this protocol's successful answer to `req` (streamed or not, as the request asked). */
  answer(text: string, req: RecordedRequest): WireResponse;
  /** An HTTP error with this protocol's error body. */
  error(status: number, reply: FakeReply, req: RecordedRequest): WireResponse;
  /** Content type of a successful answer to `req`, used for raw bodies. */
  contentType(req: RecordedRequest): string;
}

export async function startFakeServer(protocol: Protocol): Promise<FakeServer> {
  const queue: ReplySource[] = [];
  let fallback: ReplySource = { findings: [] };
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const closing = new AbortController();

  const server = http.createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', 'http://fake').pathname,
      url: req.url ?? '/',
      headers: { ...req.headers },
      body: parseJson(raw),
      raw,
    };
    requests.push(recorded);
    // Ends the scripted delays when the client goes away (an aborted review) or the server closes.
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const stop = AbortSignal.any([gone.signal, closing.signal]);

    const direct = protocol.answerDirectly(recorded);
    if (direct) return send(res, direct, {}, stop);
    const source = queue.shift() ?? fallback;
    const reply = typeof source === 'function' ? source(recorded) : source;
    return send(res, wireFor(protocol, reply, recorded), reply, stop);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}${protocol.basePath}`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    setDefault: (reply) => void (fallback = reply),
    close: async () => {
      closing.abort();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function wireFor(protocol: Protocol, reply: FakeReply, req: RecordedRequest): WireResponse {
  if (reply.rawBody !== undefined) {
    return { status: reply.status ?? 200, headers: { 'content-type': protocol.contentType(req) }, chunks: [reply.rawBody] };
  }
  if (reply.status !== undefined && reply.status >= 400) return protocol.error(reply.status, reply, req);
  const text = reply.text ?? JSON.stringify({ findings: reply.findings ?? [] });
  return protocol.answer(text, req);
}

async function send(res: http.ServerResponse, wire: WireResponse, reply: FakeReply, stop: AbortSignal): Promise<void> {
  if (reply.delayMs) await pause(reply.delayMs, stop);
  if (stop.aborted) return;
  if (reply.resetConnection) {
    res.socket?.resetAndDestroy();
    return;
  }
  res.writeHead(wire.status, { ...wire.headers, ...reply.headers });
  res.flushHeaders();
  for (const [i, chunk] of wire.chunks.entries()) {
    if (reply.cutAfterChunks !== undefined && i >= reply.cutAfterChunks) break;
    if (i > 0 && reply.chunkDelayMs) await pause(reply.chunkDelayMs, stop);
    if (stop.aborted) return;
    await write(res, chunk, stop);
  }
  if (reply.cutAfterChunks !== undefined) {
    res.socket?.destroy();
    return;
  }
  res.end();
}

/** The model text cut into stream pieces of at least 16 characters, about 32 of them at most. */
export function streamPieces(text: string): string[] {
  const size = Math.max(16, Math.ceil(text.length / 32));
  const pieces: string[] = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + size);
    // Keep surrogate pairs whole, as a real tokenizer would.
    if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end] ?? '')) end++;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/** A loopback URL where nothing listens (a port just bound and released): connecting to it is refused. */
export async function closedLoopbackURL(path = ''): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${path}`;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): WireResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, chunks: [JSON.stringify(body)] };
}

function write(res: http.ServerResponse, chunk: string | Uint8Array, stop: AbortSignal): Promise<void> {
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      stop.removeEventListener('abort', done);
      resolve();
    };
    res.on('drain', done);
    stop.addEventListener('abort', done, { once: true });
  });
}

function pause(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (stop.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stop.addEventListener('abort', done, { once: true });
  });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
