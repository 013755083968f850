// fetch follows redirects by default, re-sending the request — headers with the key, body with the diff — wherever
// the Location header points: a local server answering 307 to another host would carry a `sendToCloud: never`
// review off the machine, and a trusted proxy could pass the key on. So every provider request is sent with
// `redirect: 'manual'`; a redirect within the same origin (scheme, host and port) is followed here, one to anywhere
// else is not, and the review says so.

import { originOf } from './host-pattern.js';
import { requestURL } from './http-fetch.js';
import type { Fetch } from './retrying-fetch.js';

/** More hops than any real API uses; a loop between two paths ends here. */
const MAX_REDIRECTS = 5;

export class RedirectRefusedError extends Error {
  override readonly name = 'RedirectRefusedError';
  constructor(
    readonly status: number,
    /** Where the request went (origin only). */
    readonly from: string,
    /** Where the server asked it to go (origin only: a Location's path or query may carry anything). */
    readonly to: string,
  ) {
    super(`the server redirected (${status}) from ${from} to ${to}, another host: not followed`);
  }
}

export class TooManyRedirectsError extends Error {
  override readonly name = 'TooManyRedirectsError';
  constructor(readonly from: string) {
    super(`the server at ${from} redirected more than ${MAX_REDIRECTS} times`);
  }
}

/** `base` with redirects followed only within the request's own origin. */
export function sameOriginRedirects(base: Fetch): Fetch {
  return async (input, init) => {
    let url = requestURL(input);
    const request = typeof input === 'object' && !(input instanceof URL) ? input : undefined;
    for (let hop = 0; ; hop++) {
      const response = await base(request && hop === 0 ? request : url, { ...init, redirect: 'manual' });
      const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
      if (location === null) return response;
      await response.body?.cancel().catch(() => undefined);
      const next = new URL(location, url);
      if (next.origin !== url.origin) throw new RedirectRefusedError(response.status, url.origin, originOf(next));
      if (hop >= MAX_REDIRECTS) throw new TooManyRedirectsError(url.origin);
      url = next;
    }
  };
}
