// Packs the selected files into review units that each fit the model's token budget. A file stays whole when it
// fits; a larger file is split at hunk boundaries, and a hunk larger than the budget at line boundaries. Every
// added and deleted line lands in exactly one unit; a line too long for any unit is cut, visibly, and reported.

import { ConfigError } from '../errors.js';
import type { DiffFile, DiffLine, Hunk, ReviewUnit, SkippedFile, UnitFile } from '../types.js';
import { contextView, topLevel } from './context.js';
import { localityGroups } from './locality.js';
import { Meter, pack, type Piece } from './pack.js';
import { fileHeader, hunkHeader, numberWidth, renderFile, renderLine } from './render.js';

export interface ChunkOptions {
  /** Most estimated tokens of one unit's text. */
  budget: number;
  model?: string;
}

export interface Chunking {
  units: ReviewUnit[];
  skipped: SkippedFile[];
}

export const TRUNCATED_REASON = 'line longer than the token budget (truncated)';
export const TOO_SMALL_REASON = 'token budget too small for even one line of this file';

/** Lines of the previous part repeated, as context, at the top of the next part of a split hunk. */
const OVERLAP_LINES = 3;

export function chunkDiff(files: DiffFile[], opts: ChunkOptions): Chunking {
  if (!Number.isFinite(opts.budget) || opts.budget < 1) {
    throw new ConfigError(`maxDiffTokens must be a positive number of tokens, got ${opts.budget}`, null, 'maxDiffTokens');
  }
  const meter = new Meter(opts.budget, opts.model);
  const skipped: SkippedFile[] = [];
  const groups = localityGroups(files.filter((f) => f.hunks.length > 0)).map((group) =>
    group.flatMap((file) => piecesOf(file, meter, skipped)),
  );
  return { units: pack(groups, meter), skipped };
}

// ---------- one file ----------

/** The file at the diff's own context; a whole file that has wider context to give carries it for pack(). */
function piecesOf(wide: DiffFile, meter: Meter, skipped: SkippedFile[]): Piece[] {
  const file = topLevel(wide) === 0 ? wide : { ...wide, hunks: contextView(wide, 0) };
  const whole = unitFile(file, file.hunks);
  const cost = meter.cost(renderFile(whole));
  if (cost <= meter.limit) return [{ file: whole, cost, ...(file !== wide ? { widen: { source: wide, level: 0 as const } } : {}) }];
  return splitFile(file, meter, skipped);
}

function unitFile(file: DiffFile, hunks: Hunk[], part?: UnitFile['part']): UnitFile {
  const out: UnitFile = { path: file.path, status: file.status, hunks };
  if (file.oldPath !== undefined) out.oldPath = file.oldPath;
  if (part) out.part = part;
  return out;
}

/**
 * Splits a file that does not fit into parts of whole hunks, splitting a hunk that alone does not fit. Costs are
 * reckoned with upper bounds (the widest line numbers of the file, a six-digit part count) so that the exact
 * rendering of each part, done last, can only be cheaper.
 */
function splitFile(file: DiffFile, meter: Meter, skipped: SkippedFile[]): Piece[] {
  const width = numberWidth(file.hunks);
  const headerCost = meter.cost(fileHeader({ ...file, part: { index: 999999, total: 999999 } }));
  const room = meter.limit - headerCost;
  const ctx: SplitContext = { meter, width, room, truncated: false };
  const segments: Segment[] = [];
  for (const hunk of file.hunks) {
    const cost = hunkCost(hunk, ctx);
    if (cost <= room) segments.push({ hunk, cost });
    else {
      const parts = splitHunk(hunk, ctx);
      if (parts === null) {
        skipped.push({ path: file.path, reason: TOO_SMALL_REASON });
        return [];
      }
      segments.push(...parts);
    }
  }
  if (ctx.truncated) skipped.push({ path: file.path, reason: TRUNCATED_REASON });

  const groups: Hunk[][] = [];
  let used = Infinity;
  for (const segment of segments) {
    if (used + segment.cost > room) {
      groups.push([]);
      used = 0;
    }
    groups[groups.length - 1]!.push(segment.hunk);
    used += segment.cost;
  }
  const pieces: Piece[] = [];
  groups.forEach((hunks, i) => {
    const part = unitFile(file, hunks, { index: i + 1, total: groups.length });
    const piece: Piece = { file: part, cost: meter.cost(renderFile(part)) };
    if (i > 0) piece.after = pieces[i - 1]!;
    pieces.push(piece);
  });
  return pieces;
}

interface SplitContext {
  meter: Meter;
  /** Line-number width of the whole file: at least that of any part. */
  width: number;
  /** Cost available to a part's hunks once the file header is paid. */
  room: number;
  truncated: boolean;
}

interface Segment {
  hunk: Hunk;
  /** Cost of the hunk's header and lines, each with the newline before it. */
  cost: number;
}

function hunkCost(hunk: Hunk, ctx: SplitContext): number {
  let cost = ctx.meter.newline + ctx.meter.cost(hunkHeader(hunk));
  for (const line of hunk.lines) cost += lineCost(line, ctx);
  return cost;
}

function lineCost(line: DiffLine, ctx: SplitContext): number {
  return ctx.meter.newline + ctx.meter.cost(renderLine(line, ctx.width));
}

// ---------- one hunk ----------

/**
 * Splits a hunk at line boundaries. Each later sub-hunk starts with up to OVERLAP_LINES lines that precede it on
 * the new side, shown as context, so the model sees where it is; the changed lines themselves are never repeated.
 * Returns null when not even one line fits.
 */
function splitHunk(hunk: Hunk, ctx: SplitContext): Segment[] | null {
  const headerBound = ctx.meter.newline + ctx.meter.cost(hunkHeader(largestSubHeader(hunk)));
  const lines = hunk.lines;
  const costs = lines.map((line) => lineCost(line, ctx));
  const position = startPosition(hunk);
  const segments: Segment[] = [];
  let next = 0;
  while (next < lines.length) {
    let overlap = overlapBefore(lines, next);
    let overlapCost = overlap.reduce((sum, line) => sum + lineCost(line, ctx), 0);
    if (headerBound + overlapCost + costs[next]! > ctx.room) {
      overlap = [];
      overlapCost = 0;
    }
    const at = { ...position };
    let taken: DiffLine[];
    if (headerBound + costs[next]! > ctx.room) {
      const cut = truncateLine(lines[next]!, ctx.room - headerBound, ctx);
      if (cut === null) return null;
      ctx.truncated = true;
      taken = [cut];
      advance(position, lines[next++]!);
    } else {
      let used = headerBound + overlapCost;
      const from = next;
      while (next < lines.length && used + costs[next]! <= ctx.room) {
        used += costs[next]!;
        advance(position, lines[next++]!);
      }
      taken = lines.slice(from, next);
    }
    const sub = subHunk(hunk.heading, [...overlap, ...taken], at);
    segments.push({ hunk: sub, cost: hunkCost(sub, ctx) });
  }
  return segments;
}

/** A header whose numbers are at least those of any sub-hunk's header, so it costs at least as much. */
function largestSubHeader(hunk: Hunk): Hunk {
  let oldMax = hunk.oldStart + hunk.oldLines;
  let newMax = hunk.newStart + hunk.newLines;
  let oldCount = hunk.oldLines;
  let newCount = hunk.newLines;
  let olds = 0;
  let news = 0;
  for (const line of hunk.lines) {
    if (line.oldLine !== undefined) {
      olds++;
      oldMax = Math.max(oldMax, line.oldLine + 1);
    }
    if (line.newLine !== undefined) {
      news++;
      newMax = Math.max(newMax, line.newLine + 1);
    }
  }
  oldCount = Math.max(oldCount, olds);
  newCount = Math.max(newCount, news);
  return { ...hunk, oldStart: oldMax, oldLines: oldCount, newStart: newMax, newLines: newCount };
}

/** The old- and new-side numbers the next line of the hunk would carry. */
interface Position {
  old: number;
  new: number;
}

function startPosition(hunk: Hunk): Position {
  // git names the line before an empty range ("-0,0", "+5,0"), so such a range's next line is start + 1.
  return {
    old: hunk.oldLines === 0 ? hunk.oldStart + 1 : hunk.oldStart,
    new: hunk.newLines === 0 ? hunk.newStart + 1 : hunk.newStart,
  };
}

function advance(position: Position, line: DiffLine): void {
  if (line.kind !== 'add') position.old++;
  if (line.kind !== 'del') position.new++;
}

/** The lines just before `index` that exist on the new side, as context lines. */
function overlapBefore(lines: readonly DiffLine[], index: number): DiffLine[] {
  const out: DiffLine[] = [];
  for (let i = index - 1; i >= 0 && out.length < OVERLAP_LINES; i--) {
    const line = lines[i]!;
    if (line.kind === 'context') out.unshift(line);
    else if (line.kind === 'add' && line.newLine !== undefined) {
      out.unshift({ kind: 'context', text: line.text, newLine: line.newLine });
    }
  }
  return out;
}

/**
 * A hunk of some of the original's lines. Its header counts the lines by the numbers they carry (an added line
 * repeated as context has a new-side number only), so the ranges describe exactly the lines shown. `at` is where
 * the first taken line sits, for a side with no lines at all.
 */
function subHunk(heading: string, lines: DiffLine[], at: Position): Hunk {
  let oldLines = 0;
  let newLines = 0;
  let oldStart: number | undefined;
  let newStart: number | undefined;
  for (const line of lines) {
    if (line.oldLine !== undefined) {
      oldStart ??= line.oldLine;
      oldLines++;
    }
    if (line.newLine !== undefined) {
      newStart ??= line.newLine;
      newLines++;
    }
  }
  return { oldStart: oldStart ?? at.old - 1, oldLines, newStart: newStart ?? at.new - 1, newLines, heading, lines };
}

/** The line cut short enough to fit `room` (its newline included), with a marker saying how much is missing. */
function truncateLine(line: DiffLine, room: number, ctx: SplitContext): DiffLine | null {
  const text = line.text;
  const cut = (length: number): DiffLine => ({
    ...line,
    text: `${text.slice(0, length)} … [line truncated: ${text.length - length} of ${text.length} characters not shown]`,
  });
  const fits = (length: number): boolean => lineCost(cut(length), ctx) <= room;
  if (!fits(0)) return null;
  let good = 0;
  let bad = text.length;
  while (bad - good > 1) {
    const mid = (good + bad) >>> 1;
    if (fits(mid)) good = mid;
    else bad = mid;
  }
  // Never split a surrogate pair.
  const code = text.charCodeAt(good - 1);
  if (good > 0 && code >= 0xd800 && code <= 0xdbff) good--;
  return cut(good);
}
