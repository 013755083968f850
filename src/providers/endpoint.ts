// Base URLs as users write them (OLLAMA_HOST, baseURL in .codeairc) turned into URLs a client can call, and the one
// question the privacy policy asks of them: does the text stay on this machine?

import { isIP } from 'node:net';

const OLLAMA_PORT = '11434';

/**
 * Reads OLLAMA_HOST the way the ollama CLI does: "host", "host:port", ":port", "scheme://host[:port][/path]".
 * Without a scheme the port defaults to 11434; with http:// or https:// it defaults to 80 / 443. A bind-all address
 * (0.0.0.0, ::) is what the server listens on, not where a client can connect, so it becomes 127.0.0.1.
 */
export function ollamaURLFromHost(host: string): string {
  let text = host.trim();
  const hasScheme = text.includes('://');
  if (!hasScheme) text = `http://${text.startsWith(':') ? `127.0.0.1${text}` : text}`;
  const url = new URL(text);
  if (!url.port && !hasScheme) url.port = OLLAMA_PORT;
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = '127.0.0.1';
  return withoutTrailingSlash(url.toString());
}

/**
 * The URL as it may be printed or written into a report (which may be a pull request's comment): without a user name
 * or password, a query or a fragment, where gateways take their key (`https://gw/v1?api-key=…`). They show as `…`.
 */
export function shownURL(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (!parsed.username && !parsed.password && !parsed.search && !parsed.hash) return url;
  const credentials = parsed.username || parsed.password ? '…@' : '';
  return `${parsed.protocol}//${credentials}${parsed.host}${withoutTrailingSlash(parsed.pathname)}${parsed.search || parsed.hash ? '?…' : ''}`;
}

export function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** True when `url` is well formed http(s). */
export function isHttpURL(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** True when requests to `url` cannot leave this machine: localhost names and loopback addresses only. */
export function isLoopbackURL(url: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare) || /^::ffff:7f[0-9a-f]{2}:/.test(bare);
  return false;
}
