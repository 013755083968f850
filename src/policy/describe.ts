// How a policy value is named in an error message: shown short and bounded, and the closest allowed name guessed.
// Kept apart from validate.ts so that the validator reads as a list of rules.

import { maskSecretsInLine } from '../rules/scan.js';

/** The closest allowed key, compared without case, '-' and '_' ("max_diff_tokens" → "maxDiffTokens"). */
export function didYouMean(name: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const distance = editDistance(normalise(name), normalise(candidate));
    const tolerated = Math.max(2, Math.floor(candidate.length / 3));
    if (distance <= tolerated && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

export function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * The value as the user would recognise it, short enough to keep the message on one line, with any secret in it cut
 * to its first characters (masked before it is shortened, so a cut cannot hide a key from the mask). Bounded work: at
 * most a few hundred values are looked at, however large (or aliased, or cyclic) the value is.
 */
export function show(value: unknown): string {
  let text: string;
  if (typeof value === 'number' && !Number.isFinite(value)) text = String(value); // JSON would say null for .inf
  else if (typeof value === 'function') text = 'a function';
  else if (typeof value === 'bigint' || typeof value === 'symbol') text = String(value);
  else {
    let budget = 200;
    try {
      text = JSON.stringify(value, (_key, inner: unknown) => (--budget < 0 ? undefined : inner)) ?? String(value);
    } catch {
      text = Array.isArray(value) ? 'a list' : 'a mapping';
    }
  }
  text = maskSecretsInLine(text.replace(/\s+/g, ' '), '');
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
