// Where the launcher (launcher.ts) keeps V8's code cache of the bundles: per user, never in a repository or work tree.
// A cache file is compiled code V8 runs, so a folder anyone else could write to is never used: the folder must be
// ours (owner = this user) and closed to group and others, and it is not a symlink. Every failure means "no cache":
// the CLI then compiles from source, exactly as without one.
//
// V8 checks a cache's version, flags and source length, but not its bytes: a file damaged after its header makes V8
// abort the process (seen in test/e2e/code-cache.test.ts). So each file carries a CRC-32 of its payload, checked
// before V8 sees it. The folder is this user's own and closed to others (below), so the check guards against damage
// (a torn write, a bad disk), not against an attacker, and a CRC is the right tool: zlib's is native and loading
// node:zlib costs ~2.5 ms, where the SHA-256 it replaces loaded node:crypto and through it node:stream, ~6 ms on every
// commit (measured in a fresh process, five runs each).

import { crc32 } from 'node:zlib';
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomicSync } from './atomic-write.js';

/** Larger than any cache of ours (the CLI's is a few MB): a bigger file is not ours, and is not read. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;
/** A file starts with MAGIC, then the CRC-32 of the rest (V8's cache data), 4 bytes big-endian. */
const MAGIC = Buffer.from('codeaiV8\x02', 'latin1');
const HEADER = MAGIC.length + 4;

function digest(payload: Buffer): Buffer {
  const sum = Buffer.allocUnsafe(4);
  sum.writeUInt32BE(crc32(payload));
  return sum;
}

/**
 * $XDG_CACHE_HOME/codeai-hook/v8, else ~/.cache/codeai-hook/v8, else a folder of this user's own in the temp folder.
 * null when CODEAI_CODE_CACHE=0 or no safe folder can be had.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv): string | null {
  // zlib.crc32 came in Node 20.15: an older Node runs without a cache rather than with an unchecked one.
  if (env.CODEAI_CODE_CACHE === '0' || typeof crc32 !== 'function') return null;
  const candidates: string[] = [];
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) candidates.push(path.join(env.XDG_CACHE_HOME, 'codeai-hook', 'v8'));
  try {
    const home = os.homedir();
    if (home) candidates.push(path.join(home, '.cache', 'codeai-hook', 'v8'));
  } catch {
    // No home folder (a user without one): the temp folder below.
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  candidates.push(path.join(os.tmpdir(), `codeai-hook-${uid}`, 'v8'));
  for (const dir of candidates) if (ownPrivateDir(dir)) return dir;
  return null;
}

/** Creates `dir` (mode 0700) when missing; true when it is a real folder of this user that no one else can write. */
function ownPrivateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // The folder itself is what counts: its parent may be group-writable under a umask of 002 (one group per user).
    return isPrivate(lstatSync(dir));
  } catch {
    return false;
  }
}

function isPrivate(stat: import('node:fs').Stats): boolean {
  if (!stat.isDirectory()) return false;
  if (typeof process.getuid !== 'function') return true; // Windows: no POSIX owner or mode to check
  return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
}

/** The cache stored under `name`, or null (none, unreadable, not a regular file, too large, damaged). */
export function readCodeCache(dir: string, name: string): Buffer | null {
  let fd: number | undefined;
  try {
    fd = openSync(path.join(dir, name), 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size <= HEADER || stat.size > MAX_CACHE_BYTES) return null;
    const data = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, data, read, stat.size - read, read);
      if (n === 0) return null;
      read += n;
    }
    const payload = data.subarray(HEADER);
    if (!data.subarray(0, MAGIC.length).equals(MAGIC) || !data.subarray(MAGIC.length, HEADER).equals(digest(payload))) return null;
    return payload;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Stores `data` under `name` atomically (a temporary file renamed over it: a reader sees the old file or the new one,
 * never half of one), then removes the caches of this bundle (`bundlePrefix`) from other builds or Node versions
 * (not starting with `buildPrefix`), so that updates leave no litter. Throws on failure; the launcher ignores it.
 */
export function writeCodeCache(dir: string, name: string, data: Buffer, prefixes: { bundle: string; build: string }): void {
  writeFileAtomicSync(path.join(dir, name), Buffer.concat([MAGIC, digest(data), data]), { mode: 0o600 });
  const now = Date.now();
  for (const file of readdirSync(dir)) {
    const full = path.join(dir, file);
    try {
      // Another build's cache of this bundle, or the temporary file of a run killed while writing (an hour old).
      if (file.endsWith('.tmp') ? now - lstatSync(full).mtimeMs > 3_600_000 : file.startsWith(prefixes.bundle) && !file.startsWith(prefixes.build)) {
        unlinkSync(full);
      }
    } catch {
      // Another run removed it first: harmless.
    }
  }
}
