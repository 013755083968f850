import { spawn } from 'node:child_process';
import path from 'node:path';
import { DiffReader } from '../diff/parse.js';
import { GitError } from '../errors.js';
import type { DiffFile } from '../types.js';
import { gitBytes, mergeBaseOf } from './objects.js';
import { gitEnvironment, PINNED_FLAGS, type Repo } from './repo.js';

/** What a diff compares: the index against HEAD, or a commit against another (`from` is the merge base in ci). */
export type DiffSource = { kind: 'staged' } | { kind: 'range'; from: string; to: string };

/**
 * Flags that make git print the one stable format parseDiff reads, whatever the user's git config says: every
 * diff.* setting that changes which files appear (diff.relative), their names (prefixes, quoting), their order
 * (diff.orderFile) or the hunks' shape (context, algorithm, renames) is overridden here or in repo.ts.
 */
export function diffFlags(contextLines: number): string[] {
  return [
    '--no-relative',
    '-M',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--submodule=short',
    '--ignore-submodules=none',
    `--unified=${contextLines}`,
    '--inter-hunk-context=0',
    '--diff-algorithm=myers',
    '--indent-heuristic',
    '-O/dev/null',
    '--src-prefix=a/',
    '--dst-prefix=b/',
  ];
}

/**
 * The staged change, parsed: the index against HEAD (against the empty tree before the first commit, which
 * `git diff --cached` handles itself). During a merge HEAD is the first parent, so a merge is reviewed as its result
 * against the first parent. Reads only: never touches the work tree or the index.
 */
export async function stagedDiff(repo: Repo, contextLines: number, early?: EarlyStagedDiff): Promise<DiffFile[]> {
  if (early && early.contextLines === contextLines && path.resolve(early.cwd) === repo.top) {
    const files = await early.files;
    if (files !== null) return files;
  }
  try {
    return await readDiff(repo.top, ['diff', '--cached', ...diffFlags(contextLines)]);
  } catch (err) {
    throw new GitError(`git diff --cached failed: ${firstLine(err)}`);
  }
}

/** A staged diff started before the repository was opened; `files` is null when that git failed. */
export interface EarlyStagedDiff {
  cwd: string;
  contextLines: number;
  files: Promise<DiffFile[] | null>;
}

/**
 * Starts the staged diff in `cwd` at once, so that it runs beside `git rev-parse` (openRepo) instead of after it. The
 * answer is used only when `cwd` turns out to be the top level, where stagedDiff would have run the very same command;
 * otherwise, or when it failed, stagedDiff runs git again (and reports the error itself).
 */
export function startStagedDiff(cwd: string, contextLines: number): EarlyStagedDiff {
  return { cwd, contextLines, files: readDiff(cwd, ['diff', '--cached', ...diffFlags(contextLines)]).catch(() => null) };
}

/**
 * `git diff from to`, parsed, with the same pinned flags as every diff here: a pull request's change (from = the merge
 * base, see verifiedMergeBase) or any two commits whatever their ancestry (eval: a fix against its parent).
 */
export async function diffBetween(repo: Repo, from: string, to: string, contextLines: number): Promise<DiffFile[]> {
  try {
    return await readDiff(repo.top, ['diff', ...diffFlags(contextLines), from, to, '--']);
  } catch (err) {
    throw new GitError(`git diff ${from.slice(0, 12)} ${to} failed: ${firstLine(err)}`);
  }
}


/**
 * `git <args>` in `cwd`, with the settings and environment of every git call here (repo.ts), its diff parsed as it
 * arrives. simple-git holds a command's whole output, then that joined, then its text: for a change of a million
 * lines, three copies of it at once, and the first two outlived the review (bench case 8). Here git's output is
 * decoded a piece of whole lines at a time (a line end is never inside a UTF-8 sequence, so the text is the one
 * simple-git decoded) and only the parsed files are kept.
 */
function readDiff(cwd: string, args: string[]): Promise<DiffFile[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...PINNED_FLAGS, ...args], { cwd, env: gitEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
    const reader = new DiffReader();
    let partial: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const end = chunk.lastIndexOf(0x0a) + 1;
      if (end === 0) {
        partial.push(chunk);
        return;
      }
      partial.push(chunk.subarray(0, end));
      reader.push((partial.length === 1 ? partial[0]! : Buffer.concat(partial)).toString('utf8'));
      partial = end < chunk.length ? [chunk.subarray(end)] : [];
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(stderr.trim() || `git exited with ${code}`));
      if (partial.length > 0) reader.push(Buffer.concat(partial).toString('utf8'));
      resolve(reader.end());
    });
  });
}

/** The merge base of base and head (full object id), checked to exist, with a fix for a shallow clone. */
export async function verifiedMergeBase(repo: Repo, base: string, head: string): Promise<string> {
  await verifyCommit(repo, base, 'base');
  await verifyCommit(repo, head, 'head');
  const mergeBase = await mergeBaseOf(repo, base, head);
  if (!mergeBase) {
    const shallow = (await repo.git.raw(['rev-parse', '--is-shallow-repository']).catch(() => '')).trim() === 'true';
    throw new GitError(
      shallow
        ? `no merge base between ${base} and ${head}: this clone is shallow; fetch more history with 'git fetch --deepen=200 origin' or set 'fetch-depth: 0' on actions/checkout`
        : `no merge base between ${base} and ${head}: they share no history; pass a --base that ${head} was branched from`,
    );
  }
  return mergeBase;
}

/** One changed file as git's raw diff lists it: object ids of both sides (all zeros for none) and exact names. */
export interface ChangedObject {
  status: string;
  oldOid: string;
  newOid: string;
  oldPath: string;
  path: string;
}

const NO_OBJECT = /^0+$/;

/**
 * The object ids behind each changed file (`git diff --raw -z`), so that content git's diff shows only as "Binary
 * files differ" can be read from its blobs. Names are decoded from git's bytes the way the diff parser decodes them.
 */
export async function changedObjects(repo: Repo, source: DiffSource): Promise<ChangedObject[]> {
  const sides = source.kind === 'staged' ? ['--cached'] : [source.from, source.to];
  const out = await gitBytes(repo, ['diff', '--raw', '-z', '--no-abbrev', '--no-relative', '-M', '--no-ext-diff', '--ignore-submodules=none', ...sides]);
  const fields = out.toString('latin1').split('\0');
  const decode = (field: string) => utf8.decode(Buffer.from(field, 'latin1'));
  const changed: ChangedObject[] = [];
  for (let i = 0; i < fields.length; ) {
    const meta = fields[i++] ?? '';
    if (!meta.startsWith(':')) continue;
    // ":<old mode> <new mode> <old oid> <new oid> <status>"
    const [, , oldOid = '', newOid = '', status = ''] = meta.slice(1).split(' ');
    const first = decode(fields[i++] ?? '');
    const second = /^[RC]/.test(status) ? decode(fields[i++] ?? '') : first;
    changed.push({
      status: status.charAt(0),
      oldOid: NO_OBJECT.test(oldOid) ? '' : oldOid,
      newOid: NO_OBJECT.test(newOid) ? '' : newOid,
      oldPath: first,
      path: second,
    });
  }
  return changed;
}

// Not fatal, like the diff parser's: an invalid byte becomes U+FFFD in both, so the names agree.
const utf8 = new TextDecoder('utf-8');

async function verifyCommit(repo: Repo, ref: string, role: 'base' | 'head'): Promise<void> {
  try {
    await repo.git.raw(['rev-parse', '--verify', `${ref}^{commit}`]);
  } catch {
    throw new GitError(`${role} ref '${ref}' is not a commit in this clone: ${fetchAdviceFor(ref)}`);
  }
}

/**
 * How to bring a missing ref into the clone. `git fetch origin HEAD~3` or `origin/main^` cannot work: a ref with a
 * `~N`/`^` suffix is missing because the clone is shallow, so the advice is to deepen it, not to fetch the name.
 */
export function fetchAdviceFor(ref: string): string {
  const suffix = /(?:[~^]\d*)+$/.exec(ref);
  if (suffix && suffix.index > 0) {
    const back = [...suffix[0].matchAll(/([~^])(\d*)/g)].reduce((n, [, op, count]) => n + (op === '~' ? Number(count || 1) : 1), 0);
    return `the clone is too shallow to reach it; deepen it with 'git fetch --deepen=${back + 1} origin', or use fetch-depth: 0 on actions/checkout`;
  }
  const name = ref.replace(/^(?:refs\/remotes\/)?origin\//, '').replace(/^refs\/heads\//, '');
  return `fetch it first ('git fetch origin ${name}'), or use fetch-depth: 0 on actions/checkout`;
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).trim().split('\n')[0] ?? 'unknown error';
}
