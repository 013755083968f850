// The wider context the reviewer model sees, in levels the chunker can give up one by one when a unit is tight:
//   0  the diff as git prints it (contextLines around each change): always sent;
//   1  near the change (15 lines before, 5 after) and the first line of the enclosing scope;
//   2  the enclosing function or block, as `git diff --function-context` shows it, capped at 60 lines before and 20
//      after each change (beyond that: the nearest lines, plus the scope's first line);
//   3  the declarations, elsewhere in the file, of names the changed lines use: a separate hunk, marked as such.
// `widenFile` marks each line with the level it is shown from (DiffLine.level); `contextView` cuts a file down to a
// level. Changed lines carry no level: no view drops one.

import type { ContextLevel, DiffFile, DiffLine, Hunk } from '../types.js';
import { findDeclarations, usedNames } from './declarations.js';

export interface ContextCaps {
  /** Lines kept before / after a change at level 2 (the scope). */
  before: number;
  after: number;
  /** Lines kept before / after a change at level 1. */
  nearBefore: number;
  nearAfter: number;
  /** Most declaration lines per file (level 3). */
  declarations: number;
}

export const DEFAULT_CAPS: ContextCaps = { before: 60, after: 20, nearBefore: 15, nearAfter: 5, declarations: 8 };

export const TOP_LEVEL: ContextLevel = 3;

/** The heading of a declarations hunk: the prompt tells the model what it means. */
export const DECLARATIONS_HEADING = '[declarations the change uses: context only]';

export interface WidenInput {
  /** The file as the review's diff shows it (contextLines around each change). */
  file: DiffFile;
  /** The same file from the function-context diff, when git gave one. */
  wide?: DiffFile;
  /** The whole new side, for declarations; absent for a deletion or an unreadable blob. */
  newText?: string;
  contextLines: number;
}

/** The file with wider context marked by level; the diff's own hunks when there is nothing to add. */
export function widenFile(input: WidenInput, caps: ContextCaps = DEFAULT_CAPS): DiffFile {
  const { file } = input;
  if (file.binary || file.submodule || file.hunks.length === 0) return file;
  // The function-context diff must show the very same changes; anything else (a damaged or raced read) is ignored.
  const base = input.wide && sameChanges(file, input.wide) ? input.wide.hunks : file.hunks;
  const headings = file.hunks.map((h) => h.heading.trim()).filter((h) => h.length >= 3);
  const hunks = base.flatMap((h) => capHunk(h, file.hunks, headings, input.contextLines, caps));
  let declarations: Hunk[] = [];
  if (input.newText !== undefined && file.status !== 'deleted' && caps.declarations > 0) {
    const shown = new Set(hunks.flatMap((h) => h.lines.map((l) => (l.kind === 'del' ? 0 : (l.newLine ?? 0)))));
    declarations = declarationHunks(input.newText, file.hunks, shown, caps.declarations);
  }
  if (declarations.length === 0 && hunks.every((h) => h.lines.every((l) => l.level === undefined))) return file;
  const ordered = [...hunks, ...declarations].sort((a, b) => firstNew(a) - firstNew(b));
  return { ...file, hunks: ordered };
}

/** The hunks of `file` as shown at `level`: lines of a higher level left out, a hunk split where they were. */
export function contextView(file: Pick<DiffFile, 'hunks'>, level: ContextLevel): Hunk[] {
  if (level >= TOP_LEVEL || !hasLevels(file)) return file.hunks;
  return file.hunks.flatMap((h) => splitHunk(h, (line) => (line.level ?? 0) <= level));
}

/** The highest level any line of the file is shown from: 0 when there is no wider context. */
export function topLevel(file: Pick<DiffFile, 'hunks'>): ContextLevel {
  let top: ContextLevel = 0;
  for (const h of file.hunks) for (const l of h.lines) if (l.level !== undefined && l.level > top) top = l.level;
  return top;
}

function hasLevels(file: Pick<DiffFile, 'hunks'>): boolean {
  return file.hunks.some((h) => h.lines.some((l) => l.level !== undefined));
}

// ---------- one hunk of the function-context diff ----------

/** The hunk with each context line marked, lines beyond every cap dropped, and each change's scope header kept. */
function capHunk(hunk: Hunk, diffHunks: readonly Hunk[], headings: readonly string[], floor: number, caps: ContextCaps): Hunk[] {
  const lines = hunk.lines;
  const since = distances(lines, 1);
  const until = distances(lines, -1);
  const levels: Array<ContextLevel | null> = lines.map((line, i) => {
    if (line.kind !== 'context') return 0;
    const after = since[i]!;
    const before = until[i]!;
    if (after <= floor || before <= floor) return 0;
    if (before <= caps.nearBefore || after <= caps.nearAfter) return 1;
    if (before <= caps.before || after <= caps.after) return 2;
    return null;
  });
  // The first line of each change's scope: its name and parameters say what the lines below belong to.
  for (let i = 0; i < lines.length; i++) {
    const startsRun = lines[i]!.kind !== 'context' && (i === 0 || lines[i - 1]!.kind === 'context');
    if (!startsRun) continue;
    const header = scopeHeader(lines, i, headings);
    if (header !== undefined && (levels[header] === null || levels[header]! > 1)) levels[header] = 1;
  }
  const marked = lines.map((line, i): DiffLine => {
    const level = levels[i];
    return level === null || level === 0 || level === undefined ? line : { ...line, level };
  });
  return splitHunk({ ...hunk, lines: marked }, (_, i) => levels[i] !== null).map((part) => ({
    ...part,
    heading: diffHeading(part, diffHunks) ?? hunk.heading,
  }));
}

/** For each context line, the context lines between it and the nearest change in direction `step`, plus one. */
function distances(lines: readonly DiffLine[], step: 1 | -1): number[] {
  const out = new Array<number>(lines.length).fill(Infinity);
  let count = Infinity;
  for (let k = 0; k < lines.length; k++) {
    const i = step === 1 ? k : lines.length - 1 - k;
    if (lines[i]!.kind !== 'context') count = 0;
    else out[i] = ++count;
  }
  return out;
}

/** The nearest context line above `run` that git named as a hunk's function heading, else the hunk's first line. */
function scopeHeader(lines: readonly DiffLine[], run: number, headings: readonly string[]): number | undefined {
  for (let i = run - 1; i >= 0; i--) {
    const text = lines[i]!.text.trimStart();
    if (lines[i]!.kind === 'context' && headings.some((h) => text.startsWith(h))) return i;
  }
  return lines[0]?.kind === 'context' ? 0 : undefined;
}

/** The heading git gave the diff hunk that holds this part's first change: the one the user's diff shows. */
function diffHeading(part: Hunk, diffHunks: readonly Hunk[]): string | undefined {
  const change = part.lines.find((l) => l.kind !== 'context');
  if (!change) return undefined;
  const holds = (h: Hunk) =>
    change.kind === 'add'
      ? h.lines.some((l) => l.kind === 'add' && l.newLine === change.newLine)
      : h.lines.some((l) => l.kind === 'del' && l.oldLine === change.oldLine);
  return diffHunks.find(holds)?.heading;
}

/**
 * The runs of lines `keep` accepts, each as a hunk whose ranges count exactly the lines it shows. A side with no
 * line in a run is numbered as git numbers an empty range: the line before it.
 */
function splitHunk(hunk: Hunk, keep: (line: DiffLine, index: number) => boolean): Hunk[] {
  const out: Hunk[] = [];
  let oldNext = hunk.oldLines === 0 ? hunk.oldStart + 1 : hunk.oldStart;
  let newNext = hunk.newLines === 0 ? hunk.newStart + 1 : hunk.newStart;
  let run: DiffLine[] = [];
  let at = { old: oldNext, new: newNext };
  const flush = () => {
    if (run.length > 0) out.push(rangeOf(hunk.heading, run, at));
    run = [];
  };
  hunk.lines.forEach((line, i) => {
    if (keep(line, i)) {
      if (run.length === 0) at = { old: oldNext, new: newNext };
      run.push(line);
    } else flush();
    if (line.kind !== 'add') oldNext++;
    if (line.kind !== 'del') newNext++;
  });
  flush();
  // Nothing dropped: the hunk itself, so an unchanged file keeps its very objects.
  return out.length === 1 && out[0]!.lines.length === hunk.lines.length ? [hunk] : out;
}

function rangeOf(heading: string, lines: DiffLine[], at: { old: number; new: number }): Hunk {
  const olds = lines.filter((l) => l.kind !== 'add').length;
  const news = lines.filter((l) => l.kind !== 'del').length;
  return {
    oldStart: olds === 0 ? at.old - 1 : at.old,
    oldLines: olds,
    newStart: news === 0 ? at.new - 1 : at.new,
    newLines: news,
    heading,
    lines,
  };
}

function firstNew(h: Hunk): number {
  return h.newLines === 0 ? h.newStart + 0.5 : h.newStart;
}

function sameChanges(a: DiffFile, b: DiffFile): boolean {
  const changes = (f: DiffFile) =>
    f.hunks
      .flatMap((h) => h.lines)
      .filter((l) => l.kind !== 'context')
      .map((l) => `${l.kind === 'add' ? `+${l.newLine}` : `-${l.oldLine}`}\0${l.text}`)
      .join('\n');
  return a.path === b.path && a.oldPath === b.oldPath && changes(a) === changes(b);
}

// ---------- declarations ----------

function declarationHunks(newText: string, diffHunks: readonly Hunk[], shown: ReadonlySet<number>, max: number): Hunk[] {
  const changed = diffHunks.flatMap((h) => h.lines.filter((l) => l.kind !== 'context'));
  const added = changed.filter((l) => l.kind === 'add').map((l) => l.text);
  const names = usedNames([...added, ...changed.filter((l) => l.kind === 'del').map((l) => l.text)]);
  if (names.length === 0) return [];
  const lines = newText.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const found = findDeclarations(lines, names, shown, max);
  const hunks: Hunk[] = [];
  for (const n of found) {
    const line: DiffLine = { kind: 'context', text: lines[n - 1]!, oldLine: oldLineOf(n, diffHunks), newLine: n, level: 3 };
    const last = hunks.at(-1);
    if (last && last.newStart + last.newLines === n) {
      last.lines.push(line);
      last.oldLines++;
      last.newLines++;
    } else {
      hunks.push({ oldStart: line.oldLine!, oldLines: 1, newStart: n, newLines: 1, heading: DECLARATIONS_HEADING, lines: [line] });
    }
  }
  return hunks;
}

/** The old-side number of unchanged new-side line `n`: shifted by every change above it. */
function oldLineOf(n: number, hunks: readonly Hunk[]): number {
  let shift = 0;
  for (const hunk of hunks) {
    let newNext = hunk.newLines === 0 ? hunk.newStart + 1 : hunk.newStart;
    for (const line of hunk.lines) {
      if (line.kind === 'add') {
        if (line.newLine! < n) shift--;
        newNext++;
      } else if (line.kind === 'del') {
        if (newNext <= n) shift++;
      } else newNext++;
    }
  }
  return n + shift;
}
