// Structure checks that tell a real credential from a look-alike of the same shape, without asking anyone:
// published checksums (GitHub and npm tokens end in a CRC32 of their random part), and encodings that must decode
// to something specific (a PyPI token is a macaroon issued by pypi.org, a Docker `auth` is base64 of user:password,
// a JWT's first part is a JSON header naming an algorithm).

// Computed on first use: only a token shaped like GitHub's or npm's needs it, and the loop cost a hook run ~0.5 ms.
let crcTable: Uint32Array | null = null;

function crcTableOnce(): Uint32Array {
  if (crcTable) return crcTable;
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  crcTable = table;
  return table;
}

/** CRC-32 (IEEE 802.3, the zlib one) of the string's UTF-8 bytes; the tokens checked here are ASCII. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  const table = crcTableOnce();
  for (const byte of Buffer.from(text, 'utf8')) crc = table[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `n` in base 62 (digits, upper, lower), left-padded with '0' to `width`. */
export function base62(n: number, width: number): string {
  let out = '';
  let rest = n;
  do {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, '0');
}

/**
 * GitHub's token format (ghp_, gho_, ghu_, ghs_, ghr_), also used by npm (npm_): a 4-character prefix, 30 random
 * base62 characters, then the CRC32 of those 30 characters in 6 base62 characters.
 */
export function hasBase62Checksum(token: string, opts: { withPrefix?: boolean } = {}): boolean {
  if (token.length !== 40) return false;
  const covered = token.slice(opts.withPrefix ? 0 : 4, 34);
  return base62(crc32(covered), 6) === token.slice(34);
}

/** Decodes standard or URL-safe base64 (padding optional); null when it is not base64. */
export function decodeBase64(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1) return null;
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Reads a macaroon's varint; returns [value, next offset] or null past the end. */
function varint(bytes: Buffer, at: number): [number, number] | null {
  let value = 0;
  let shift = 0;
  for (let i = at; i < bytes.length && shift < 35; i++) {
    const b = bytes[i]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, i + 1];
    shift += 7;
  }
  return null;
}

/**
 * A PyPI API token is `pypi-` and a version-2 binary macaroon (base64url) whose location is pypi.org or
 * test.pypi.org: a version byte, then fields (type, length, data) in sections ended by 0, the last field a 32-byte
 * signature. A string that merely starts like one does not parse to the end.
 */
export function isPypiMacaroon(token: string): boolean {
  const bytes = decodeBase64(token.replace(/^pypi-/, ''));
  if (!bytes || bytes[0] !== 2) return false;
  let at = 1;
  let location = '';
  let sections = 0;
  let signature = -1;
  while (at < bytes.length) {
    const type = bytes[at]!;
    at++;
    if (type === 0) {
      sections++;
      continue;
    }
    const len = varint(bytes, at);
    if (!len || len[1] + len[0] > bytes.length) return false;
    const [size, start] = len;
    if (type === 1 && sections === 0) location = bytes.subarray(start, start + size).toString('latin1');
    if (type === 6) signature = size;
    at = start + size;
    if (type === 6) break;
  }
  // header section and caveat list both closed, then the signature as the very last field
  return at === bytes.length && sections >= 2 && signature === 32 && /^(?:test\.)?pypi\.org$/.test(location);
}

/** Base64 of `user:password` with a printable user and a non-empty password (HTTP Basic, Docker `auth`). */
export function decodesToUserPassword(text: string): { user: string; password: string } | null {
  const bytes = decodeBase64(text);
  if (!bytes || bytes.length < 3) return null;
  const decoded = bytes.toString('utf8');
  if (!/^[\x20-\x7e]+$/.test(decoded)) return null;
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function jsonObject(part: string): Record<string, unknown> | null {
  const bytes = decodeBase64(part);
  if (!bytes) return null;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * A live JSON Web Token: header and payload are JSON objects, the header names an algorithm, and the token has not
 * expired (`exp` in the past grants nothing: the test fixtures and documentation samples of most projects).
 */
export function isLiveJwt(token: string, now = Date.now()): boolean {
  const [head, body] = token.split('.');
  const header = head ? jsonObject(head) : null;
  if (!header || typeof header.alg !== 'string') return false;
  const payload = body ? jsonObject(body) : null;
  if (!payload) return false;
  return typeof payload.exp !== 'number' || payload.exp * 1000 > now;
}
