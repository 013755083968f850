// A base URL that points at a web page instead of a model API (a typo'd port, a proxy's login page) answers 200 with
// HTML. The clients would then parse the page line by line — the ollama client printing a warning per line onto the
// user's commit screen — and fail with a message about JSON. No model API answers in HTML, so such an answer is
// stopped here and reported as what it is.

import type { Fetch } from './retrying-fetch.js';

export class ForeignResponseError extends Error {
  override readonly name = 'ForeignResponseError';
  constructor(readonly contentType: string) {
    super(`the server answered with ${contentType}, not a model API`);
  }
}

export function rejectingWebPages(fetch: Fetch): Fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const contentType = response.headers.get('content-type') ?? '';
    if (response.ok && /^text\/html\b/i.test(contentType)) {
      await response.body?.cancel().catch(() => undefined);
      throw new ForeignResponseError('text/html');
    }
    return response;
  };
}
