// How a user names a host they trust with their keys, and whether a URL is on it. Written as the user would:
// "llm.corp.example", "gpu-box:11434", "*.corp.example", or a URL ("https://proxy.example/v1", whose origin counts).
// Pure string work on the URL as written: nothing here resolves a name.

export interface HostPattern {
  /** Lower-case host name, without brackets for IPv6; for a wildcard, the suffix after "*.". */
  host: string;
  /** "*.domain": any host strictly under the domain. */
  wildcard: boolean;
  /** Only this port, when given (a URL always gives one: its explicit or default port). */
  port?: string;
  /** Only this scheme, when the pattern was a URL. */
  protocol?: 'http:' | 'https:';
}

const HOST = /^(?:\*\.)?(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*\.?$/;

/** The pattern, or null when `text` names no host. */
export function parseHostPattern(text: string): HostPattern | null {
  const value = text.trim().toLowerCase();
  if (value === '') return null;
  if (value.includes('://')) {
    const url = tryURL(value);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
    return { host: bare(url.hostname), wildcard: false, port: effectivePort(url), protocol: url.protocol };
  }
  // host, host:port, [v6], [v6]:port
  const m = /^(\[[0-9a-f:.]+\]|[^:/\s]+)(?::(\d{1,5}))?$/.exec(value);
  if (!m) return null;
  const host = bare(m[1] ?? '');
  const isV6 = (m[1] ?? '').startsWith('[');
  if (!isV6 && !HOST.test(host)) return null;
  const wildcard = host.startsWith('*.');
  const pattern: HostPattern = { host: wildcard ? host.slice(2) : host, wildcard };
  if (m[2] !== undefined) pattern.port = m[2];
  return pattern;
}

/** True when `url` is on a host `pattern` names (and on its port and scheme, when the pattern says). */
export function matchesHost(pattern: HostPattern, url: string): boolean {
  const parsed = tryURL(url);
  if (!parsed) return false;
  const host = bare(parsed.hostname.toLowerCase()).replace(/\.$/, '');
  const wanted = pattern.host.replace(/\.$/, '');
  const hostOk = pattern.wildcard ? host.endsWith(`.${wanted}`) : host === wanted;
  if (!hostOk) return false;
  if (pattern.protocol !== undefined && parsed.protocol !== pattern.protocol) return false;
  return pattern.port === undefined || pattern.port === effectivePort(parsed);
}

/** "host" or "host:port" of a URL, as printed in messages (no path, no credentials, no query). */
export function hostOf(url: string): string {
  const parsed = tryURL(url);
  return parsed ? parsed.host : url;
}

/** scheme://host[:port] of a URL; the URL itself when it does not parse. */
export function originOf(url: string | URL): string {
  const parsed = typeof url === 'string' ? tryURL(url) : url;
  return parsed ? parsed.origin : String(url);
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

function bare(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '');
}

function tryURL(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
