// Fixes as a unified diff in git's own format, so that `git apply` takes it: the patch `fix --dry-run` prints, each
// change `fix` shows before asking, and what it applies to the work tree. Three lines of context around each change
// are what `git apply` matches, so a fix is refused (stale) when the work tree differs from the staged content in the
// fixed lines or right next to them, and found again when lines elsewhere moved it.

import { createHash } from 'node:crypto';
import type { Fix } from '../types.js';
import { applyFixes, replacementLines, splitLines, type Line } from './lines.js';

const CONTEXT_LINES = 3;

export interface PatchSource {
  /** Repo-relative, '/'-separated. */
  path: string;
  /** The index entry's mode (100644 or 100755). */
  mode: string;
  /** The staged blob's id: its length says SHA-1 or SHA-256, and the new id is computed the same way. */
  oid: string;
  content: string;
}

interface Op {
  kind: ' ' | '-' | '+';
  line: Line;
}

/** The patch that turns the staged content into the content with `fixes` applied (non-overlapping, checked). */
export function buildPatch(source: PatchSource, fixes: readonly Fix[]): string {
  const after = applyFixes(source.content, fixes);
  const ops = editScript(splitLines(source.content), splitLines(after), [...fixes].sort((a, b) => a.startLine - b.startLine));
  const header = [
    `diff --git ${quotePath(`a/${source.path}`)} ${quotePath(`b/${source.path}`)}`,
    `index ${source.oid.slice(0, 12)}..${blobId(after, source.oid).slice(0, 12)} ${source.mode}`,
    `--- ${quotePath(`a/${source.path}`)}`,
    `+++ ${quotePath(`b/${source.path}`)}`,
  ];
  return `${[...header, ...hunks(ops)].join('\n')}\n`;
}

/**
 * Old and new lines walked together: the fixed ranges as removed and added lines, everything else the same (a fix
 * keeps every other line's terminator: see applyFixes).
 */
function editScript(before: Line[], after: Line[], fixes: Fix[]): Op[] {
  const ops: Op[] = [];
  let oldAt = 0;
  let newAt = 0;
  for (const fix of fixes) {
    for (; oldAt < fix.startLine - 1; oldAt++, newAt++) ops.push({ kind: ' ', line: after[newAt]! });
    for (; oldAt < fix.endLine; oldAt++) ops.push({ kind: '-', line: before[oldAt]! });
    for (let n = replacementLines(fix.replacement).length; n > 0; n--) ops.push({ kind: '+', line: after[newAt++]! });
  }
  for (; oldAt < before.length; oldAt++) ops.push({ kind: ' ', line: before[oldAt]! });
  return ops;
}

/** The changes grouped into hunks with CONTEXT_LINES of context, merged where their context meets. */
function hunks(ops: Op[]): string[] {
  const changed = ops.flatMap((op, i) => (op.kind === ' ' ? [] : [i]));
  const out: string[] = [];
  let i = 0;
  while (i < changed.length) {
    let last = changed[i]!;
    let j = i + 1;
    while (j < changed.length && changed[j]! - last <= 2 * CONTEXT_LINES + 1) last = changed[j++]!;
    const from = Math.max(0, changed[i]! - CONTEXT_LINES);
    const to = Math.min(ops.length - 1, last + CONTEXT_LINES);
    out.push(...hunk(ops, from, to));
    i = j;
  }
  return out;
}

function hunk(ops: Op[], from: number, to: number): string[] {
  const before = ops.slice(0, from);
  const oldStart = before.filter((o) => o.kind !== '+').length + 1;
  const newStart = before.filter((o) => o.kind !== '-').length + 1;
  const body = ops.slice(from, to + 1);
  const oldCount = body.filter((o) => o.kind !== '+').length;
  const newCount = body.filter((o) => o.kind !== '-').length;
  const lines = [`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`];
  for (const op of body) {
    lines.push(`${op.kind}${op.line.text}${op.line.eol === '\r\n' ? '\r' : ''}`);
    if (op.line.eol === '') lines.push('\\ No newline at end of file');
  }
  return lines;
}

/** git's "start,count": an empty range starts at the line before it; a count of 1 is left out. */
function range(start: number, count: number): string {
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}

function blobId(content: string, like: string): string {
  const bytes = Buffer.from(content, 'utf8');
  const algorithm = like.length === 64 ? 'sha256' : 'sha1';
  return createHash(algorithm).update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

const ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };

/**
 * A path as git writes it in a patch: as it is when plain, else in double quotes with C escapes and every byte of
 * a non-ASCII name in octal (git's quote.c with core.quotePath), so no name can break the header it sits in.
 */
export function quotePath(name: string): string {
  const bytes = Buffer.from(name, 'utf8');
  if (!bytes.some((b) => b < 0x20 || b === 0x7f || b === 34 || b === 92 || b >= 0x80)) return name;
  let out = '"';
  for (const b of bytes) {
    if (ESCAPES[b] !== undefined) out += ESCAPES[b];
    else if (b < 0x20 || b >= 0x7f) out += `\\${b.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `${out}"`;
}
