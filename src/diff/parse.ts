// A unified-diff parser for what `git diff -M -C --submodule=short` prints, including combined diffs of merges
// (`diff --cc`), which are turned into the view against the first parent. Never throws: lines it does not
// recognise are skipped, so odd input yields fewer files, not a failed commit.

import type { DiffFile, DiffLine, FileStatus, Hunk } from '../types.js';
import { readQuoted, unquoteField } from './quote.js';

const CH_SPACE = 32;
const CH_PLUS = 43;
const CH_MINUS = 45;
const CH_AT = 64;
const CH_BACKSLASH = 92;
const CH_CR = 13;
const GITLINK_MODE = '160000';

export function parseDiff(text: string): DiffFile[] {
  const lines = text.split('\n');
  let end = lines.length;
  if (end > 0 && lines[end - 1] === '') end--;
  const files: DiffFile[] = [];
  let file: FileBuilder | null = null;
  let i = 0;
  while (i < end) {
    const line = lines[i]!;
    if (line.startsWith('diff ')) {
      if (file) files.push(file.finish());
      file = startFile(withoutCR(line));
      i++;
    } else if (file === null || file.inBinaryPatch) {
      // Before the first file (e.g. a commit header) or inside base85 data: nothing to read.
      i++;
    } else if (line.charCodeAt(0) === CH_AT && line.startsWith('@@')) {
      i = file.combined ? readCombinedHunk(lines, i, end, file) : readHunk(lines, i, end, file);
    } else {
      file.header(withoutCR(line));
      i++;
    }
  }
  if (file) files.push(file.finish());
  return files;
}

function withoutCR(line: string): string {
  return line.charCodeAt(line.length - 1) === CH_CR ? line.slice(0, -1) : line;
}

function startFile(line: string): FileBuilder | null {
  if (line.startsWith('diff --git ')) {
    const names = splitGitHeader(line.slice('diff --git '.length));
    return new FileBuilder(false, names.a, names.b);
  }
  const combined = /^diff --(?:cc|combined) (.*)$/.exec(line);
  if (combined) {
    const name = unquoteField(combined[1]!);
    return new FileBuilder(true, name, name);
  }
  return null;
}

// git drops the a/ b/ prefixes from nothing else, so they are stripped wherever a name carries one. The mnemonic
// prefixes (diff.mnemonicPrefix: c/ i/ w/ o/) are accepted as well.
function withoutPrefix(name: string): string {
  return name.length > 2 && name.charCodeAt(1) === 47 && 'abciwo'.includes(name[0]!) ? name.slice(2) : name;
}

/**
 * The two names of `diff --git a/x b/y`. Unquoted names may contain spaces, which makes the line ambiguous. Equal
 * halves settle it, and that is the only case git leaves without a rename, copy or ---/+++ line that names the
 * files exactly (those win in finish()); otherwise the split at " b/" is a best guess.
 */
function splitGitHeader(rest: string): { a: string; b: string } {
  if (rest.charCodeAt(0) === 34) {
    const first = readQuoted(rest, 0);
    if (first && rest.charCodeAt(first.end) === CH_SPACE) {
      return { a: withoutPrefix(first.value), b: withoutPrefix(unquoteField(rest.slice(first.end + 1))) };
    }
  }
  // An unquoted name never contains '"', so a quote starts the second (quoted) name.
  const quote = rest.indexOf(' "');
  if (quote > 0 && rest.endsWith('"')) {
    return { a: withoutPrefix(rest.slice(0, quote)), b: withoutPrefix(unquoteField(rest.slice(quote + 1))) };
  }
  if (rest.length % 2 === 1) {
    const half = (rest.length - 1) / 2;
    const a = withoutPrefix(rest.slice(0, half));
    if (rest.charCodeAt(half) === CH_SPACE && a === withoutPrefix(rest.slice(half + 1))) return { a, b: a };
  }
  const split = rest.search(/ [biw]\//);
  if (split > 0) return { a: withoutPrefix(rest.slice(0, split)), b: withoutPrefix(rest.slice(split + 1)) };
  return { a: withoutPrefix(rest), b: withoutPrefix(rest) };
}

/** The name on a ---/+++ line; null for /dev/null. */
function markerName(field: string): string | null {
  // git appends a tab to a name that contains a space (for GNU patch); a real trailing tab would be quoted.
  const name = field.endsWith('\t') ? field.slice(0, -1) : field;
  if (name === '/dev/null') return null;
  return withoutPrefix(unquoteField(name));
}

function isTypeChange(oldMode: string | undefined, newMode: string | undefined): boolean {
  // The mode's high digits are the object type (100 file, 120 symlink, 160 gitlink); the rest is permissions.
  return oldMode !== undefined && newMode !== undefined && oldMode.slice(0, 3) !== newMode.slice(0, 3);
}

class FileBuilder {
  minus: string | null | undefined;
  plus: string | null | undefined;
  renameFrom: string | undefined;
  renameTo: string | undefined;
  copyFrom: string | undefined;
  copyTo: string | undefined;
  isNew = false;
  isDeleted = false;
  oldMode: string | undefined;
  newMode: string | undefined;
  similarity: number | undefined;
  binary = false;
  submodule = false;
  inBinaryPatch = false;
  readonly hunks: Hunk[] = [];
  added = 0;
  removed = 0;
  /** CR-terminated lines on the side the file's path describes (new side, or old side of a deletion). */
  crNew = 0;
  crOld = 0;

  constructor(
    readonly combined: boolean,
    readonly headerA: string,
    readonly headerB: string,
  ) {}

  header(line: string): void {
    const space = line.indexOf(' ');
    const rest = line.slice(space + 1);
    switch (space < 0 ? line : line.slice(0, space)) {
      case '---':
        this.minus = markerName(rest);
        return;
      case '+++':
        this.plus = markerName(rest);
        return;
      case 'index': {
        // "index abc..def 100644": the trailing mode is printed when both sides share it.
        const mode = rest.split(' ')[1];
        if (mode === GITLINK_MODE) this.submodule = true;
        return;
      }
      case 'similarity':
        if (rest.startsWith('index ')) this.similarity = parseInt(rest.slice(6), 10);
        return;
      case 'GIT':
        if (rest === 'binary patch') {
          this.binary = true;
          this.inBinaryPatch = true;
        }
        return;
      case 'Binary':
        if (rest.startsWith('files ')) this.binary = true;
        return;
      case 'mode': {
        // Combined diff: "mode 100644,100644..100755"; the first parent's mode comes first.
        const modes = rest.split(/,|\.\./);
        this.setModes(modes[0], modes[modes.length - 1]);
        return;
      }
    }
    this.namedHeader(line);
  }

  private namedHeader(line: string): void {
    const after = (prefix: string): string | undefined =>
      line.startsWith(prefix) ? line.slice(prefix.length) : undefined;
    let value: string | undefined;
    if ((value = after('new file mode ')) !== undefined) {
      this.isNew = true;
      this.setModes(undefined, value);
    } else if ((value = after('deleted file mode ')) !== undefined) {
      this.isDeleted = true;
      this.setModes(value.split(',')[0], undefined);
    } else if ((value = after('old mode ')) !== undefined) this.setModes(value, undefined);
    else if ((value = after('new mode ')) !== undefined) this.setModes(undefined, value);
    else if ((value = after('rename from ') ?? after('rename old ')) !== undefined) this.renameFrom = unquoteField(value);
    else if ((value = after('rename to ') ?? after('rename new ')) !== undefined) this.renameTo = unquoteField(value);
    else if ((value = after('copy from ')) !== undefined) this.copyFrom = unquoteField(value);
    else if ((value = after('copy to ')) !== undefined) this.copyTo = unquoteField(value);
  }

  private setModes(oldMode: string | undefined, newMode: string | undefined): void {
    if (oldMode) this.oldMode = oldMode;
    if (newMode) this.newMode = newMode;
    if (oldMode === GITLINK_MODE || newMode === GITLINK_MODE) this.submodule = true;
  }

  finish(): DiffFile {
    const oldName = this.renameFrom ?? this.copyFrom ?? this.minus ?? this.headerA;
    const newName = this.renameTo ?? this.copyTo ?? this.plus ?? this.headerB;
    const status = this.status(oldName, newName);
    const file: DiffFile = {
      path: status === 'deleted' ? oldName : newName,
      status,
      binary: this.binary,
      hunks: this.hunks,
      added: this.added,
      removed: this.removed,
    };
    if (status === 'renamed' || status === 'copied') file.oldPath = oldName;
    if (this.submodule || this.looksLikeGitlink()) file.submodule = true;
    if (this.oldMode !== undefined) file.oldMode = this.oldMode;
    if (this.newMode !== undefined) file.newMode = this.newMode;
    if (this.similarity !== undefined && !Number.isNaN(this.similarity)) file.similarity = this.similarity;
    if ((status === 'deleted' ? this.crOld : this.crNew) > 0) file.crlf = true;
    return file;
  }

  private status(oldName: string, newName: string): FileStatus {
    if (this.isNew) return 'added';
    if (this.isDeleted) return 'deleted';
    if (this.renameFrom !== undefined) return 'renamed';
    if (this.copyFrom !== undefined) return 'copied';
    if (isTypeChange(this.oldMode, this.newMode)) return 'type-changed';
    // A combined diff has no rename lines; differing ---/+++ names are its only sign of a rename.
    if (this.combined && oldName !== newName) return 'renamed';
    return 'modified';
  }

  /** A gitlink whose mode line was not printed still shows as "Subproject commit <sha>" lines. */
  private looksLikeGitlink(): boolean {
    const only = this.hunks.length === 1 ? this.hunks[0]! : undefined;
    return only !== undefined && only.lines.length <= 2 && only.lines.every((l) => /^Subproject commit [0-9a-f]{7,}/.test(l.text));
  }
}

interface Range {
  start: number;
  count: number;
}

function parseRange(text: string): Range {
  const comma = text.indexOf(',');
  if (comma < 0) return { start: parseInt(text.slice(1), 10) || 0, count: 1 };
  return { start: parseInt(text.slice(1, comma), 10) || 0, count: parseInt(text.slice(comma + 1), 10) || 0 };
}

const HUNK_HEADER = /^@@ (-\d+(?:,\d+)?) (\+\d+(?:,\d+)?) @@ ?(.*)$/;

/** Reads one ordinary hunk starting at its @@ line; returns the index of the first line after it. */
function readHunk(lines: string[], at: number, end: number, file: FileBuilder): number {
  const header = HUNK_HEADER.exec(withoutCR(lines[at]!));
  if (!header) return at + 1;
  const oldRange = parseRange(header[1]!);
  const newRange = parseRange(header[2]!);
  const out: DiffLine[] = [];
  file.hunks.push(makeHunk(oldRange, newRange, header[3]!, out));
  let oldLeft = oldRange.count;
  let newLeft = newRange.count;
  let oldLine = oldRange.start;
  let newLine = newRange.start;
  let last: DiffLine | undefined;
  let i = at + 1;
  for (; i < end; i++) {
    const line = lines[i]!;
    const c = line.charCodeAt(0);
    if (c === CH_BACKSLASH) {
      // "\ No newline at end of file" belongs to the line before it, and may follow the hunk's last line.
      if (last) last.noNewline = true;
      continue;
    }
    if (oldLeft <= 0 && newLeft <= 0) break;
    let text = line.slice(1);
    const cr = text.charCodeAt(text.length - 1) === CH_CR;
    if (cr) text = text.slice(0, -1);
    if (c === CH_SPACE || line.length === 0) {
      // An empty line is a context line whose trailing space was stripped (by an editor or a mail client).
      last = { kind: 'context', text, oldLine: oldLine++, newLine: newLine++ };
      oldLeft--;
      newLeft--;
      if (cr) file.crNew++;
    } else if (c === CH_MINUS) {
      last = { kind: 'del', text, oldLine: oldLine++ };
      oldLeft--;
      file.removed++;
      if (cr) file.crOld++;
    } else if (c === CH_PLUS) {
      last = { kind: 'add', text, newLine: newLine++ };
      newLeft--;
      file.added++;
      if (cr) file.crNew++;
    } else {
      break;
    }
    out.push(last);
  }
  return i;
}

const COMBINED_HUNK_HEADER = /^(@{3,}) (.+?) \1 ?(.*)$/;

/**
 * Reads one hunk of a combined diff (one marker column per parent) as a diff against the first parent:
 * column 1 decides add / del / context; lines that only another parent had are dropped.
 */
function readCombinedHunk(lines: string[], at: number, end: number, file: FileBuilder): number {
  const header = COMBINED_HUNK_HEADER.exec(withoutCR(lines[at]!));
  const ranges = header ? header[2]!.split(' ') : [];
  const parents = header ? header[1]!.length - 1 : 0;
  if (!header || ranges.length !== parents + 1) return at + 1;
  const firstParent = parseRange(ranges[0]!);
  const result = parseRange(ranges[parents]!);
  const out: DiffLine[] = [];
  file.hunks.push(makeHunk(firstParent, result, header[3]!, out));
  // left[p] counts the lines still expected from parent p; left[parents] those of the merge result.
  const left = ranges.map((r) => parseRange(r).count);
  let oldLine = firstParent.start;
  let newLine = result.start;
  let last: DiffLine | undefined;
  let i = at + 1;
  for (; i < end; i++) {
    const line = lines[i]!;
    if (line.charCodeAt(0) === CH_BACKSLASH) {
      if (last) last.noNewline = true;
      continue;
    }
    if (left.every((n) => n <= 0) || line.length < parents) break;
    let inResult = true;
    let valid = true;
    for (let p = 0; p < parents; p++) {
      const c = line.charCodeAt(p);
      if (c === CH_MINUS) inResult = false;
      else if (c !== CH_SPACE && c !== CH_PLUS) valid = false;
    }
    if (!valid) break;
    for (let p = 0; p < parents; p++) {
      const c = line.charCodeAt(p);
      if (inResult ? c === CH_SPACE : c === CH_MINUS) left[p]!--;
    }
    if (inResult) left[parents]!--;
    let text = line.slice(parents);
    const cr = text.charCodeAt(text.length - 1) === CH_CR;
    if (cr) text = text.slice(0, -1);
    const first = line.charCodeAt(0);
    if (inResult && first === CH_SPACE) {
      last = { kind: 'context', text, oldLine: oldLine++, newLine: newLine++ };
      if (cr) file.crNew++;
    } else if (inResult) {
      last = { kind: 'add', text, newLine: newLine++ };
      file.added++;
      if (cr) file.crNew++;
    } else if (first === CH_MINUS) {
      last = { kind: 'del', text, oldLine: oldLine++ };
      file.removed++;
      if (cr) file.crOld++;
    } else {
      // Removed relative to another parent only: not part of the first-parent view.
      last = undefined;
      continue;
    }
    out.push(last);
  }
  return i;
}

function makeHunk(oldRange: Range, newRange: Range, heading: string, lines: DiffLine[]): Hunk {
  return {
    oldStart: oldRange.start,
    oldLines: oldRange.count,
    newStart: newRange.start,
    newLines: newRange.count,
    heading,
    lines,
  };
}

/**
 * parseDiff over output that arrives in pieces, each ending at a line end: a file's section is parsed as soon as the
 * next one starts, so a large diff is held neither as one string nor as an array of all its lines. The files are
 * those parseDiff gives for the whole text: every file starts at a line beginning `diff `, which no hunk line can be.
 */
export class DiffReader {
  private section: string[] = [];
  private readonly files: DiffFile[] = [];

  push(text: string): void {
    let start = 0;
    for (let at = text.startsWith('diff ') ? 0 : nextFile(text, 0); at >= 0; at = nextFile(text, at + 1)) {
      if (at > start) this.section.push(text.slice(start, at));
      this.flush();
      start = at;
    }
    if (start < text.length) this.section.push(start === 0 ? text : text.slice(start));
  }

  end(): DiffFile[] {
    this.flush();
    return this.files;
  }

  private flush(): void {
    if (this.section.length === 0) return;
    for (const file of parseDiff(this.section.join(''))) this.files.push(file);
    this.section = [];
  }
}

/** Where the next line starting `diff ` begins, at or after `from`; -1 when there is none. */
function nextFile(text: string, from: number): number {
  const at = text.indexOf('\ndiff ', from > 0 ? from - 1 : 0);
  return at < 0 ? -1 : at + 1;
}
