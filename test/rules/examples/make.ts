// Builds the secrets the rule examples need at test time, so that no credential-shaped string sits in the
// repository: deterministic pseudo-random characters from a class, seeded by a name.
import type { DiffFile } from '../../../src/types.js';

/** One example: a file's added lines (default path: a config module), or a whole DiffFile for file rules. */
export type Example = string | { path: string; text: string } | { file: DiffFile };

export interface RuleExamples {
  hit: Example[];
  miss: Example[];
}

export type ExampleTable = Record<string, RuleExamples>;

/** Expands a class like 'A-Za-z0-9_-' into its characters. */
function expand(spec: string): string {
  let out = '';
  for (let i = 0; i < spec.length; i++) {
    const a = spec[i]!;
    const b = spec[i + 2];
    if (spec[i + 1] === '-' && b !== undefined) {
      for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c++) out += String.fromCharCode(c);
      i += 2;
    } else out += a;
  }
  return out;
}

let counter = 0;

/** `n` characters of class `spec`, the same on every run for the same call order. */
export function chars(spec: string, n: number): string {
  const alphabet = expand(spec);
  let state = 0x9e3779b9 ^ ++counter * 0x85ebca6b;
  let out = '';
  for (let i = 0; i < n; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out += alphabet[(state >>> 0) % alphabet.length];
  }
  return out;
}

export const ALNUM = 'A-Za-z0-9';
export const HEX = '0-9a-f';
export const LOWER_ALNUM = 'a-z0-9';
export const B64 = 'A-Za-z0-9+/';
export const URLSAFE = 'A-Za-z0-9_-';

/** A UUID (lower-case hex). */
export function uuid(): string {
  return [8, 4, 4, 4, 12].map((n) => chars(HEX, n)).join('-');
}

/** base64url without padding. */
export function b64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** A PyPI API token: `pypi-` and a version-2 macaroon from pypi.org with one caveat and a 32-byte signature. */
export function pypiToken(location = 'pypi.org'): string {
  const field = (type: number, data: Buffer) => Buffer.concat([Buffer.from([type, data.length]), data]);
  const bytes = Buffer.concat([
    Buffer.from([2]),
    field(1, Buffer.from(location)),
    field(2, Buffer.from(chars(ALNUM, 40))),
    Buffer.from([0]),
    field(2, Buffer.from(`{"version": 1, "permissions": "user"}`)),
    Buffer.from([0, 0]),
    field(6, Buffer.from(chars(ALNUM, 32))),
  ]);
  return `pypi-${bytes.toString('base64url')}`;
}

/** A JSON Web Token with the given payload (signature: random characters). */
export function jwt(payload: object, header: object = { alg: 'HS256', typ: 'JWT' }): string {
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${chars(URLSAFE, 43)}`;
}
