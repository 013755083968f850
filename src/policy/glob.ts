// The policy's globs (include, exclude, overrides[].files), matched with picomatch's meaning but in bounded time and
// over every byte a path can hold.
//
// Two things picomatch alone gets wrong for a gate: its `**` is built on `.`, which does not match a line terminator,
// so a file named "a\nb.js" was "not in include" and went unreviewed; and a pattern is one regular expression, so a
// glob with several `*` against a long name backtracks for minutes. Here the pattern is cut at '/' and each segment is
// compiled by picomatch on its own (dotAll), `**` segments are matched by a table over path segments (linear in
// segments), and the only backtracking left is inside one segment, bounded by refusing globs with too many `*` in one
// segment and by not deciding at all for a name too long to decide quickly (the caller then fails closed).

import picomatch from 'picomatch';

/** More `*` than this in one segment is refused: the match time grows as the name length to that power. */
export const MAX_STARS_PER_SEGMENT = 4;
/** The work one segment match may take, in regex steps (roughly nanoseconds). */
const STEP_BUDGET = 1e7;
const MAX_ALTERNATIVES = 64;
const MAX_PATTERN_LENGTH = 1024;

export class GlobError extends Error {
  override readonly name = 'GlobError';
}

export interface CompiledGlob {
  readonly pattern: string;
  /** true or false; undefined when the name is too long for this glob to be decided in bounded time. */
  matches(path: string): boolean | undefined;
}

type Segment = { globstar: true; atLeastOne?: boolean } | { globstar: false; re: RegExp; stars: number; source: string };

/** Compiles `pattern`, or throws GlobError saying what is wrong with it (one short phrase). */
export function compileGlob(pattern: string): CompiledGlob {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new GlobError(`longer than ${MAX_PATTERN_LENGTH} characters`);
  let body = pattern;
  let negated = false;
  if (body.startsWith('!') && !body.startsWith('!(')) {
    negated = true;
    body = body.slice(1);
  }
  while (body.startsWith('./')) body = body.slice(2);
  checkBalanced(body);
  if (body === '**') return { pattern, matches: () => !negated };
  const alternatives = expandSlashBraces(body).map((alt) => withPicomatchTail(splitSegments(alt).map(compileSegment)));
  return {
    pattern,
    matches(path) {
      const parts = path.split('/');
      let undecided = false;
      for (const segments of alternatives) {
        const result = matchSegments(segments, parts);
        if (result === true) return !negated;
        if (result === undefined) undecided = true;
      }
      return undecided ? undefined : negated;
    },
  };
}

function compileSegment(segment: string): Segment {
  if (segment === '**') return { globstar: true };
  const stars = countStars(segment);
  if (stars > MAX_STARS_PER_SEGMENT) {
    throw new GlobError(`${stars} wildcards in the segment '${segment}'; at most ${MAX_STARS_PER_SEGMENT} can be matched in bounded time`);
  }
  let re: RegExp;
  try {
    // dotAll: a '*' or '**' must match a line terminator in a name like any other character. debug: picomatch then
    // throws on a segment it cannot compile (a reversed range [z-a]) instead of quietly matching nothing.
    re = picomatch.makeRe(segment, { dot: true, flags: 's', debug: true });
  } catch (error) {
    throw new GlobError(error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error));
  }
  return { globstar: false, re, stars, source: segment };
}

/**
 * picomatch lets a trailing `/**` match its parent itself (`src/**` matches `src`), except after a segment with a
 * trailing `*` (`*\/**` needs something below): kept, so that a glob means here what the picomatch docs say it means.
 */
function withPicomatchTail(compiled: Segment[]): Segment[] {
  // `**/**` is one `**`.
  const segments = compiled.filter((s, i) => !(s.globstar && compiled[i - 1]?.globstar));
  const last = segments.at(-1);
  const before = segments.at(-2);
  if (last?.globstar && before && !before.globstar && /(?<!\\)\*$/.test(before.source)) {
    segments[segments.length - 1] = { globstar: true, atLeastOne: true };
  }
  return segments;
}

/**
 * Whether `segments` match `parts` exactly: a table of (segment, part) pairs, so `**` costs no backtracking.
 * undefined when some needed segment match could not be decided.
 */
function matchSegments(segments: Segment[], parts: string[]): boolean | undefined {
  const G = segments.length;
  const P = parts.length;
  // ok[g * (P + 1) + p]: segments from g match parts from p. 0 false, 1 true, 2 undecided.
  const ok = new Uint8Array((G + 1) * (P + 1));
  ok[G * (P + 1) + P] = 1;
  for (let g = G - 1; g >= 0; g--) {
    const segment = segments[g]!;
    for (let p = P; p >= 0; p--) {
      const at = g * (P + 1) + p;
      if (segment.globstar) {
        // Zero parts, or this part and then the same globstar again.
        // A trailing `**` that must take at least one part takes all that are left.
        if (segment.atLeastOne) ok[at] = p < P ? 1 : 0;
        else ok[at] = or(ok[at + (P + 1)]!, p < P ? ok[at + 1]! : 0);
      } else if (p < P) {
        const rest = ok[at + (P + 1) + 1]!;
        ok[at] = rest === 0 ? 0 : and(matchOne(segment, parts[p]!), rest);
      }
    }
  }
  const result = ok[0]!;
  return result === 2 ? undefined : result === 1;
}

function matchOne(segment: Extract<Segment, { globstar: false }>, part: string): 0 | 1 | 2 {
  if (segment.stars >= 2 && cost(part.length, segment.stars) > STEP_BUDGET) return 2;
  return segment.re.test(part) ? 1 : 0;
}

/** An upper bound of the ways `stars` lazy wildcards can split a name of `length` characters: C(length + stars, stars). */
function cost(length: number, stars: number): number {
  let ways = 1;
  for (let i = 1; i <= stars; i++) ways = (ways * (length + i)) / i;
  return ways;
}

function or(a: number, b: number): 0 | 1 | 2 {
  if (a === 1 || b === 1) return 1;
  return a === 2 || b === 2 ? 2 : 0;
}

function and(a: number, b: number): 0 | 1 | 2 {
  if (a === 0 || b === 0) return 0;
  return a === 2 || b === 2 ? 2 : 1;
}

// ---------- reading the pattern ----------

/** Wildcards that can each take any run of characters: runs of '*', and negated extglobs !(…). */
function countStars(segment: string): number {
  let stars = 0;
  let inClass = false;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '\\') {
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if ((c === '*' || c === '+') && segment[i + 1] === '(') {
      // picomatch turns *(…) and +(…) into a repeated group: (a|aa)+ backtracks exponentially.
      throw new GlobError(`the repeating extglob '${c}(…)' can take exponential time; list the names, e.g. {a,b}, or use several globs`);
    } else if (c === '*') {
      stars++;
      while (segment[i + 1] === '*') i++;
    } else if (c === '!' && segment[i + 1] === '(') {
      stars++;
    }
  }
  return stars;
}

/** Refuses an unclosed '(' or '{' and a stray ')': picomatch would compile them into a glob that matches nothing. */
function checkBalanced(pattern: string): void {
  const open: string[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[' && pattern.indexOf(']', i + 2) > 0) inClass = true;
    else if (c === '(' || c === '{') open.push(c);
    else if (c === ')' || c === '}') {
      const want = c === ')' ? '(' : '{';
      if (open.at(-1) !== want) {
        if (c === ')') throw new GlobError(`a ')' without its '('; escape a literal one as \\)`);
        continue; // a lone '}' is a literal for picomatch
      }
      open.pop();
    }
  }
  if (open.includes('(')) throw new GlobError(`an unclosed '('; close it, or escape a literal one as \\(`);
  if (open.includes('{')) throw new GlobError(`an unclosed '{'; close it, or escape a literal one as \\{`);
}

/** Splits at '/' outside brackets, braces and parentheses; a '/' inside them was expanded away before. */
function splitSegments(pattern: string): string[] {
  const segments: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[' && pattern.indexOf(']', i + 2) > 0) inClass = true;
    else if (c === '(' || c === '{') depth++;
    else if ((c === ')' || c === '}') && depth > 0) depth--;
    else if (c === '/' && depth === 0) {
      segments.push(pattern.slice(from, i));
      from = i + 1;
    } else if (c === '/') {
      throw new GlobError(`a '/' inside '(…)' or '[…]' cannot match a path; move it out`);
    }
  }
  segments.push(pattern.slice(from));
  return segments;
}

/** `{src,lib/x}/**` → `src/**`, `lib/x/**`: braces holding a '/' are expanded so that each alternative can be cut at '/'. */
function expandSlashBraces(pattern: string): string[] {
  const brace = outerBraceWithSlash(pattern);
  if (brace === null) return [pattern];
  const head = pattern.slice(0, brace.start);
  const tail = pattern.slice(brace.end + 1);
  const out = brace.options.flatMap((option) => expandSlashBraces(head + option + tail));
  if (out.length > MAX_ALTERNATIVES) throw new GlobError(`braces expand to more than ${MAX_ALTERNATIVES} patterns`);
  return out;
}

function outerBraceWithSlash(pattern: string): { start: number; end: number; options: string[] } | null {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') {
      i++;
      continue;
    }
    if (pattern[i] !== '{') continue;
    let depth = 0;
    let from = i + 1;
    const options: string[] = [];
    for (let j = i; j < pattern.length; j++) {
      const c = pattern[j];
      if (c === '\\') j++;
      else if (c === '{') depth++;
      else if (c === ',' && depth === 1) {
        options.push(pattern.slice(from, j));
        from = j + 1;
      } else if (c === '}' && --depth === 0) {
        options.push(pattern.slice(from, j));
        const inner = pattern.slice(i + 1, j);
        if (inner.includes('/') && options.length > 1) return { start: i, end: j, options };
        i = j;
        break;
      }
    }
  }
  return null;
}
