// DiffFiles written the way a diff reads ('+added', '-removed', ' context'), for the fix tests: no git needed.
import type { DiffFile, DiffLine, FileStatus, Hunk } from '../../src/types.js';

export interface HunkSpec {
  oldStart: number;
  newStart: number;
  lines: string[];
}

export function diffFile(path: string, hunks: HunkSpec[], status: FileStatus = 'modified'): DiffFile {
  const made = hunks.map(makeHunk);
  const all = made.flatMap((h) => h.lines);
  return {
    path,
    status,
    binary: false,
    hunks: made,
    added: all.filter((l) => l.kind === 'add').length,
    removed: all.filter((l) => l.kind === 'del').length,
  };
}

/** A file added whole: every line of `content` an added line. */
export function addedFile(path: string, content: string): DiffFile {
  const body = content.endsWith('\n') ? content.slice(0, -1) : content;
  const file = diffFile(path, [{ oldStart: 0, newStart: 1, lines: body.split('\n').map((l) => `+${l}`) }], 'added');
  if (!content.endsWith('\n')) file.hunks[0]!.lines.at(-1)!.noNewline = true;
  return file;
}

function makeHunk(spec: HunkSpec): Hunk {
  let oldLine = spec.oldStart;
  let newLine = spec.newStart;
  const lines = spec.lines.map((raw): DiffLine => {
    const text = raw.slice(1);
    if (raw[0] === '+') return { kind: 'add', text, newLine: newLine++ };
    if (raw[0] === '-') return { kind: 'del', text, oldLine: oldLine++ };
    return { kind: 'context', text, oldLine: oldLine++, newLine: newLine++ };
  });
  return {
    oldStart: spec.oldStart,
    oldLines: lines.filter((l) => l.kind !== 'add').length,
    newStart: spec.newStart,
    newLines: lines.filter((l) => l.kind !== 'del').length,
    heading: '',
    lines,
  };
}
