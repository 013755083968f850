// The last check before a provider request leaves: it goes to the origin the provider was configured with and
// nowhere else, and to a host the user has not named it carries no header the SDK took from the environment.
// The key-host rule itself is decided earlier, from the URL as written (key-trust.ts); this holds whatever an SDK
// might do on its own: the openai and anthropic clients add headers from OPENAI_CUSTOM_HEADERS and
// ANTHROPIC_CUSTOM_HEADERS (a proxy's credentials, often) to every request, wherever it goes.

import { originOf } from './host-pattern.js';
import { requestURL } from './http-fetch.js';
import { HttpHeaders } from './http-headers.js';
import type { Fetch } from './retrying-fetch.js';

export class ForeignOriginError extends Error {
  override readonly name = 'ForeignOriginError';
  constructor(
    readonly expected: string,
    readonly got: string,
  ) {
    super(`a request to ${got} was stopped: this provider talks to ${expected} only`);
  }
}

const ENV_HEADER_VARIABLES = ['OPENAI_CUSTOM_HEADERS', 'ANTHROPIC_CUSTOM_HEADERS'] as const;

/** `fetch` limited to `baseURL`'s origin; `trusted: false` also drops the headers named in the SDKs' variables. */
export function guardedFetch(fetch: Fetch, baseURL: string, opts: { trusted: boolean; env?: NodeJS.ProcessEnv }): Fetch {
  const expected = originOf(baseURL);
  // The SDKs read process.env themselves, so that is what decides which headers they add.
  const withheld = opts.trusted ? [] : envHeaderNames(opts.env ?? process.env);
  return (input, init) => {
    const target = originOf(requestURL(input));
    if (target !== expected) return Promise.reject(new ForeignOriginError(expected, target));
    if (withheld.length === 0 || !init?.headers) return fetch(input, init);
    const headers = new HttpHeaders(init.headers);
    for (const name of withheld) headers.delete(name);
    return fetch(input, { ...init, headers });
  };
}

/** Header names the SDKs would add from the environment: lines "Name: value" in their *_CUSTOM_HEADERS. */
export function envHeaderNames(env: NodeJS.ProcessEnv): string[] {
  const names = new Set<string>();
  for (const variable of ENV_HEADER_VARIABLES) {
    for (const line of env[variable]?.split('\n') ?? []) {
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
      if (/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) names.add(name);
    }
  }
  return [...names];
}
