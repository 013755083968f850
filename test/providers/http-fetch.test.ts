// The providers' fetch over node:http / node:https (src/providers/http-fetch.ts) against real servers on 127.0.0.1
// whose every byte the test controls: chunked streaming, a connection cut mid-body, aborts before and after the
// headers, redirects handed back unfollowed, compressed bodies, network errors in fetch's own shape, and https through
// the real TLS stack with a self-signed certificate (made with openssl; skipped with a message when it is missing).
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpFetch } from '../../src/providers/http-fetch.js';
import { HttpHeaders } from '../../src/providers/http-headers.js';
import { HttpResponse } from '../../src/providers/http-response.js';
import { closedLoopbackURL } from '../fakes/index.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;
let handler: Handler = (_req, res) => res.end('ok');
const received: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = [];

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections(); // the keep-alive sockets of Node's agent
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(() => {
  received.length = 0;
  handler = (_req, res) => res.end('ok');
});

const decoder = new TextDecoder();
async function chunksOf(response: Response): Promise<string[]> {
  const out: string[] = [];
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(decoder.decode(value));
  }
}
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('httpFetch: requests and responses', () => {
  it('sends method, headers and body as given, and reads status, headers and body back', async () => {
    handler = (_req, res) => {
      res.writeHead(201, 'Made', { 'content-type': 'application/json', 'x-one': 'a', 'set-cookie': ['a=1', 'b=2'] });
      res.end('{"ok":true}');
    };
    const response = await httpFetch(`${base}/v1/chat?x=1`, {
      method: 'post',
      headers: new HttpHeaders({ 'Content-Type': 'application/json', Authorization: 'Bearer sk-test' }),
      body: JSON.stringify({ a: 1 }),
    });
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made');
    expect(response.ok).toBe(true);
    expect(response.url).toBe(`${base}/v1/chat?x=1`);
    expect(response.headers.get('X-One')).toBe('a');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.bodyUsed).toBe(true);
    const [req] = received;
    expect(req).toMatchObject({ method: 'POST', url: '/v1/chat?x=1', body: '{"a":1}' });
    expect(req!.headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Bearer sk-test', 'content-length': '7' });
    // Nothing asks for compression or adds a user agent of its own.
    expect(req!.headers['accept-encoding']).toBeUndefined();
    expect(req!.headers['user-agent']).toBeUndefined();
  });

  it('takes Node’s own Headers, plain objects and pairs; a string body gets fetch’s default content type', async () => {
    await httpFetch(base, { method: 'POST', headers: new Headers({ 'x-a': '1' }), body: 'text' });
    await httpFetch(base, { headers: { 'x-b': '2' } });
    await httpFetch(base, { headers: [['x-c', '3']] });
    expect(received.map((r) => [r.headers['x-a'], r.headers['x-b'], r.headers['x-c']])).toEqual([
      ['1', undefined, undefined],
      [undefined, '2', undefined],
      [undefined, undefined, '3'],
    ]);
    expect(received[0]!.headers['content-type']).toBe('text/plain;charset=UTF-8');
  });

  it('refuses a header value with a line break before anything is sent', async () => {
    await expect(httpFetch(base, { headers: { 'x-evil': 'a\r\nx-injected: 1' } })).rejects.toThrow(TypeError);
    expect(received).toHaveLength(0);
  });

  it('refuses credentials in the URL, as fetch does', async () => {
    const url = base.replace('http://', 'http://user:sk-secret@');
    await expect(httpFetch(url)).rejects.toThrow(/credentials/);
    expect(received).toHaveLength(0);
  });

  it('streams a chunked body piece by piece, as the server writes it', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write('{"n":1}\n');
      setTimeout(() => res.write('{"n":2}\n'), 20);
      setTimeout(() => res.end('{"n":3}\n'), 40);
    };
    const response = await httpFetch(base);
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(await chunksOf(response)).toEqual(['{"n":1}\n', '{"n":2}\n', '{"n":3}\n']);
  });

  it('hands a 3xx back as it is: the Location is never followed here', async () => {
    handler = (req, res) => {
      if (req.url === '/elsewhere') return void res.end('followed');
      res.writeHead(307, { location: '/elsewhere' });
      res.end();
    };
    const response = await httpFetch(`${base}/start`, { method: 'POST', body: 'diff' });
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe('/elsewhere');
    expect(received.map((r) => r.url)).toEqual(['/start']);
    await expect(httpFetch(`${base}/start`, { redirect: 'error' })).rejects.toThrow('fetch failed');
  });

  it('gives a 204 and a HEAD no body', async () => {
    handler = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    expect((await httpFetch(base)).body).toBeNull();
    handler = (_req, res) => res.end('ignored');
    expect((await httpFetch(base, { method: 'HEAD' })).body).toBeNull();
  });

  it('decodes a gzip body a server sends unasked', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(gzipSync('{"findings":[]}'));
    };
    expect(await (await httpFetch(base)).text()).toBe('{"findings":[]}');
  });

  it('clone() gives a second reader of the same body', async () => {
    handler = (_req, res) => res.end('twice');
    const response = await httpFetch(base);
    const copy = response.clone();
    expect(await copy.text()).toBe('twice');
    expect(await response.text()).toBe('twice');
    await expect(response.text()).rejects.toThrow(TypeError);
  });
});

describe('httpFetch: failures', () => {
  it('a refused connection rejects as fetch does: TypeError fetch failed, the system error as cause', async () => {
    const error = await httpFetch(await closedLoopbackURL()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('a connection cut mid-body errors the stream as terminated, after the pieces that came', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const response = await httpFetch(base);
    const reader = response.body!.getReader();
    expect(decoder.decode((await reader.read()).value)).toBe('data: one\n\n');
    const error = await reader.read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('terminated');
  });

  it('a body shorter than its Content-Length is terminated, not a short answer', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('only this');
      setTimeout(() => res.socket?.destroy(), 10);
    };
    const response = await httpFetch(base);
    await expect(response.text()).rejects.toThrow('terminated');
  });

  it('an abort before the headers rejects with the signal’s reason, and the request is gone', async () => {
    let closed = false;
    handler = (_req, res) => res.on('close', () => (closed = true)); // never answers
    const controller = new AbortController();
    const pending = httpFetch(base, { signal: controller.signal });
    await tick(30);
    const reason = new Error('stop now');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await tick(30);
    expect(closed).toBe(true);
  });

  it('an abort mid-body errors the stream with the signal’s reason', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write('first');
    };
    const controller = new AbortController();
    const response = await httpFetch(base, { signal: controller.signal });
    const reader = response.body!.getReader();
    expect(decoder.decode((await reader.read()).value)).toBe('first');
    const reason = new Error('deadline');
    controller.abort(reason);
    await expect(reader.read()).rejects.toBe(reason);
  });

  it('an already aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort(new Error('before'));
    await expect(httpFetch(base, { signal: controller.signal })).rejects.toThrow('before');
    expect(received).toHaveLength(0);
  });
});

describe('HttpHeaders and HttpResponse', () => {
  it('names compare without case, values combine, iteration is sorted with each Set-Cookie apart', () => {
    const h = new HttpHeaders({ 'X-B': '1' });
    h.append('x-b', '2');
    h.append('A', ' padded ');
    h.append('Set-Cookie', 'a=1');
    h.append('set-cookie', 'b=2');
    expect(h.get('x-B')).toBe('1, 2');
    expect(h.get('a')).toBe('padded');
    expect([...h]).toEqual([
      ['a', 'padded'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['x-b', '1, 2'],
    ]);
    h.delete('X-B');
    expect(h.has('x-b')).toBe(false);
    expect(() => h.set('bad name', 'x')).toThrow(TypeError);
    expect(() => h.set('x', 'a\nb')).toThrow(TypeError);
    expect(Object.prototype.toString.call(h)).toBe('[object Headers]');
  });

  it('a built response reads like fetch’s', async () => {
    const r = new HttpResponse('{"a":1}', { status: 400, statusText: 'Bad', headers: { 'content-type': 'application/json' } });
    expect([r.ok, r.status, r.statusText, r.headers.get('content-type')]).toEqual([false, 400, 'Bad', 'application/json']);
    expect(await r.json()).toEqual({ a: 1 });
    expect(new HttpResponse('x').headers.get('content-type')).toBe('text/plain;charset=UTF-8');
    expect(() => new HttpResponse('x', { status: 204 })).toThrow(TypeError);
    expect(() => new HttpResponse(null, { status: 600 })).toThrow(RangeError);
  });
});

describe('httpFetch over https (real TLS, self-signed certificate)', () => {
  let dir: string;
  let tlsServer: https.Server | undefined;
  let url = '';
  let cert = '';
  const openssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  beforeAll(async () => {
    if (!openssl) {
      console.warn('openssl not found: the https tests of http-fetch are skipped');
      return;
    }
    dir = mkdtempSync(path.join(os.tmpdir(), 'codeai-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    cert = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    tlsServer = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert }, (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${req.headers.authorization}\n\n`);
      setTimeout(() => res.end('data: [DONE]\n\n'), 10);
    });
    await new Promise<void>((resolve) => tlsServer!.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    tlsServer?.closeAllConnections();
    if (tlsServer) await new Promise<void>((resolve) => tlsServer!.close(() => resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!openssl)('a certificate nobody trusts is refused before any header goes: fetch failed, the TLS code as cause', async () => {
    const error = await httpFetch(url, { headers: { authorization: 'Bearer sk-never' } }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('fetch failed');
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
  });

  it.skipIf(!openssl)('trusted through NODE_EXTRA_CA_CERTS (a process of its own), it streams over TLS', async () => {
    const script = `import { httpFetch } from ${JSON.stringify(path.resolve('src/providers/http-fetch.ts'))};
      const r = await httpFetch(${JSON.stringify(url)}, { headers: { authorization: 'Bearer sk-ok' } });
      console.log(r.status, JSON.stringify(await r.text()));`;
    // Asynchronously: the server answering it runs in this process.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(dir, 'cert.pem') },
      encoding: 'utf8',
    });
    expect(stdout.trim()).toBe('200 "data: Bearer sk-ok\\n\\ndata: [DONE]\\n\\n"');
  });
});
