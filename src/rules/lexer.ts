// Where comments and string literals are, line by line, for the languages whose syntax makes that cheap to know.
// Code rules use it to stay quiet about code that does not run: `console.log` in a JSDoc `@example`, `eval(1)` in
// an XSS payload string of a test, `os.system(cmd)` in a Python docstring. One pass, one character at a time, so
// the cost is the length of the text. It is a lexer, not a parser: heredocs, Ruby's %q{} and nested languages are
// read as code, which only means a rule may still speak there.

import type { Quote, Syntax } from './languages.js';

export type Region = 'comment' | 'string';

/** A stretch of one line that is not code, [start, end) in UTF-16 offsets. */
export interface Span {
  start: number;
  end: number;
  kind: Region;
}

/** Where the lexer is between lines. */
interface State {
  block: { close: string } | null;
  quote: Quote | null;
  /** Brace depths of the `${…}` we are inside, innermost last; each returns to its template on its last `}`. */
  interpolations: number[];
}

/** Before the last significant character, a `/` starts a regex literal rather than a division. */
const REGEX_AFTER = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);
const REGEX_AFTER_WORD = /(?:^|[^\w$])(?:return|typeof|case|do|else|in|of|void|yield|await|delete|throw|new)$/;

/**
 * The non-code spans of each line. `startInComment` says the first line begins inside a block comment (a diff
 * hunk that starts in the middle of a doc comment).
 */
export function lexLines(syntax: Syntax, lines: readonly string[], startInComment = false): Span[][] {
  const closer = syntax.blockComments.find((b) => !b.atLineStart)?.close;
  const state: State = { block: startInComment && closer ? { close: closer } : null, quote: null, interpolations: [] };
  return lines.map((line) => lexLine(syntax, line, state));
}

function lexLine(syntax: Syntax, line: string, state: State): Span[] {
  const spans: Span[] = [];
  let i = 0;
  let spanStart = 0;
  let lastSignificant = '';
  const n = line.length;

  const enterString = (quote: Quote, at: number) => {
    state.quote = quote;
    spanStart = at;
  };

  while (i < n) {
    if (state.block) {
      const close = state.block.close;
      const at = close === '=end' ? (line.startsWith('=end') ? 0 : -1) : line.indexOf(close, i);
      if (at < 0) {
        spans.push({ start: spanStart, end: n, kind: 'comment' });
        return spans;
      }
      spans.push({ start: spanStart, end: at + close.length, kind: 'comment' });
      i = at + close.length;
      state.block = null;
      continue;
    }
    if (state.quote) {
      const q = state.quote;
      const ch = line[i]!;
      if (q.escape && ch === '\\') {
        i += 2;
        continue;
      }
      if (q.interpolation && line.startsWith(q.interpolation, i)) {
        spans.push({ start: spanStart, end: i, kind: 'string' });
        state.interpolations.push(0);
        state.quote = null;
        i += q.interpolation.length;
        lastSignificant = '{';
        continue;
      }
      if (line.startsWith(q.close, i)) {
        i += q.close.length;
        spans.push({ start: spanStart, end: i, kind: 'string' });
        state.quote = null;
        lastSignificant = 'x';
        continue;
      }
      i++;
      continue;
    }
    // code
    const ch = line[i]!;
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    if (!openers(syntax).has(ch)) {
      lastSignificant = ch;
      i++;
      continue;
    }
    const block = syntax.blockComments.find((b) => line.startsWith(b.open, i) && (!b.atLineStart || i === 0));
    if (block) {
      state.block = { close: block.close };
      spanStart = i;
      i += block.open.length;
      continue;
    }
    const lineComment = syntax.lineComments.find(
      (c) => line.startsWith(c, i) && (!syntax.commentAfterSpace || i === 0 || /[\s;|&(]/.test(line[i - 1]!)),
    );
    if (lineComment) {
      spans.push({ start: i, end: n, kind: 'comment' });
      return spans;
    }
    if (state.interpolations.length > 0 && (ch === '{' || ch === '}')) {
      const top = state.interpolations.length - 1;
      if (ch === '{') state.interpolations[top]!++;
      else if (state.interpolations[top] === 0) {
        // back into the template literal this `${` came from
        state.interpolations.pop();
        enterString(syntax.quotes.find((q) => q.interpolation)!, i + 1);
        i++;
        continue;
      } else state.interpolations[top]!--;
    }
    const quote = syntax.quotes.find((q) => line.startsWith(q.open, i));
    if (quote) {
      enterString(quote, i);
      i += quote.open.length;
      continue;
    }
    if (syntax.regexLiterals && ch === '/' && startsRegex(line, i, lastSignificant)) {
      const end = regexEnd(line, i);
      if (end > 0) {
        spans.push({ start: i, end, kind: 'string' });
        i = end;
        lastSignificant = 'x';
        continue;
      }
    }
    lastSignificant = ch;
    i++;
  }
  if (state.quote) {
    if (state.quote.multiline) spans.push({ start: spanStart, end: n, kind: 'string' });
    // An unclosed one-line quote was no string (a Rust lifetime, an apostrophe the lexer misread): code after all.
    else state.quote = null;
  }
  if (state.block) spans.push({ start: spanStart, end: n, kind: 'comment' });
  return spans;
}

const firstChars = new WeakMap<Syntax, Set<string>>();

/** The characters that may start something other than plain code; every other character is skipped at once. */
function openers(syntax: Syntax): Set<string> {
  let set = firstChars.get(syntax);
  if (!set) {
    const all = [...syntax.lineComments, ...syntax.blockComments.map((b) => b.open), ...syntax.quotes.map((q) => q.open), '{', '}'];
    set = new Set(all.map((s) => s[0]!));
    if (syntax.regexLiterals) set.add('/');
    firstChars.set(syntax, set);
  }
  return set;
}

function startsRegex(line: string, at: number, lastSignificant: string): boolean {
  const next = line[at + 1];
  if (next === '/' || next === '*' || next === undefined) return false;
  if (REGEX_AFTER.has(lastSignificant)) return true;
  return REGEX_AFTER_WORD.test(line.slice(Math.max(0, at - 12), at).trimEnd());
}

/** Longer regex literals are taken for divisions: an unbounded look-ahead from every `/` would be quadratic. */
const MAX_REGEX = 1000;

/** The end of a regex literal starting at `at` (after its flags), or -1 when it does not close soon on this line. */
function regexEnd(line: string, at: number): number {
  let inClass = false;
  const limit = Math.min(line.length, at + MAX_REGEX);
  for (let i = at + 1; i < limit; i++) {
    const ch = line[i];
    if (ch === '\\') i++;
    else if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    else if (ch === '/' && !inClass) {
      let end = i + 1;
      while (end < line.length && /[a-z]/.test(line[end]!)) end++;
      return end;
    }
  }
  return -1;
}

/**
 * The region of the column: 'comment', 'string', or null for code. Spans are sorted and disjoint, so a bisection
 * finds it: a minified line holds thousands of spans and a rule may ask about hundreds of matches on it.
 */
export function regionAt(spans: readonly Span[], column: number): Region | null {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.end <= column) lo = mid + 1;
    else hi = mid;
  }
  const span = spans[lo];
  return span && span.start <= column ? span.kind : null;
}

/**
 * Does a hunk whose new-side text is `lines` begin inside a block comment? Yes when a comment's close appears
 * before any opening: the hunk starts in the middle of a doc comment.
 */
export function startsInBlockComment(syntax: Syntax, lines: readonly string[]): boolean {
  const block = syntax.blockComments.find((b) => !b.atLineStart);
  if (!block) return false;
  for (const line of lines) {
    const close = line.indexOf(block.close);
    const open = line.indexOf(block.open);
    if (close >= 0 && (open < 0 || close < open)) return true;
    if (open >= 0) return false;
  }
  return false;
}
