// Values stored base64-encoded: a Kubernetes Secret's `data:`, an `.npmrc` `_auth`, a CI variable. gitleaks decodes
// every base64-looking run of a line and runs its whole table on the result; here a run is decoded only where a
// value is written (after `=`, `:` or `=>`, or inside quotes), once, and only when it decodes to text, so that a
// line without such a run costs one regex scan and images, hashes and lockfile integrities never reach a rule.
// Which rules read the decoded text is match.ts's business (the rules of a specific format: `inBase64`).
import { decodeBase64 } from './checksum.js';
import type { TextRange } from './mask.js';

/** A base64 value on a line and the text it decodes to. */
export interface Base64Value extends TextRange {
  decoded: string;
}

/** Shorter runs decode to fewer than 15 bytes: shorter than any key of a specific format. */
const MIN_LENGTH = 20;
/** Longer runs are files (images, archives), not a key; bounded like private-key-base64's body. */
const MAX_LENGTH = 16_000;
/** A maximal run of either alphabet; its boundaries are checked in code, so each run is read once. */
const RUN = /[A-Za-z0-9+/_-]{20,}={0,2}/g;
/** Where a value starts: after an assignment (spaces and a quote allowed) or a quote. */
const VALUE_START = /(?:(?:[=:]|=>)[ \t]*["'`]?|["'`])[ \t]*$/;
/** Anything but tab, line breaks and printable text: the decoded bytes were no text (or no UTF-8). */
const NOT_TEXT = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]/;

/** The base64 values of `text` (in a value position, of a plausible length) that decode to printable UTF-8 text. */
export function base64Values(text: string): Base64Value[] {
  if (text.length < MIN_LENGTH) return [];
  const out: Base64Value[] = [];
  RUN.lastIndex = 0;
  for (let m = RUN.exec(text); m; m = RUN.exec(text)) {
    const run = m[0];
    const start = m.index;
    const body = run.replace(/=+$/, '');
    if (run.length > MAX_LENGTH || body.length % 4 === 1) continue;
    if (run.length > body.length && run.length % 4 !== 0) continue;
    // one alphabet or the other: `sha512-…+/…` (a lockfile's integrity) and paths (`a/b-c`) mix them
    if (/[+/]/.test(body) && /[-_]/.test(body)) continue;
    if (!VALUE_START.test(text.slice(Math.max(0, start - 8), start))) continue;
    const decoded = decodeBase64(run)?.toString('utf8');
    if (decoded === undefined || decoded.trim() === '' || NOT_TEXT.test(decoded)) continue;
    out.push({ start, end: start + run.length, decoded });
  }
  return out;
}
