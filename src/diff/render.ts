// The exact text the model reads for a unit. The prompt writer and the findings parser rely on this format:
//
//   File: src/app.ts (modified)
//   @@ -10,6 +10,8 @@ function foo
//   10   const a = 1;
//   11 + const b = eval(x);
//      - const c = 2;
//
// Each line shows its new-side number (blank for deletions) right-aligned to the width of the largest new-side
// number in that file part, so the model can cite lines without counting. Files are separated by a blank line.

import type { DiffLine, Hunk, UnitFile } from '../types.js';
import { escapeControl } from './quote.js';

export function renderUnit(files: UnitFile[]): string {
  return files.map(renderFile).join('\n\n');
}

export function renderFile(file: UnitFile): string {
  const width = numberWidth(file.hunks);
  const out = [fileHeader(file)];
  for (const hunk of file.hunks) {
    out.push(hunkHeader(hunk));
    for (const line of hunk.lines) out.push(renderLine(line, width));
  }
  return out.join('\n');
}

export function fileHeader(file: Pick<UnitFile, 'path' | 'oldPath' | 'status' | 'part'>): string {
  let details: string = file.status;
  if (file.oldPath !== undefined) details += `, from ${escapeControl(file.oldPath)}`;
  if (file.part) details += `, part ${file.part.index} of ${file.part.total}`;
  // A file name may hold a newline; escaped, it cannot start a line that looks like part of the diff.
  return `File: ${escapeControl(file.path)} (${details})`;
}

export function hunkHeader(hunk: Hunk): string {
  const ranges = `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`;
  return hunk.heading === '' ? ranges : `${ranges} ${hunk.heading}`;
}

const MARKER = { add: '+', del: '-', context: ' ' } as const;

export function renderLine(line: DiffLine, width: number): string {
  const number = line.kind === 'del' || line.newLine === undefined ? '' : String(line.newLine);
  return `${number.padStart(width)} ${MARKER[line.kind]} ${line.text}`;
}

/** Digits of the largest new-side line number among the hunks (at least 1). */
export function numberWidth(hunks: readonly Hunk[]): number {
  let max = 0;
  for (const hunk of hunks) {
    for (const line of hunk.lines) if (line.kind !== 'del' && line.newLine !== undefined && line.newLine > max) max = line.newLine;
  }
  return String(max).length;
}
