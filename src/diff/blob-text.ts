// What the built-in rules read of a file that git's diff shows only as "Binary files differ": a `-diff` or `binary`
// attribute, a `diff.<driver>.binary` setting or one NUL byte is enough for that, and a key in such a file would
// otherwise be committed unread. Built from the file's blobs; used by the rules only, never sent to a model.

import type { DiffFile, DiffLine } from '../types.js';

/** Printable runs shorter than this in a real binary are noise (what `strings` does, with a longer minimum). */
const MIN_RUN = 8;
/** A blob is text when at least this share of its characters are printable or whitespace (NULs aside). */
const TEXT_SHARE = 0.95;

export interface BlobText {
  /** The file as the rules read it: its added lines as one hunk, `binary: false`. */
  file: DiffFile;
  /** True for a real binary, read as printable runs: only the secret rules apply to it. */
  strings: boolean;
}

/**
 * The lines (or, for a real binary, the printable runs) of the new blob that the old blob does not have, as added
 * lines at their line numbers in the new blob. A line the old side already had was reviewed when it was added.
 */
export function blobText(file: DiffFile, oldBlob: Buffer | null, newBlob: Buffer): BlobText {
  const strings = utf16Of(newBlob) === null && !looksLikeText(newBlob);
  const read = strings ? printableRuns : textLines;
  const before = new Set(oldBlob ? read(oldBlob).map((l) => l.text) : []);
  const lines: DiffLine[] = read(newBlob)
    .filter((l) => !before.has(l.text))
    .map((l) => ({ kind: 'add', text: l.text, newLine: l.line }));
  const first = lines[0]?.newLine ?? 1;
  return {
    strings,
    file: {
      ...file,
      binary: false,
      hunks: lines.length === 0 ? [] : [{ oldStart: 0, oldLines: 0, newStart: first, newLines: lines.length, heading: '', lines }],
      added: lines.length,
    },
  };
}

/**
 * True for a file the rules read from its blobs and no model is sent: one git's diff calls binary, or one it gave as
 * text although its lines hold NUL bytes. A `diff` attribute (which the change itself can set) makes git show even
 * UTF-16 as text, a NUL between every two characters, where no rule would match a key.
 */
export function readAsBinary(file: DiffFile): boolean {
  return file.binary || file.hunks.some((hunk) => hunk.lines.some((line) => line.text.includes('\0')));
}

interface NumberedText {
  line: number;
  text: string;
}

/** A source file with a NUL byte (or other stray control bytes) is still a source file. */
export function looksLikeText(blob: Buffer): boolean {
  const text = blob.toString('utf8');
  let printable = 0;
  let counted = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) continue;
    counted++;
    if (c === 9 || c === 10 || c === 13 || (c >= 32 && c !== 127 && c !== 0xfffd)) printable++;
  }
  return counted === 0 || printable / counted >= TEXT_SHARE;
}

/**
 * Which UTF-16 a blob is written in, or null. Windows PowerShell 5 writes UTF-16LE with `>` and Out-File, and so do
 * .reg exports and some resource files; git calls them binary (NUL bytes), and read as UTF-8 their every other byte
 * is a NUL, so no rule would match a key in them. A BOM says so; without one, text in the Latin range shows it by
 * NULs in (nearly) every odd byte, or every even byte for big-endian, and (nearly) none in the others.
 */
export function utf16Of(blob: Buffer): 'utf-16le' | 'utf-16be' | null {
  if (blob.length < 2 || blob.length % 2 !== 0) return null;
  if (blob[0] === 0xff && blob[1] === 0xfe) return 'utf-16le';
  if (blob[0] === 0xfe && blob[1] === 0xff) return 'utf-16be';
  const pairs = Math.min(blob.length, 8192) / 2;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (blob[i] === 0) evenNul++;
    if (blob[i + 1] === 0) oddNul++;
  }
  if (oddNul >= pairs * 0.9 && evenNul <= pairs * 0.05) return 'utf-16le';
  if (evenNul >= pairs * 0.9 && oddNul <= pairs * 0.05) return 'utf-16be';
  return null;
}

/** The blob's text: UTF-16 decoded as such (its BOM dropped), anything else as UTF-8. */
function decodeText(blob: Buffer): string {
  const utf16 = utf16Of(blob);
  if (utf16 === null) return blob.toString('utf8');
  // Big-endian swapped to little: Node's own decoder reads only UTF-16LE without full ICU.
  return utf16le.decode(utf16 === 'utf-16be' ? Buffer.from(blob).swap16() : blob);
}

const utf16le = new TextDecoder('utf-16le');

function textLines(blob: Buffer): NumberedText[] {
  const lines = decodeText(blob).split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((text, i) => ({ line: i + 1, text: text.endsWith('\r') ? text.slice(0, -1) : text }));
}

/** Runs of printable ASCII (and tabs), each numbered by the newline bytes before it. */
function printableRuns(blob: Buffer): NumberedText[] {
  const runs: NumberedText[] = [];
  let line = 1;
  let start = -1;
  for (let i = 0; i <= blob.length; i++) {
    const b = i < blob.length ? blob[i]! : 0;
    const printable = b === 9 || (b >= 32 && b < 127);
    if (printable) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && i - start >= MIN_RUN) runs.push({ line, text: blob.toString('latin1', start, i) });
    start = -1;
    if (b === 10) line++;
  }
  return runs;
}
