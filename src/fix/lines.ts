// A file as lines with their own terminators, and fixes applied to it. Each line keeps the terminator it had ("\n",
// "\r\n", or none for a last line without one), so a fix changes only the lines it names: a CRLF file stays CRLF, a
// file without a final newline keeps that, and mixed endings elsewhere are left as they were.

import type { Fix } from '../types.js';

export interface Line {
  /** Without its terminator. */
  text: string;
  /** "\n", "\r\n", or "" for a last line without one. */
  eol: string;
}

export function splitLines(content: string): Line[] {
  const lines: Line[] = [];
  let at = 0;
  while (at < content.length) {
    const nl = content.indexOf('\n', at);
    if (nl < 0) {
      lines.push({ text: content.slice(at), eol: '' });
      break;
    }
    const crlf = nl > at && content.charCodeAt(nl - 1) === 13;
    lines.push({ text: content.slice(at, crlf ? nl - 1 : nl), eol: crlf ? '\r\n' : '\n' });
    at = nl + 1;
  }
  return lines;
}

export function joinLines(lines: readonly Line[]): string {
  return lines.map((l) => l.text + l.eol).join('');
}

/** The lines a replacement holds: '' holds none; otherwise one per "\n", a missing final "\n" allowed. */
export function replacementLines(replacement: string): string[] {
  if (replacement === '') return [];
  const body = replacement.endsWith('\n') ? replacement.slice(0, -1) : replacement;
  return body.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** The canonical form of a replacement: each line ending in "\n", '' for none. */
export function canonicalReplacement(replacement: string): string {
  return replacementLines(replacement)
    .map((l) => `${l}\n`)
    .join('');
}

/** The canonical text of lines, each ending in "\n" except a last line of the file that had none. */
export function linesText(lines: readonly Line[]): string {
  return lines.map((l) => (l.eol === '' ? l.text : `${l.text}\n`)).join('');
}

/** "line 3" or "lines 3-5", as every message about a fix names its lines. */
export function lineRange(start: number, end: number): string {
  return start === end ? `line ${start}` : `lines ${start}-${end}`;
}

export class OverlappingFixesError extends Error {
  constructor(readonly a: Fix, readonly b: Fix) {
    super(`fixes for lines ${a.startLine}-${a.endLine} and ${b.startLine}-${b.endLine} overlap`);
  }
}

/** True when the two fixes change a line in common. */
export function overlaps(a: Fix, b: Fix): boolean {
  return a.startLine <= b.endLine && b.startLine <= a.endLine;
}

/**
 * `content` with every fix applied. Line numbers are those of `content`, so the fixes are independent of one another
 * and of the order they come in; overlapping fixes are an error (the caller chooses which one to keep). New lines
 * take the terminator of the lines they replace; the last one that of the last line replaced.
 */
export function applyFixes(content: string, fixes: readonly Fix[]): string {
  const lines = splitLines(content);
  const sorted = [...fixes].sort((a, b) => b.startLine - a.startLine);
  for (let i = 1; i < sorted.length; i++) {
    if (overlaps(sorted[i - 1]!, sorted[i]!)) throw new OverlappingFixesError(sorted[i]!, sorted[i - 1]!);
  }
  const usual = lines.find((l) => l.eol !== '')?.eol ?? '\n';
  for (const fix of sorted) {
    if (fix.startLine < 1 || fix.endLine < fix.startLine || fix.endLine > lines.length) {
      throw new RangeError(`lines ${fix.startLine}-${fix.endLine} are not in a file of ${lines.length} lines`);
    }
    const replaced = lines.slice(fix.startLine - 1, fix.endLine);
    const eol = replaced[0]?.eol || usual;
    const last = replaced[replaced.length - 1]?.eol ?? eol;
    const texts = replacementLines(fix.replacement);
    // An empty line is a line only with its terminator: as the file's last line it gets one.
    const added = texts.map((text, i) => ({ text, eol: i < texts.length - 1 ? eol : last || (text === '' ? usual : '') }));
    // Removing the unterminated last line leaves the line before it last; it keeps its own terminator.
    lines.splice(fix.startLine - 1, replaced.length, ...added);
  }
  return joinLines(lines);
}
