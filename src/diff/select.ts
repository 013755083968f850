// Which changed files go to the model. Every file that does not is returned with one short reason, so the report
// can show that nothing was dropped silently.

import { readAsBinary } from './blob-text.js';
import { ConfigError } from '../errors.js';
import { compileGlob as compilePolicyGlob } from '../policy/glob.js';
import type { DiffFile, Policy, SkippedFile } from '../types.js';

export type SelectPolicy = Pick<Policy, 'include' | 'exclude' | 'maxFileBytes' | 'defaultExcludes'>;

export interface Selection {
  selected: DiffFile[];
  skipped: SkippedFile[];
  /** Paths the user's include/exclude globs keep out of the review altogether (a subset of `skipped`). */
  excluded: Set<string>;
}

export function selectFiles(files: DiffFile[], policy: SelectPolicy): Selection {
  const rules = compileRules(policy);
  const selected: DiffFile[] = [];
  const skipped: SkippedFile[] = [];
  const excluded = new Set<string>();
  for (const file of files) {
    const byGlobs = globReason(file, rules);
    if (byGlobs !== null) excluded.add(file.path);
    const reason = byGlobs ?? skipReason(file, rules);
    if (reason === null) selected.push(file);
    else skipped.push({ path: file.path, reason });
  }
  return { selected, skipped, excluded };
}

interface Glob {
  pattern: string;
  /** undefined: the name is too long for this glob to be decided in bounded time. */
  matches: (path: string) => boolean | undefined;
}

interface Rules {
  include: Glob[];
  exclude: Glob[];
  defaultExcludes: boolean;
  maxFileBytes: number;
}

function compileRules(policy: SelectPolicy): Rules {
  const include = policy.include.length > 0 ? policy.include : ['**'];
  return {
    include: include.map((pattern) => compileGlob(pattern, 'include')),
    exclude: policy.exclude.map((pattern) => compileGlob(pattern, 'exclude')),
    defaultExcludes: policy.defaultExcludes,
    maxFileBytes: policy.maxFileBytes,
  };
}

function compileGlob(pattern: string, key: string): Glob {
  try {
    return compilePolicyGlob(pattern);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`${key}: '${pattern}' is not a valid glob (${why})`, null, key);
  }
}

/**
 * Why the user's own globs keep a file out, or null. A glob that cannot decide a name in bounded time fails closed:
 * it neither excludes the file nor leaves it out of include, so the file is reviewed.
 */
function globReason(file: DiffFile, rules: Rules): string | null {
  const excludedBy = rules.exclude.find((glob) => glob.matches(file.path) === true);
  if (excludedBy) return `excluded by '${excludedBy.pattern}'`;
  if (!rules.include.some((glob) => glob.matches(file.path) !== false)) return 'not in include';
  return null;
}

/** Why a file the globs let in is still not sent to the model, or null. */
function skipReason(file: DiffFile, rules: Rules): string | null {
  if (file.submodule) return 'submodule';
  if (readAsBinary(file)) return 'binary';
  if (file.status === 'deleted') return 'deleted';
  if (file.hunks.length === 0) return 'no content change';
  if (rules.defaultExcludes) {
    const kind = defaultExcludeKind(file);
    if (kind !== null) return kind;
  }
  if (addedBytes(file, rules.maxFileBytes) > rules.maxFileBytes) return `larger than ${kilobytes(rules.maxFileBytes)} KB`;
  return null;
}

// ---------- default excludes: files a reviewer would not read line by line ----------

const LOCKFILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
  'deno.lock',
  'Cargo.lock',
  'poetry.lock',
  'Pipfile.lock',
  'uv.lock',
  'pdm.lock',
  'Gemfile.lock',
  'composer.lock',
  'go.sum',
  'go.work.sum',
  'mix.lock',
  'pubspec.lock',
  'Podfile.lock',
  'Package.resolved',
  'packages.lock.json',
  'gradle.lockfile',
  'flake.lock',
  'conan.lock',
]);

const VENDOR_DIRS = new Set(['vendor', 'node_modules', 'third_party', 'third-party', 'bower_components']);
const GENERATED_DIRS = new Set(['dist', 'build', '__generated__']);
const GENERATED_NAME = /\.generated\.|_pb2(?:_grpc)?\.py$|\.pb\.(?:go|cc|h)$|_pb\.(?:js|d\.ts)$|\.g\.dart$|\.(?:js|css)\.map$/;
const MINIFIED_NAME = /[.-]min\.(?:js|mjs|cjs|css)$/;
const GENERATED_MARKER = /@generated|DO NOT EDIT/;
/**
 * Minified text is long lines with almost no whitespace, over the whole file the diff shows: one long hand-written
 * line (a paragraph of documentation, a data URI) among short ones is not minification, and neither is prose,
 * whose every sixth character is a space.
 */
const MINIFIED = { minChars: 2000, averageLine: 200, maxWhitespace: 0.1 };
/** Generator banners sit at the top of the file. */
const BANNER_LINES = 5;

function defaultExcludeKind(file: DiffFile): 'vendored' | 'lockfile' | 'generated' | 'minified' | null {
  const segments = file.path.split('/');
  const name = segments[segments.length - 1]!;
  const dirs = segments.slice(0, -1);
  if (dirs.some((dir) => VENDOR_DIRS.has(dir))) return 'vendored';
  if (LOCKFILES.has(name)) return 'lockfile';
  if (dirs.some((dir) => GENERATED_DIRS.has(dir)) || GENERATED_NAME.test(name) || hasGeneratedBanner(file)) {
    return 'generated';
  }
  if (MINIFIED_NAME.test(name) || looksMinified(file)) return 'minified';
  return null;
}

function hasGeneratedBanner(file: DiffFile): boolean {
  // The banner is often unchanged context when a generator re-runs, so context lines count too.
  for (const hunk of file.hunks) {
    if (hunk.newStart > BANNER_LINES) break;
    for (const line of hunk.lines) {
      if (line.newLine === undefined) continue;
      if (line.newLine > BANNER_LINES) break;
      if (GENERATED_MARKER.test(line.text)) return true;
    }
  }
  return false;
}

/** Average line length and whitespace ratio over the new side of the file (added and context lines). */
function looksMinified(file: DiffFile): boolean {
  let chars = 0;
  let lines = 0;
  let whitespace = 0;
  for (const hunk of file.hunks) {
    for (const line of hunk.lines) {
      if (line.kind === 'del') continue;
      chars += line.text.length;
      lines++;
      for (let i = 0; i < line.text.length; i++) {
        const c = line.text.charCodeAt(i);
        if (c === 32 || c === 9) whitespace++;
      }
    }
  }
  if (lines === 0 || chars < MINIFIED.minChars) return false;
  return chars / lines >= MINIFIED.averageLine && whitespace / chars < MINIFIED.maxWhitespace;
}

/** UTF-8 bytes of the added lines, terminators included; stops counting once past `limit`. */
function addedBytes(file: DiffFile, limit: number): number {
  let bytes = 0;
  for (const hunk of file.hunks) {
    for (const line of hunk.lines) {
      if (line.kind !== 'add') continue;
      bytes += Buffer.byteLength(line.text, 'utf8') + 1;
      if (bytes > limit) return bytes;
    }
  }
  return bytes;
}

function kilobytes(bytes: number): string {
  const kb = bytes / 1024;
  return Number.isInteger(kb) ? String(kb) : kb.toFixed(1);
}
