// Where a review's files come from, read once the same way for every command: the staged change, or a commit range.
// Each source also marks the lines that sit inside a private key as the whole file shows it (rules/key-blocks.ts),
// reading the blobs only of files whose changed lines could be key material, so most commits pay nothing for it.

import { commitOf, readFilesAt } from '../git/objects.js';
import { diffBetween, stagedDiff, type EarlyStagedDiff } from '../git/diff.js';
import type { Repo } from '../git/repo.js';
import { keyBlockLines, mayBeKeyMaterial } from '../rules/key-blocks.js';
import type { DiffFile } from '../types.js';

/** The staged change: the index against HEAD (`early`: the diff already started, see startStagedDiff). */
export async function stagedFiles(repo: Repo, contextLines: number, early?: EarlyStagedDiff): Promise<DiffFile[]> {
  const files = await stagedDiff(repo, contextLines, early);
  return withKeyLines(repo, files, { old: () => commitOf(repo, 'HEAD'), new: 'index' });
}

/**
 * The staged paths alone (the commit-msg check of the message's type against what it changes). The paths do not
 * depend on the context lines, so the diff the hook started early serves, at its own.
 */
export async function stagedPaths(repo: Repo, early?: EarlyStagedDiff): Promise<string[]> {
  return (await stagedDiff(repo, early?.contextLines ?? 0, early)).map((f) => f.path);
}

/**
 * Two commits compared directly: a range's head against its merge base (found once, by the caller), or eval's fix
 * and its parent, or a case's two versions.
 */
export async function pairFiles(repo: Repo, from: string, to: string, contextLines: number): Promise<DiffFile[]> {
  const files = await diffBetween(repo, from, to, contextLines);
  return withKeyLines(repo, files, { old: async () => from, new: to });
}

/**
 * `files` with keyLines set where a side's full text holds a private key around the changed lines. The old side's
 * commit is found only when some file needs it: the hook's every commit must not pay a git call for it.
 */
export async function withKeyLines(
  repo: Repo,
  files: DiffFile[],
  sides: { old: () => Promise<string | null>; new: 'index' | string },
): Promise<DiffFile[]> {
  const candidates = files.filter(mayHoldKeyLines);
  if (candidates.length === 0) return files;
  const oldRev = await sides.old();
  const oldPaths = candidates.filter((f) => f.status !== 'added').map((f) => f.oldPath ?? f.path);
  const newPaths = candidates.filter((f) => f.status !== 'deleted').map((f) => f.path);
  const [oldSide, newSide] = await Promise.all([
    oldRev === null ? new Map<string, Buffer>() : readFilesAt(repo, oldRev, oldPaths),
    readFilesAt(repo, sides.new, newPaths),
  ]);
  const marked = new Map<DiffFile, DiffFile>();
  for (const file of candidates) {
    const oldText = file.status === 'added' ? undefined : oldSide.get(file.oldPath ?? file.path)?.toString('utf8');
    const newText = file.status === 'deleted' ? undefined : newSide.get(file.path)?.toString('utf8');
    marked.set(file, withKeyLinesOf(file, oldText, newText));
  }
  return files.map((f) => marked.get(f) ?? f);
}

/** Whether any changed or context line of `file` could be inside a private key (most files: no). */
export function mayHoldKeyLines(file: DiffFile): boolean {
  return !file.binary && !file.submodule && file.hunks.some((h) => h.lines.some((l) => mayBeKeyMaterial(l.text)));
}

/** `file` with keyLines set from its two sides' whole texts, where either holds a private key. */
export function withKeyLinesOf(file: DiffFile, oldText: string | undefined, newText: string | undefined): DiffFile {
  const keyLines = { old: oldText ? keyBlockLines(oldText) : [], new: newText ? keyBlockLines(newText) : [] };
  return keyLines.old.length > 0 || keyLines.new.length > 0 ? { ...file, keyLines } : file;
}

/** Whole-file content (review FILE, baseline --all) shows its key blocks itself. */
export function withOwnKeyLines(file: DiffFile, content: string): DiffFile {
  if (!content.includes('-----')) return file;
  const lines = keyBlockLines(content);
  return lines.length > 0 ? { ...file, keyLines: { old: [], new: lines } } : file;
}
