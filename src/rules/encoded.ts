// Values stored base64-encoded: a Kubernetes Secret's `data:`, an `.npmrc` `_auth`, a CI variable. gitleaks decodes
// every base64-looking run of a line and runs its whole table on the result; here a run is decoded only where a
// value is written (after `=`, `:`, `=>` or an XML tag's `>`, or inside quotes), once, and only when it decodes to
// text, so that a line without such a run costs one regex scan and images, hashes and lockfile integrities never
// reach a rule. Hex and percent-encoding (which gitleaks also decodes) and values wrapped over several lines are not
// read.
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
/**
 * A run of either alphabet where a value starts: after an assignment or a quote (spaces and a quote between). The
 * regex starts at the assignment or quote, which few positions of a line hold, so a line of code costs little more
 * than a scan for those characters; a marker not followed by 20 run characters fails within 20 steps. Neither the
 * marker nor what follows the run (not `=`, not a run character) may continue it: the run is whole.
 */
const VALUE = /[=:>"'`][ \t]*["'`]?[ \t]*([A-Za-z0-9+/_-]{20,}={0,2})(?![=A-Za-z0-9+/_-])/g;
/** Anything but tab, line breaks and printable text: the decoded bytes were no text (or no UTF-8). */
const NOT_TEXT = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]/;

/** The base64 values of `text` (in a value position, of a plausible length) that decode to printable UTF-8 text. */
export function base64Values(text: string): Base64Value[] {
  if (text.length < MIN_LENGTH) return [];
  const out: Base64Value[] = [];
  VALUE.lastIndex = 0;
  for (let m = VALUE.exec(text); m; m = VALUE.exec(text)) {
    const run = m[1]!;
    const start = m.index + m[0].length - run.length;
    const body = run.replace(/=+$/, '');
    if (run.length > MAX_LENGTH || body.length % 4 === 1) continue;
    if (run.length > body.length && run.length % 4 !== 0) continue;
    // one alphabet or the other: `sha512-…+/…` (a lockfile's integrity) and paths (`a/b-c`) mix them
    if (/[+/]/.test(body) && /[-_]/.test(body)) continue;
    const decoded = decodeBase64(run)?.toString('utf8');
    if (decoded === undefined || decoded.trim() === '' || NOT_TEXT.test(decoded)) continue;
    out.push({ start, end: start + run.length, decoded });
  }
  return out;
}
