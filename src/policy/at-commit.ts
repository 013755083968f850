// The policy as it is in a commit, read from git's objects (no checkout). `ci` reads it at the merge base: a pull
// request that writes `exclude: ["**"]`, `block: { severity: none }` or "report nothing" into its own policy must
// not pass its own check. The search is the hook's (nearest file from the working folder up to the top level), over
// the commit's tree instead of the disk.

import { nodeBuiltin } from '../node-builtin.js';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { GITLINK_MODE, readBlobs, SYMLINK_MODE, treeEntries, type ObjectEntry } from '../git/objects.js';
import type { Repo } from '../git/repo.js';
import { removeIfInterrupted } from '../interrupt.js';
import type { DiffFile, LoadedPolicy } from '../types.js';
import { isCodeConfig } from './config-module.js';
import { parsePolicyFile, SEARCH_PLACES, type ParsedPolicyFile } from './load.js';
import { validatePolicy } from './validate.js';

export interface CommitPolicyOptions {
  /** The folder the command runs in (absolute): the search starts there. */
  cwd: string;
  /** `--config FILE`, relative to cwd: read exactly this path in the commit. */
  configPath?: string;
  env?: NodeJS.ProcessEnv;
}

/** The validated policy of commit `rev`; defaults (file: null) when the commit has none. */
export async function loadPolicyAt(repo: Repo, rev: string, opts: CommitPolicyOptions): Promise<LoadedPolicy> {
  const at = `at the merge base ${rev.slice(0, 12)}`;
  const fromTop = path.relative(repo.top, opts.cwd).split(path.sep).join('/');
  const inside = fromTop === '' || !(fromTop === '..' || fromTop.startsWith('../') || path.isAbsolute(fromTop));
  const start = inside ? fromTop : '';
  const candidates = opts.configPath !== undefined ? [relativeToTop(repo, opts.cwd, opts.configPath)] : searchOrder(start);
  // The search passes every package.json above the start; a --config file needs its own, whose "type" decides how
  // Node reads a .js config (moduleType).
  const lookup = opts.configPath !== undefined ? [...candidates, ...packageFilesAbove(candidates[0]!)] : candidates;
  const entries = new Map((await treeEntries(repo, rev, lookup)).map((e) => [e.path, e]));
  if (opts.configPath !== undefined && !entries.has(candidates[0]!)) {
    throw new ConfigError(`${candidates[0]}: not in the merge base ${rev.slice(0, 12)}; ci reads the policy there (commit it to the base branch first), or pass --policy head`, null);
  }
  const blobs = await readBlobs(repo, [...entries.values()].filter((e) => e.mode !== GITLINK_MODE).map((e) => e.oid));
  for (const rel of candidates) {
    const entry = entries.get(rel);
    if (!entry) continue;
    const parsed = await parseEntry(repo, entry, blobs, entries, at, opts.env);
    if (parsed === null) continue;
    try {
      return { policy: validatePolicy(parsed.config, parsed.filepath), file: parsed.filepath };
    } catch (error) {
      throw error instanceof ConfigError ? new ConfigError(`${error.message} (${at})`, error.file, error.key) : error;
    }
  }
  return { policy: validatePolicy(undefined, null), file: null };
}

/** Every policy file the search would look at, nearest folder first, in SEARCH_PLACES order within a folder. */
function searchOrder(start: string): string[] {
  return foldersUp(start).flatMap((dir) => SEARCH_PLACES.map((place) => inFolder(dir, place)));
}

/** The package.json of each folder from a file's own up to the top level, nearest first. */
function packageFilesAbove(rel: string): string[] {
  return foldersUp(path.posix.dirname(rel)).map((dir) => inFolder(dir, 'package.json'));
}

/** `dir` (relative to the top level; '' or '.' is the top) and each folder above it, nearest first, ending with ''. */
function foldersUp(dir: string): string[] {
  const dirs: string[] = [];
  for (let at = dir === '.' ? '' : dir; at !== ''; at = at.includes('/') ? path.posix.dirname(at) : '') dirs.push(at);
  return [...dirs, ''];
}

function inFolder(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

function relativeToTop(repo: Repo, cwd: string, file: string): string {
  return path.relative(repo.top, path.resolve(cwd, file)).split(path.sep).join('/');
}

async function parseEntry(
  repo: Repo,
  entry: ObjectEntry,
  blobs: Map<string, Buffer>,
  entries: Map<string, ObjectEntry>,
  at: string,
  env: NodeJS.ProcessEnv | undefined,
): Promise<ParsedPolicyFile | null> {
  if (entry.mode === SYMLINK_MODE || entry.mode === GITLINK_MODE) {
    throw new ConfigError(`${entry.path}: a ${entry.mode === SYMLINK_MODE ? 'symlink' : 'submodule'} ${at}; a policy must be a plain file`, null);
  }
  const content = blobs.get(entry.oid)?.toString('utf8') ?? '';
  const filepath = path.join(repo.top, entry.path);
  if (!isCodeConfig(entry.path)) return labelled(() => parsePolicyFile(filepath, content, env), filepath, entry.path, at);
  // A config module from a commit runs from a copy outside the work tree: never the checked-out (head) file, and
  // nothing written into the repository. Its relative imports do not resolve there, which is the point.
  const fs = nodeBuiltin('node:fs/promises');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'codeai-base-policy-'));
  const done = removeIfInterrupted(dir);
  try {
    const copy = path.join(dir, path.basename(entry.path));
    await fs.writeFile(copy, content);
    await fs.writeFile(path.join(dir, 'package.json'), JSON.stringify({ type: moduleType(entry.path, entries, blobs) }));
    const parsed = await labelled(() => parsePolicyFile(copy, content, env), copy, entry.path, at);
    return parsed && { ...parsed, filepath };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
    done();
  }
}

/** Messages name the file as the repository has it, and say which commit it was read from. */
async function labelled<T>(load: () => Promise<T>, shownAs: string, rel: string, at: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const message = error.message.split(shownAs).join(rel);
    throw new ConfigError(`${message} (${at})`, null, error.key);
  }
}

/** The "type" of the package.json nearest to the config in the commit, which decides how a .js file is read. */
function moduleType(rel: string, entries: Map<string, ObjectEntry>, blobs: Map<string, Buffer>): string {
  for (let dir = path.posix.dirname(rel); ; dir = path.posix.dirname(dir)) {
    const pkg = entries.get(dir === '.' ? 'package.json' : `${dir}/package.json`);
    if (pkg) {
      try {
        const type = (JSON.parse(blobs.get(pkg.oid)?.toString('utf8') ?? '{}') as { type?: unknown }).type;
        return type === 'module' ? 'module' : 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    if (dir === '.' || dir === '') return 'commonjs';
  }
}

/**
 * The policy files (and baseline) a range changes: any file named like a policy file, a --config file, and a
 * package.json whose "codeai" key a changed line touches. Reported, never applied (they apply after merge).
 */
export function changedPolicyFiles(files: DiffFile[], configRel?: string): string[] {
  const names = new Set<string>([...SEARCH_PLACES.filter((p) => p !== 'package.json'), '.codeai-baseline.json']);
  const changed = new Set<string>();
  for (const f of files) {
    for (const p of [f.path, f.oldPath].filter((x): x is string => x !== undefined)) {
      const base = path.posix.basename(p);
      const touchesKey = base === 'package.json' && f.hunks.some((h) => h.lines.some((l) => l.kind !== 'context' && /"codeai"\s*:/.test(l.text)));
      if (names.has(base) || p === configRel || touchesKey) changed.add(p);
    }
  }
  return [...changed].sort();
}
