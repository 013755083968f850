import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { LoadedPolicy } from '../types.js';
import { isCodeConfig, loadConfigModule } from './config-module.js';
import { readRegularFileSync } from '../regular-file.js';
import { parseJsonText, parseYamlText } from './parse-text.js';
import { displayPath, validatePolicy } from './validate.js';

/** Looked for in each directory, in this order; the first one found in the nearest directory wins. */
export const SEARCH_PLACES = [
  'package.json',
  '.codeairc',
  '.codeairc.json',
  '.codeairc.yaml',
  '.codeairc.yml',
  '.codeairc.js',
  '.codeairc.mjs',
  'codeai.config.js',
  'codeai.config.mjs',
  'codeai.config.ts',
] as const;

export interface LoadOptions {
  /** `--config FILE`, relative to cwd: load exactly this file, no search. */
  configPath?: string;
  /**
   * The highest directory searched (the git top level); without it only cwd is searched. A promise of it lets the
   * search begin in cwd, always the first directory searched, while git is still finding the top level; the folders
   * above, and the loading of a JS/TS config (which runs its code), wait for it.
   */
  stopDir?: string | Promise<string>;
  /** CODEAI_CONFIG_TIMEOUT_MS: the loading deadline of a JS/TS config. */
  env?: NodeJS.ProcessEnv;
}

/** A policy file's parsed content: `config` undefined for an empty file (all defaults). */
export interface ParsedPolicyFile {
  filepath: string;
  config: unknown;
}

/**
 * The nearest policy file between cwd and stopDir, validated; defaults (file: null) when there is none.
 * Runs on every commit, so it looks at most SEARCH_PLACES per directory and loads one parser.
 */
export async function loadPolicy(cwd: string, opts: LoadOptions = {}): Promise<LoadedPolicy> {
  const env = opts.env ?? process.env;
  const found =
    opts.configPath !== undefined ? await loadGiven(path.resolve(cwd, opts.configPath), opts.stopDir, env) : await searchUp(cwd, opts.stopDir, env);
  if (found === null) return { policy: validatePolicy(undefined, null), file: null };
  return { policy: validatePolicy(found.config, found.filepath), file: found.filepath };
}

/**
 * cosmiconfig's search reads each candidate with readFile, which blocks for ever on a FIFO named .codeairc.yaml
 * (and ignores Ctrl-C while it waits); and it honours a `$import` key that reads any other file. So the search is
 * ours: a candidate must be a regular file, and only cosmiconfig's parsers are used (parse-text.ts).
 *
 * Its file system calls are synchronous: a dozen stats and one small read take microseconds, while each round trip
 * through libuv's thread pool cost the hook 1-3 ms on a loaded machine (realpath, then the stats, then the read, one
 * after the other: 3.5-8 ms of a commit's timeline, hrtime marks in dist/cli.cjs, load 4-6).
 */
async function searchUp(cwd: string, stopDir: string | Promise<string> | undefined, env: NodeJS.ProcessEnv): Promise<ParsedPolicyFile | null> {
  // Real paths: git reports the top level resolved, while cwd may come through a symlink.
  const start = realOrResolved(cwd);
  const nearest = await searchIn(start, stopDir, env);
  if (nearest !== null) return nearest;
  for (const dir of directoriesAbove(start, await stopDir)) {
    const parsed = await searchIn(dir, stopDir, env);
    if (parsed !== null) return parsed;
  }
  return null;
}

async function searchIn(dir: string, stopDir: string | Promise<string> | undefined, env: NodeJS.ProcessEnv): Promise<ParsedPolicyFile | null> {
  const kinds = SEARCH_PLACES.map((place) => fileKind(path.join(dir, place)));
  for (const [i, place] of SEARCH_PLACES.entries()) {
    if (kinds[i] === 'none') continue;
    const file = path.join(dir, place);
    if (kinds[i] === 'other') throw notRegular(file);
    const parsed = await parseFound(file, stopDir, env);
    if (parsed !== null) return parsed;
  }
  return null;
}

/** The folders above `start` up to `stopDir`, nearest first; none when there is no stopDir or start is not under it. */
function directoriesAbove(start: string, stopDir: string | undefined): string[] {
  if (stopDir === undefined) return [];
  const stop = realOrResolved(stopDir);
  const fromStop = path.relative(stop, start);
  if (fromStop === '..' || fromStop.startsWith(`..${path.sep}`) || path.isAbsolute(fromStop)) return [];
  const dirs: string[] = [];
  for (let dir = start; dir !== stop && path.dirname(dir) !== dir; ) {
    dir = path.dirname(dir);
    dirs.push(dir);
  }
  return dirs;
}

/** A found file parsed; a JS/TS config, which runs code, only once git has found the top level (stopDir). */
async function parseFound(file: string, stopDir: string | Promise<string> | undefined, env: NodeJS.ProcessEnv): Promise<ParsedPolicyFile | null> {
  const content = readText(file);
  if (isCodeConfig(file)) await stopDir;
  return parsePolicyFile(file, content, env);
}

async function loadGiven(file: string, stopDir: string | Promise<string> | undefined, env: NodeJS.ProcessEnv): Promise<ParsedPolicyFile> {
  const kind = fileKind(file);
  if (kind === 'none') throw new ConfigError(`${displayPath(file)}: no such file (given with --config)`, file);
  if (kind === 'other') throw new ConfigError(`${displayPath(file)}: not a file (--config takes a policy file)`, file);
  const found = await parseFound(file, stopDir, env);
  if (found === null) throw new ConfigError(`${displayPath(file)}: has no "codeai" key`, file);
  return found;
}

/** 'none' when absent; 'other' for a FIFO, socket, device or folder, which is never read. Symlinks are followed. */
function fileKind(file: string): 'file' | 'other' | 'none' {
  try {
    const info = statSync(file, { throwIfNoEntry: false });
    return info === undefined ? 'none' : info.isFile() ? 'file' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'none';
    throw new ConfigError(`${displayPath(file)}: cannot read: ${firstLine(error)}`, file);
  }
}

function notRegular(file: string): ConfigError {
  return new ConfigError(`${displayPath(file)}: not a regular file (a FIFO, device or folder); a policy must be a plain file: remove or replace it`, file);
}

/**
 * A found file's text. Opened without waiting and checked as opened: a FIFO put in the place of the regular file the
 * search saw is refused, never waited on (a read of it would block the process, Ctrl-C included).
 */
function readText(file: string): string {
  let text: string | null;
  try {
    text = readRegularFileSync(file);
  } catch (error) {
    throw new ConfigError(`${displayPath(file)}: cannot read: ${firstLine(error)}`, file);
  }
  if (text === null) throw notRegular(file);
  return text;
}

/**
 * One policy file's content, parsed by its type: YAML, JSON, package.json's "codeai" key (null when it has none, so
 * the search goes on), or a JS/TS module. `filepath` names the file in messages and decides the parser; the content
 * may come from git's objects (ci reads the policy at the merge base).
 */
export async function parsePolicyFile(filepath: string, content: string, env: NodeJS.ProcessEnv = process.env): Promise<ParsedPolicyFile | null> {
  const base = path.basename(filepath);
  const ext = path.extname(filepath);
  try {
    if (base === 'package.json') {
      const pkg = await parseJsonText(filepath, content);
      const config = pkg !== null && typeof pkg === 'object' ? (pkg as Record<string, unknown>).codeai : undefined;
      return config === undefined ? null : { filepath, config: config ?? undefined };
    }
    // An empty file (or only comments) is a policy of all defaults that shadows any file further up.
    if (isCodeConfig(filepath)) return { filepath, config: content.trim() === '' ? undefined : await loadConfigModule(filepath, content, env) };
    if (content.trim() === '') return { filepath, config: undefined };
    // cosmiconfig's loaders by extension: a file with none (.codeairc) is YAML, as there.
    const config =
      ext === '.json' ? await parseJsonText(filepath, content) : ext === '.yaml' || ext === '.yml' || ext === '' ? await parseYamlText(content) : unknownType(filepath);
    return { filepath, config: config ?? undefined };
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const shown = displayPath(filepath);
    if (isCodeConfig(filepath)) throw new ConfigError(`${shown}: cannot load: ${firstLine(error)}; fix the file or remove it`, filepath);
    throw new ConfigError(`${shown}: cannot parse: ${firstLine(error)}; fix the syntax or run 'codeai-hook init --force'`, filepath);
  }
}

function unknownType(filepath: string): never {
  throw new ConfigError(`${displayPath(filepath)}: unknown file type; use .yaml, .yml, .json, .js, .mjs, .ts or a file with no extension`, filepath);
}

function firstLine(error: unknown): string {
  // parse-json colours its code frame when it thinks the terminal can show colour (CI=true does): drop the codes.
  const message = (error instanceof Error ? error.message : String(error)).replace(/\u001b\[[0-9;]*m/g, '');
  // Skip cosmiconfig's "YAML Error in /abs/path:" (the file is named already) and parse-json's code frame lines.
  const line =
    message
      .split('\n')
      .map((text) => text.trim())
      .find((text) => text !== '' && !/^(YAML|JSON|TypeScript) Error in /.test(text) && !/^(>\s*)?\d*\s*\|/.test(text)) ?? 'unreadable content';
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

function realOrResolved(dir: string): string {
  try {
    // The native call, as fs/promises' realpath is.
    return realpathSync.native(dir);
  } catch {
    return path.resolve(dir);
  }
}
