// Content as git stores it: index entries, tree entries and blobs, read from git's objects and never through the
// work tree. A symlink's content here is its target path (what git stores), so nothing is read outside the
// repository by following a link; and a file's staged bytes are what the commit will hold, whatever the work tree
// or git's diff attributes say.

import { spawn } from 'node:child_process';
import { GitError } from '../errors.js';
import { gitEnvironment, PINNED_FLAGS, spawnGit, type GitRun, type Repo } from './repo.js';
import { readBlobGroups } from './blob-batch.js';

export const SYMLINK_MODE = '120000';
export const GITLINK_MODE = '160000';

export interface ObjectEntry {
  /** Octal mode as git prints it: 100644, 100755, 120000 (symlink), 160000 (submodule). */
  mode: string;
  /** Object id (hex). */
  oid: string;
  /** Repo-relative, '/'-separated, exactly as stored (any byte but NUL). */
  path: string;
}

export interface IndexEntry extends ObjectEntry {
  /** 0 normally; 1–3 during a conflicted merge. */
  stage: number;
}

/** The index's entries (`git ls-files -s`), optionally only those under the given literal paths. */
export async function indexEntries(repo: Repo, paths: readonly string[] = []): Promise<IndexEntry[]> {
  const out = await raw(repo, ['--literal-pathspecs', 'ls-files', '-s', '-z', ...pathspec(paths)]);
  return records(out).map((record) => {
    // "<mode> <oid> <stage>\t<path>"
    const tab = record.indexOf('\t');
    const [mode = '', oid = '', stage = '0'] = record.slice(0, tab).split(' ');
    return { mode, oid, stage: Number(stage), path: record.slice(tab + 1) };
  });
}

/** The files of a commit's tree (`git ls-tree -r`), optionally only those under the given literal paths. */
export async function treeEntries(repo: Repo, rev: string, paths: readonly string[] = []): Promise<ObjectEntry[]> {
  const out = await raw(repo, ['--literal-pathspecs', 'ls-tree', '-r', '-z', '--full-tree', rev, ...pathspec(paths)]);
  return records(out).map((record) => {
    // "<mode> <type> <oid>\t<path>"
    const tab = record.indexOf('\t');
    const [mode = '', , oid = ''] = record.slice(0, tab).split(' ');
    return { mode, oid, path: record.slice(tab + 1) };
  });
}

/** The blobs' sizes in bytes by object id (one `git cat-file --batch-check`); an id git does not have is absent. */
export async function blobSizes(repo: Repo, oids: readonly string[]): Promise<Map<string, number>> {
  const wanted = [...new Set(oids)];
  const sizes = new Map<string, number>();
  if (wanted.length === 0) return sizes;
  const output = await gitBytes(repo, ['cat-file', '--batch-check'], wanted.map((oid) => `${oid}\n`).join(''));
  for (const line of output.toString('utf8').split('\n')) {
    // "<oid> <type> <size>", or "<oid> missing"
    const [oid = '', type, size] = line.split(' ');
    if (type === 'blob' && Number.isSafeInteger(Number(size))) sizes.set(oid, Number(size));
  }
  return sizes;
}

/**
 * The blobs' bytes by object id, read by one `git cat-file --batch` however many there are (blob-batch.ts, as one
 * group). An id git does not have is absent from the map.
 */
export async function readBlobs(repo: Repo, oids: readonly string[]): Promise<Map<string, Buffer>> {
  const batch = readBlobGroups(repo, [oids]);
  try {
    return await batch.next();
  } finally {
    batch.close();
  }
}

/**
 * A blob's first `bytes` bytes (fewer when it is shorter), without reading the rest: `git cat-file blob`, ended once
 * they are in. Empty when git cannot give the blob.
 */
export function blobHead(repo: Repo, oid: string, bytes: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const child = spawn('git', ['cat-file', 'blob', oid], { cwd: repo.top, env: gitEnvironment(), stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    let got = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      got += chunk.length;
      if (got >= bytes) {
        child.stdout.destroy();
        child.kill();
      }
    });
    child.on('error', () => resolve(Buffer.alloc(0)));
    child.on('close', () => resolve(Buffer.concat(chunks).subarray(0, bytes)));
  });
}

/** One file's staged bytes (stage 0 of the index); null when it is not staged or is a submodule. */
export async function readStagedFile(repo: Repo, path: string): Promise<Buffer | null> {
  const entry = (await indexEntries(repo, [path])).find((e) => e.path === path && e.stage === 0);
  return entry ? readEntry(repo, entry) : null;
}

/** One file's bytes in commit `rev`; null when the commit has no such file or it is a submodule. */
export async function readCommittedFile(repo: Repo, rev: string, path: string): Promise<Buffer | null> {
  const entry = (await treeEntries(repo, rev, [path])).find((e) => e.path === path);
  return entry ? readEntry(repo, entry) : null;
}

export interface StoredFile {
  path: string;
  mode: string;
  /** The blob's bytes; for a symlink, the link's target path. */
  content: Buffer;
}

/**
 * The staged files (stage 0 of the index) with their bytes, for the given literal paths or all; submodules and
 * conflicted entries are left out. One `git cat-file --batch` reads every blob.
 */
export async function readIndexFiles(repo: Repo, paths: readonly string[] = []): Promise<StoredFile[]> {
  const entries = (await indexEntries(repo, paths)).filter((e) => e.stage === 0 && e.mode !== GITLINK_MODE);
  const blobs = await readBlobs(repo, entries.map((e) => e.oid));
  return entries.flatMap((e) => {
    const content = blobs.get(e.oid);
    return content === undefined ? [] : [{ path: e.path, mode: e.mode, content }];
  });
}

/** The bytes of `paths` as the index (`'index'`) or a commit holds them; a path absent there is absent here. */
export async function readFilesAt(repo: Repo, at: 'index' | string, paths: readonly string[]): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  if (paths.length === 0) return files;
  const wanted = new Set(paths);
  // Past a few hundred paths the command line grows long: list everything and keep what is wanted.
  const spec = paths.length > 500 ? [] : paths;
  const entries = at === 'index' ? (await indexEntries(repo, spec)).filter((e) => e.stage === 0) : await treeEntries(repo, at, spec);
  const kept = entries.filter((e) => wanted.has(e.path) && e.mode !== GITLINK_MODE);
  const blobs = await readBlobs(repo, kept.map((e) => e.oid));
  for (const e of kept) {
    const blob = blobs.get(e.oid);
    if (blob !== undefined) files.set(e.path, blob);
  }
  return files;
}

/**
 * The commit `rev` names, or null when it names none (HEAD before the first commit). Spawned directly, like openRepo's
 * rev-parse: the hook asks this when a change may hold key material, and simple-git would load for it alone.
 */
export async function commitOf(repo: Repo, rev: string): Promise<string | null> {
  return (await gitAnswer(repo, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]))?.trim() || null;
}

/**
 * `git <args>` at the top level with the pinned settings, spawned directly: its output when it exits 0, else null
 * (a question git answers with its exit code: no such commit, no such setting).
 */
export async function gitAnswer(repo: Repo, args: string[]): Promise<string | null> {
  const result = await runGit(repo, [...PINNED_FLAGS, ...args], '').catch(() => null);
  return result?.code === 0 ? result.stdout.toString('utf8') : null;
}

/** The merge base of two commits, or null when they share no history. */
export async function mergeBaseOf(repo: Repo, a: string, b: string): Promise<string | null> {
  const out = await repo.git.raw(['merge-base', a, b]).catch(() => '');
  return out.trim() || null;
}

async function readEntry(repo: Repo, entry: ObjectEntry): Promise<Buffer | null> {
  if (entry.mode === GITLINK_MODE) return null;
  return (await readBlobs(repo, [entry.oid])).get(entry.oid) ?? null;
}

function pathspec(paths: readonly string[]): string[] {
  return paths.length === 0 ? [] : ['--', ...paths];
}

function records(out: string): string[] {
  return out.split('\0').filter((r) => r !== '');
}

async function raw(repo: Repo, args: string[]): Promise<string> {
  try {
    return await repo.git.raw(args);
  } catch (err) {
    throw new GitError(`git ${args.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')} failed: ${firstLine(err)}`);
  }
}

/**
 * A git command's output as bytes, optionally fed on stdin. simple-git (the project's git client) can neither write
 * to a command's stdin nor hand back bytes (a non-UTF-8 name must be decoded exactly as the diff parser decodes it),
 * so these calls spawn git themselves, at the top level and with the same environment (GIT_INDEX_FILE and friends
 * during a hook).
 */
export async function gitBytes(repo: Repo, args: string[], input = ''): Promise<Buffer> {
  const { code, stdout, stderr } = await runGit(repo, args, input);
  if (code === 0) return stdout;
  throw new GitError(`git ${args.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')} failed (exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`);
}

/** `git <args>` at the top level fed `input`, with its exit code (for the callers to whom a non-zero one is an answer). */
export async function runGit(repo: Repo, args: string[], input: string): Promise<GitRun> {
  try {
    return await spawnGit(repo.top, args, input);
  } catch (err) {
    throw new GitError(`cannot run git: ${(err as Error).message}; is git installed and on PATH?`);
  }
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).trim().split('\n')[0] ?? 'unknown error';
}
