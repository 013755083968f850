// Placing a model's finding on the diff: which file of the unit it names, and which changed line it may be shown
// against. A line cited a few lines off is moved to the nearest changed line; anything else is refused with a reason.
import type { Hunk, ReviewUnit } from '../types.js';

/** How far (in lines) outside the diff a cited line may be and still be moved to the nearest changed line. */
const NEAR = 3;

export interface FileIndex {
  path: string;
  oldPath?: string;
  deleted: boolean;
  /** Lines a finding may point at, ascending: added lines, and one line per hunk that only deletes. */
  anchors: number[];
  /** New-side range each hunk shows, to bound endLine and accept lines cited from context. */
  ranges: Array<{ first: number; last: number }>;
  newText: Map<number, string>;
}

/** One entry per path: a unit may in principle carry several parts of one file. */
export function indexFiles(unit: ReviewUnit): FileIndex[] {
  const byPath = new Map<string, FileIndex>();
  for (const uf of unit.files) {
    let index = byPath.get(uf.path);
    if (index === undefined) {
      index = { path: uf.path, deleted: uf.status === 'deleted', anchors: [], ranges: [], newText: new Map() };
      if (uf.oldPath !== undefined) index.oldPath = uf.oldPath;
      byPath.set(uf.path, index);
    }
    for (const hunk of uf.hunks) addHunk(index, hunk);
  }
  for (const index of byPath.values()) index.anchors = [...new Set(index.anchors)].sort((a, b) => a - b);
  return [...byPath.values()];
}

function addHunk(index: FileIndex, hunk: Hunk): void {
  const shown: number[] = [];
  for (const l of hunk.lines) {
    if (l.newLine === undefined || l.kind === 'del') continue;
    shown.push(l.newLine);
    index.newText.set(l.newLine, l.text);
    if (l.kind === 'add') index.anchors.push(l.newLine);
  }
  const added = hunk.lines.some((l) => l.kind === 'add');
  const anchor = added ? undefined : deletionAnchor(hunk);
  if (anchor !== undefined) {
    index.anchors.push(anchor);
    shown.push(anchor);
  }
  if (shown.length > 0) index.ranges.push({ first: Math.min(...shown), last: Math.max(...shown) });
}

/**
 * Where a hunk that only deletes is commented on: the new-side line right after the removed lines (where they
 * were), else the one right before, else the header's new start. This is closer than the header's start, which
 * sits `contextLines` above the deletion.
 */
function deletionAnchor(hunk: Hunk): number | undefined {
  const firstDel = hunk.lines.findIndex((l) => l.kind === 'del');
  if (firstDel === -1) return undefined;
  const after = hunk.lines.slice(firstDel).find((l) => l.newLine !== undefined);
  const before = hunk.lines.slice(0, firstDel).reverse().find((l) => l.newLine !== undefined);
  return after?.newLine ?? before?.newLine ?? Math.max(1, hunk.newStart);
}

export function resolveFile(name: string | undefined, files: FileIndex[]): FileIndex | { reason: string } {
  if (name === undefined) {
    // With one file in the unit there is nothing to guess.
    return files.length === 1 && files[0] ? files[0] : { reason: 'no file named' };
  }
  const exact = files.find((f) => f.path === name || f.oldPath === name);
  if (exact) return exact;
  const cleaned = name.replace(/\\/g, '/').replace(/^(?:\.\/|[ab]\/)+/, '');
  const same = files.filter((f) => f.path === cleaned || f.oldPath === cleaned);
  const matches = same.length > 0 ? same : files.filter((f) => suffixMatch(f.path, cleaned));
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length > 1) return { reason: `file ${name} matches several files in the diff` };
  return { reason: `file ${name} is not in the diff` };
}

/** One path ends with the other at a "/" boundary: "app.ts" ~ "src/app.ts", "/abs/repo/src/app.ts" ~ "src/app.ts". */
function suffixMatch(path: string, cited: string): boolean {
  return cited !== '' && (path.endsWith(`/${cited}`) || cited.endsWith(`/${path}`));
}

export function locate(file: FileIndex, line: number): { line: number; hunkLast: number } | { reason: string } {
  if (file.deleted) return { reason: `${file.path} is deleted: there is no new line to comment on` };
  const target = nearest(file.anchors, line);
  if (target === undefined) return { reason: `${file.path} has no changed lines in this part of the diff` };
  const shown = file.ranges.some((r) => line >= r.first && line <= r.last);
  if (!shown && Math.abs(line - target) > NEAR) return { reason: `line ${line} of ${file.path} is not in the diff` };
  const hunk = file.ranges.find((r) => target >= r.first && target <= r.last);
  return { line: target, hunkLast: hunk?.last ?? target };
}

/** The anchor closest to `line`; on a tie, the earlier one. */
function nearest(sorted: number[], line: number): number | undefined {
  let best: number | undefined;
  for (const n of sorted) {
    if (best === undefined || Math.abs(n - line) < Math.abs(best - line)) best = n;
  }
  return best;
}
