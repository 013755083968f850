// What every provider test shares: a review request, the finding the fakes answer with, and the check that a
// failure is a one-line ProviderError.
import { expect } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import type { ModelRequest } from '../../src/types.js';

export const SCHEMA = { type: 'object', properties: { findings: { type: 'array' } }, required: ['findings'] };

/** A small review request; `maxTokens` differs per test file so each can spot it on the wire. */
export function reviewRequest(maxTokens: number): ModelRequest {
  return {
    system: 'You review diffs and answer JSON.',
    messages: [{ role: 'user', content: 'diff --git a/a.js b/a.js\n+let x = 1;' }],
    schema: SCHEMA,
    maxTokens,
  };
}

export const FINDING = { file: 'a.js', line: 1, severity: 'high', category: 'bug', title: 'Off by one', message: 'Reads past the end.' };

export const live = () => new AbortController().signal;

/** The promise must reject with a ProviderError whose message is one line. */
export async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  expect((error as ProviderError).message).not.toContain('\n');
  return error as ProviderError;
}
