import { nodeBuiltin } from '../node-builtin.js';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomicSync } from '../atomic-write.js';
import { removeIfInterrupted } from '../interrupt.js';
import { readRegularFileSync } from '../regular-file.js';
import { CATEGORIES, CONFIDENCES, SEVERITIES, type ChangeSummary, type DroppedFinding, type Finding } from '../types.js';
import { isSummary } from './summary.js';

/** Findings of one unit, stored by a hash of everything that decides them. */
export interface FindingsCache {
  readonly dir: string;
  /** A unit's cached answer: its findings, and what it held that could not be placed (so a cached run reports the same). */
  get(key: string): Promise<{ findings: Finding[]; dropped: DroppedFinding[] } | undefined>;
  set(key: string, findings: Finding[], dropped?: DroppedFinding[]): Promise<void>;
  /** The change summary (review/summarize.ts), stored the same way under its own key. */
  getSummary?(key: string): Promise<ChangeSummary | undefined>;
  setSummary?(key: string, summary: ChangeSummary): Promise<void>;
}

const ENTRY_VERSION = 1;

/**
 * Where the cache lives: CODEAI_CACHE_DIR, else $XDG_CACHE_HOME/codeai-hook, else the project's
 * node_modules/.cache/codeai-hook (the folder babel, eslint and friends use, and CI caches restore), else ~/.cache.
 */
export function cacheDir(projectRoot: string, env: NodeJS.ProcessEnv): string {
  if (env.CODEAI_CACHE_DIR) return path.resolve(env.CODEAI_CACHE_DIR);
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'codeai-hook');
  const nodeModules = path.join(projectRoot, 'node_modules');
  if (existsSync(nodeModules)) return path.join(nodeModules, '.cache', 'codeai-hook');
  return path.join(os.homedir(), '.cache', 'codeai-hook');
}

export function cacheKey(parts: Record<string, unknown>): string {
  return nodeBuiltin('node:crypto').createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

function isFinding(value: unknown): value is Finding {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const f = value as Record<string, unknown>;
  return (
    typeof f.file === 'string' &&
    Number.isInteger(f.line) &&
    (SEVERITIES as readonly unknown[]).includes(f.severity) &&
    (CATEGORIES as readonly unknown[]).includes(f.category) &&
    typeof f.title === 'string' &&
    typeof f.message === 'string' &&
    (f.source === 'model' || f.source === 'builtin') &&
    (f.confidence === undefined || (CONFIDENCES as readonly unknown[]).includes(f.confidence))
  );
}

function isDropped(value: unknown): value is DroppedFinding {
  const d = value as Partial<DroppedFinding> | null;
  return typeof d === 'object' && d !== null && typeof d.reason === 'string' && (d.title === undefined || typeof d.title === 'string');
}

// An entry is a small file read or written whole, with synchronous calls: the asynchronous ones paid a thread pool
// round trip for each of open, stat, read and close: 0.7–1.7 ms for one entry against 0.2 ms (fresh process, measured).
export function openCache(dir: string): FindingsCache {
  const fileOf = (key: string) => path.join(dir, key.slice(0, 2), `${key}.json`);
  const read = async (key: string): Promise<Record<string, unknown> | undefined> => {
    try {
      const entry = JSON.parse(readEntry(fileOf(key))) as Record<string, unknown> | null;
      // A corrupt or foreign entry is a miss; the next write replaces it.
      return entry?.v === ENTRY_VERSION ? entry : undefined;
    } catch {
      return undefined;
    }
  };
  const write = async (key: string, entry: Record<string, unknown>): Promise<void> => {
    const file = fileOf(key);
    // Readers (another commit in another worktree) see the old entry or the new one, never half of one.
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomicSync(file, JSON.stringify({ v: ENTRY_VERSION, ...entry }), { guard: removeIfInterrupted });
    } catch {
      // A cache that cannot be written (read-only node_modules, full disk) must not fail a commit.
    }
  };
  return {
    dir,
    async get(key) {
      const entry = await read(key);
      const findings = entry?.findings;
      // Every item is checked too: a finding without a file or line would break the stages after the review.
      if (!Array.isArray(findings) || !findings.every(isFinding)) return undefined;
      return { findings, dropped: Array.isArray(entry!.dropped) ? entry!.dropped.filter(isDropped) : [] };
    },
    set: (key, findings, dropped = []) => write(key, { findings, ...(dropped.length > 0 ? { dropped } : {}) }),
    async getSummary(key) {
      const summary = (await read(key))?.summary;
      return isSummary(summary) ? summary : undefined;
    },
    setSummary: (key, summary) => write(key, { summary }),
  };
}

/**
 * An entry's text; throws (a miss) for anything but a regular file: a FIFO or a terminal in an entry's place (a
 * symlink committed into node_modules/.cache) is never read (regular-file.ts).
 */
function readEntry(file: string): string {
  const text = readRegularFileSync(file);
  if (text === null) throw new Error(`${file} is not a file`);
  return text;
}
