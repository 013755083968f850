import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';

// What install changed, kept so uninstall can put back exactly what was there. It lives in the git dir shared by
// all worktrees (never committed); paths are absolute because worktrees have different tops.

/** A hook file install created or appended to. */
export interface FileChange {
  kind: 'file';
  path: string;
  /** Base64 of the bytes before install; null when install created the file. */
  before: string | null;
  /** The file's mode before install (install may add the executable bits); null when created. */
  mode: number | null;
  /** sha256 of the bytes install left: when still equal, uninstall restores `before` exactly. */
  after: string;
}

export interface PackageJsonChange {
  kind: 'package-json';
  path: string;
  before: string;
  after: string;
  prepare: { before: string | null; after: string; scriptsExisted: boolean };
}

export interface HooksPathChange {
  kind: 'hooks-path';
  before: string | null;
  after: string;
}

/** A folder install created: husky's `_` (removed whole: husky writes it) or a hooks folder (removed when empty). */
export interface DirChange {
  kind: 'dir';
  path: string;
  whole: boolean;
}

/** Commands added to simple-git-hooks' config (package.json "simple-git-hooks", or its own JSON file). */
export interface SimpleGitHooksChange {
  kind: 'simple-git-hooks';
  path: string;
  /** "simple-git-hooks" when the config is that key of package.json; null when the file is the config. */
  key: string | null;
  edits: { hook: 'pre-commit' | 'commit-msg'; before: string | null; after: string }[];
  /** Base64 of the file's bytes before install, and the sha256 of what install left. */
  before: string;
  after: string;
}

export type Change = FileChange | PackageJsonChange | HooksPathChange | DirChange | SimpleGitHooksChange;

export interface InstallRecord {
  version: 1;
  /** In the order they were made; uninstall undoes them last first. */
  changes: Change[];
}

export function recordFile(commonDir: string): string {
  return path.join(commonDir, 'codeai-hook', 'install.json');
}

export function readRecord(commonDir: string): InstallRecord | null {
  const file = recordFile(commonDir);
  if (!existsSync(file)) return null;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as InstallRecord;
    if (record.version === 1 && Array.isArray(record.changes)) return record;
  } catch {
    // reported below
  }
  throw new ConfigError(`${file} is damaged: delete it, then remove the codeai-hook block from your hook file by hand`, file);
}

export function writeRecord(commonDir: string, record: InstallRecord): void {
  const file = recordFile(commonDir);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
}

export function deleteRecord(commonDir: string): void {
  const file = recordFile(commonDir);
  rmSync(file, { force: true });
  try {
    rmdirSync(path.dirname(file));
  } catch {
    // not empty or already gone: someone else's files stay
  }
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
