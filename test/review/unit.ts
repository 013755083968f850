// Builds ReviewUnits from small hunks written the way a diff reads: '+added', '-removed', ' context'. Line numbers
// are counted from each hunk's starts, and `text` is rendered in the format src/diff/render.ts produces, so the
// review tests need neither git nor the diff module.

import { createHash } from 'node:crypto';
import type { DiffLine, FileStatus, Hunk, ReviewUnit, UnitFile } from '../../src/types.js';

export interface HunkSpec {
  oldStart: number;
  newStart: number;
  heading?: string;
  /** Each entry starts with '+', '-' or ' '. */
  lines: string[];
}

export interface FileSpec {
  path: string;
  status?: FileStatus;
  oldPath?: string;
  part?: { index: number; total: number };
  hunks: HunkSpec[];
}

export function makeUnit(files: FileSpec[]): ReviewUnit {
  const unitFiles = files.map(makeFile);
  const text = renderUnitText(unitFiles);
  return {
    id: createHash('sha256').update(text).digest('hex').slice(0, 16),
    files: unitFiles,
    text,
    tokens: Math.ceil(text.length / 4),
  };
}

/** Shorthand for the common case: one modified file, one hunk. */
export function oneHunkUnit(path: string, oldStart: number, newStart: number, lines: string[]): ReviewUnit {
  return makeUnit([{ path, hunks: [{ oldStart, newStart, lines }] }]);
}

function makeFile(spec: FileSpec): UnitFile {
  const file: UnitFile = { path: spec.path, status: spec.status ?? 'modified', hunks: spec.hunks.map(makeHunk) };
  if (spec.oldPath !== undefined) file.oldPath = spec.oldPath;
  if (spec.part !== undefined) file.part = spec.part;
  return file;
}

function makeHunk(spec: HunkSpec): Hunk {
  let oldLine = spec.oldStart;
  let newLine = spec.newStart;
  const lines = spec.lines.map((raw): DiffLine => {
    const marker = raw[0];
    const text = raw.slice(1);
    if (marker === '+') return { kind: 'add', text, newLine: newLine++ };
    if (marker === '-') return { kind: 'del', text, oldLine: oldLine++ };
    if (marker === ' ') return { kind: 'context', text, oldLine: oldLine++, newLine: newLine++ };
    throw new Error(`hunk line must start with '+', '-' or ' ': ${JSON.stringify(raw)}`);
  });
  return {
    oldStart: spec.oldStart,
    oldLines: lines.filter((l) => l.kind !== 'add').length,
    newStart: spec.newStart,
    newLines: lines.filter((l) => l.kind !== 'del').length,
    heading: spec.heading ?? '',
    lines,
  };
}

function renderUnitText(files: UnitFile[]): string {
  return files.map(renderFile).join('\n\n');
}

function renderFile(file: UnitFile): string {
  const notes: string[] = [file.status];
  if (file.oldPath !== undefined) notes.push(`from ${file.oldPath}`);
  if (file.part !== undefined) notes.push(`part ${file.part.index} of ${file.part.total}`);
  const out = [`File: ${file.path} (${notes.join(', ')})`];
  for (const h of file.hunks) {
    const heading = h.heading === '' ? '' : ` ${h.heading}`;
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@${heading}`);
    for (const l of h.lines) {
      const marker = l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' ';
      out.push(`${String(l.newLine ?? '').padStart(4)} ${marker} ${l.text}`);
    }
  }
  return out.join('\n');
}

/**
 * Every (file, line) a model finding may land on: added lines, and in a hunk that only deletes, a new-side line
 * next to the removed lines (or the header's new start, at least 1, when the hunk shows no new-side line).
 */
export function commentableLines(unit: ReviewUnit): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const f of unit.files) {
    const set = out.get(f.path) ?? new Set<number>();
    if (f.status !== 'deleted') for (const h of f.hunks) for (const n of hunkAnchors(h)) set.add(n);
    out.set(f.path, set);
  }
  return out;
}

function hunkAnchors(h: Hunk): number[] {
  const added = h.lines.filter((l) => l.kind === 'add').map((l) => l.newLine as number);
  if (added.length > 0 || !h.lines.some((l) => l.kind === 'del')) return added;
  const nextToDeletion = h.lines
    .filter((l, i) => l.kind === 'context' && (h.lines[i - 1]?.kind === 'del' || h.lines[i + 1]?.kind === 'del'))
    .map((l) => l.newLine as number);
  return nextToDeletion.length > 0 ? nextToDeletion : [Math.max(1, h.newStart)];
}
