import type { DiffFile, DiffLine } from '../types.js';

/** A file's whole content as if newly added, so `review FILE` and `baseline --all` run the same pipeline. */
export function wholeFileDiff(path: string, content: string): DiffFile {
  const binary = content.includes('\0');
  const crlf = content.includes('\r\n');
  const raw = content.endsWith('\n') ? content.slice(0, -1) : content;
  const texts = binary || content === '' ? [] : raw.split('\n');
  const lines: DiffLine[] = texts.map((t, i) => ({ kind: 'add', text: crlf ? t.replace(/\r$/, '') : t, newLine: i + 1 }));
  if (lines.length > 0 && !content.endsWith('\n')) lines[lines.length - 1]!.noNewline = true;
  return {
    path,
    status: 'added',
    binary,
    ...(crlf ? { crlf } : {}),
    hunks: lines.length ? [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: lines.length, heading: '', lines }] : [],
    added: lines.length,
    removed: 0,
  };
}
