// The reviewer's wider context, read from git for the files a model will see: the change again with function
// context, and each file's whole new side for the declarations its changed lines use (diff/context.ts). Private key
// blocks in the wider lines are marked like those of the diff, so redaction covers them before anything is sent.
// Wider context is a help, never a gate: when git cannot give it, the review goes on with the diff's own context.

import { AbortedError } from '../errors.js';
import { widenFile } from '../diff/context.js';
import { parseDiff } from '../diff/parse.js';
import { readBlobGroups, type BlobGroups } from '../git/blob-batch.js';
import { openFunctionContext, type ChangeSides, type FunctionContextDiffs } from '../git/function-context.js';
import { commitOf } from '../git/objects.js';
import type { Repo } from '../git/repo.js';
import type { DiffFile } from '../types.js';
import { withKeyLines } from './diffs.js';

/** A whole file larger than this is not searched for declarations. */
export const MAX_DECLARATION_SOURCE = 1_000_000;

/**
 * The wider context is read a group of files at a time: the function-context diff, the new sides and their parses of
 * a whole very large change at once were what made its review peak past a gigabyte (bench case 8). A group holds at
 * most `lines` diff lines (a larger file goes alone) and `files` files, so that its paths fit git's command line.
 */
export interface WidenGroupLimits {
  lines: number;
  files: number;
}

const WIDEN_GROUP_LIMITS: WidenGroupLimits = { lines: 50_000, files: 150 };

/**
 * `files` with wider context, in the same order. Its gits all start before it first awaits, so that the caller's
 * synchronous work runs beside them: one `git config` and one `git cat-file --batch` for the whole review, and the
 * first group's function-context diff; each later group's diff starts when the group before it is done.
 */
export async function widenForModel(
  repo: Repo,
  sides: ChangeSides,
  contextLines: number,
  files: DiffFile[],
  limits: WidenGroupLimits = WIDEN_GROUP_LIMITS,
): Promise<DiffFile[]> {
  // A new or deleted file's diff already shows its every line: there is nothing wider to read for it.
  const text = files.filter((f) => !f.binary && !f.submodule && f.hunks.length > 0 && f.status !== 'added' && f.status !== 'deleted');
  if (text.length === 0) return files;
  const groups = widenGroups(text, limits);
  // Each new side by name (`:0:path` is the staged blob); a name with a newline cannot go through git cat-file's
  // protocol, and such a file simply gets no declarations.
  const nameOf = (p: string) => (sides.kind === 'staged' ? `:0:${p}` : `${sides.to}:${p}`);
  let diffs: FunctionContextDiffs | null = null;
  let blobs: BlobGroups | null = null;
  try {
    diffs = openFunctionContext(repo, sides, contextLines);
    blobs = readBlobGroups(repo, groups.map((group) => group.filter((f) => !f.path.includes('\n')).map((f) => nameOf(f.path))));
    const oldRev = sides.kind === 'staged' ? 'HEAD' : sides.from;
    let oldCommit: Promise<string | null> | null = null;
    const review: ReviewReads = { diffs, blobs, nameOf, oldCommit: () => (oldCommit ??= commitOf(repo, oldRev)) };
    const widened = new Map<DiffFile, DiffFile>();
    for (const group of groups) {
      const wide = await widenGroup(repo, sides, contextLines, group, review);
      group.forEach((file, i) => widened.set(file, wide[i]!));
    }
    return files.map((file) => widened.get(file) ?? file);
  } catch (error) {
    if (error instanceof AbortedError) throw error;
    return files;
  } finally {
    blobs?.close();
    diffs?.close();
  }
}

/** `files` in order, cut into groups within `limits`. */
function widenGroups(files: DiffFile[], limits: WidenGroupLimits): DiffFile[][] {
  const groups: DiffFile[][] = [];
  let lines = Infinity;
  for (const file of files) {
    const size = file.hunks.reduce((sum, h) => sum + h.lines.length, 0);
    const last = groups.at(-1);
    if (!last || lines + size > limits.lines || last.length >= limits.files) {
      groups.push([file]);
      lines = size;
    } else {
      last.push(file);
      lines += size;
    }
  }
  return groups;
}

/** What every group of a review reads from: started once for all of them. */
interface ReviewReads {
  diffs: FunctionContextDiffs;
  blobs: BlobGroups;
  nameOf(path: string): string;
  /** The commit of the old side, looked up once and only when a file may hold key material. */
  oldCommit(): Promise<string | null>;
}

/** One group's files with wider context, in the same order. */
async function widenGroup(repo: Repo, sides: ChangeSides, contextLines: number, files: DiffFile[], reads: ReviewReads): Promise<DiffFile[]> {
  const paths = files.flatMap((f) => (f.oldPath !== undefined ? [f.oldPath, f.path] : [f.path]));
  const [raw, blobs] = await Promise.all([reads.diffs.diff(paths), reads.blobs.next()]);
  const wide = new Map(parseDiff(raw).map((f) => [f.path, f]));
  const widened = files.map((file) => {
    const blob = blobs.get(reads.nameOf(file.path));
    const newText = blob !== undefined && blob.length <= MAX_DECLARATION_SOURCE && !blob.includes(0) ? blob.toString('utf8') : undefined;
    return widenFile({ file, wide: wide.get(file.path), newText, contextLines });
  });
  return withKeyLines(repo, widened, { old: reads.oldCommit, new: sides.kind === 'staged' ? 'index' : sides.to });
}
