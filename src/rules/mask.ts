// How a secret is shown to a person: enough to recognise which key it is, never enough to use it.

export interface TextRange {
  /** Inclusive start offset. */
  start: number;
  /** Exclusive end offset. */
  end: number;
}

/**
 * The first 4 characters then '…'. Shorter secrets (hand-written passwords) keep fewer characters, because 4 of 8
 * would give away half of one.
 */
export function maskSecret(secret: string): string {
  const keep = secret.length >= 16 ? 4 : secret.length >= 8 ? 2 : 0;
  return `${secret.slice(0, keep)}…`;
}

/**
 * Replaces each range of `text` by `replacement(range)`. Ranges must not overlap; text outside them is kept
 * byte for byte.
 */
export function replaceRanges<R extends TextRange>(text: string, ranges: readonly R[], replacement: (range: R) => string): string {
  if (ranges.length === 0) return text;
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const r of sorted) {
    out += text.slice(at, r.start) + replacement(r);
    at = r.end;
  }
  return out + text.slice(at);
}
