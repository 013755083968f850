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
  const strings = !looksLikeText(newBlob);
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

function textLines(blob: Buffer): NumberedText[] {
  const lines = blob.toString('utf8').split('\n');
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
