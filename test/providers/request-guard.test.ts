// The last check before a request leaves: bound to the configured origin, and no header the SDKs read from the
// environment (OPENAI_CUSTOM_HEADERS, ANTHROPIC_CUSTOM_HEADERS) goes to a host the user has not named.
import { describe, expect, it } from 'vitest';
import { envHeaderNames, ForeignOriginError, guardedFetch } from '../../src/providers/request-guard.js';

describe('guardedFetch', () => {
  const seen: Array<{ url: string; headers: Headers }> = [];
  const base = async (input: string | URL | Request, init?: RequestInit) => {
    seen.push({ url: String(input), headers: new Headers(init?.headers) });
    return new Response('{}');
  };
  const env = { OPENAI_CUSTOM_HEADERS: 'X-Proxy-Auth: secret-one\nX-Team: t', ANTHROPIC_CUSTOM_HEADERS: 'Proxy-Authorization: Basic abc' };

  it('reads the header names the SDKs would add, and only well-formed ones', () => {
    expect(envHeaderNames(env).sort()).toEqual(['proxy-authorization', 'x-proxy-auth', 'x-team']);
    expect(envHeaderNames({ OPENAI_CUSTOM_HEADERS: 'no colon\n: empty\nbad name: v' })).toEqual([]);
  });

  it('drops them for an untrusted host and keeps them for a trusted one', async () => {
    const headers = { 'x-proxy-auth': 'secret-one', 'proxy-authorization': 'Basic abc', 'content-type': 'application/json' };
    await guardedFetch(base, 'http://gpu.lan:8080/v1', { trusted: false, env })('http://gpu.lan:8080/v1/chat/completions', { headers });
    expect([...seen.at(-1)!.headers.keys()]).toEqual(['content-type']);
    await guardedFetch(base, 'https://proxy.corp/v1', { trusted: true, env })('https://proxy.corp/v1/chat/completions', { headers });
    expect(seen.at(-1)!.headers.get('x-proxy-auth')).toBe('secret-one');
  });

  it('refuses any other origin', async () => {
    const fetch = guardedFetch(base, 'https://api.openai.com/v1', { trusted: true, env: {} });
    const before = seen.length;
    await expect(fetch('https://api.openai.com.evil.example/v1/x')).rejects.toBeInstanceOf(ForeignOriginError);
    await expect(fetch('http://api.openai.com/v1/x')).rejects.toBeInstanceOf(ForeignOriginError);
    expect(seen.length).toBe(before);
    await fetch('https://api.openai.com/v1/chat/completions');
    expect(seen.length).toBe(before + 1);
  });
});
