import { randomUUID } from 'node:crypto';
import { realpath, rm, stat, writeFile } from 'node:fs/promises';
import nodeModule, { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cosmiconfig, defaultLoaders, type CosmiconfigResult, type Loader } from 'cosmiconfig';
import { ConfigError } from '../errors.js';
import type { LoadedPolicy } from '../types.js';
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
  /** The highest directory searched (the git top level); without it only cwd is searched. */
  stopDir?: string;
}

/**
 * The nearest policy file between cwd and stopDir, validated; defaults (file: null) when there is none.
 * Runs on every commit, so it reads at most SEARCH_PLACES per directory and loads one parser.
 */
export async function loadPolicy(cwd: string, opts: LoadOptions = {}): Promise<LoadedPolicy> {
  const found = opts.configPath !== undefined ? await loadGiven(path.resolve(cwd, opts.configPath)) : await searchUp(cwd, opts.stopDir);
  if (found === null) return { policy: validatePolicy(undefined, null), file: null };
  return { policy: validatePolicy(found.isEmpty ? undefined : found.config, found.filepath), file: found.filepath };
}

// 'global' would end in the user's config directory and 'project' stops at the first package.json (a monorepo
// package) or climbs past the repo; neither is "nearest file up to the repo root", so we walk and cosmiconfig
// looks in one directory at a time.
const explorer = cosmiconfig('codeai', {
  searchPlaces: [...SEARCH_PLACES],
  searchStrategy: 'none',
  // An empty file is a policy (all defaults) that shadows any file further up, as the user would expect.
  ignoreEmptySearchPlaces: false,
  cache: false,
  loaders: {
    ...defaultLoaders,
    '.json': nullAsEmpty(defaultLoaders['.json']),
    '.yaml': nullAsEmpty(defaultLoaders['.yaml']),
    '.yml': nullAsEmpty(defaultLoaders['.yml']),
    noExt: nullAsEmpty(defaultLoaders.noExt),
    '.ts': loadTypeScript,
  },
});

async function searchUp(cwd: string, stopDir: string | undefined): Promise<CosmiconfigResult> {
  for (const dir of await directoriesToSearch(cwd, stopDir)) {
    const found = await explain(() => explorer.search(dir), dir);
    if (found !== null) return found;
  }
  return null;
}

async function directoriesToSearch(cwd: string, stopDir: string | undefined): Promise<string[]> {
  // Real paths: git reports the top level resolved, while cwd may come through a symlink.
  const start = await realOrResolved(cwd);
  const stop = stopDir === undefined ? start : await realOrResolved(stopDir);
  const fromStop = path.relative(stop, start);
  if (fromStop === '..' || fromStop.startsWith(`..${path.sep}`) || path.isAbsolute(fromStop)) return [start];
  const dirs = [start];
  for (let dir = start; dir !== stop && path.dirname(dir) !== dir; ) {
    dir = path.dirname(dir);
    dirs.push(dir);
  }
  return dirs;
}

async function loadGiven(file: string): Promise<CosmiconfigResult> {
  const info = await stat(file).catch(() => null);
  if (info === null) throw new ConfigError(`${displayPath(file)}: no such file (given with --config)`, file);
  if (!info.isFile()) throw new ConfigError(`${displayPath(file)}: not a file (--config takes a policy file)`, file);
  const found = await explain(() => explorer.load(file), file);
  if (found === null) throw new ConfigError(`${displayPath(file)}: has no "codeai" key`, file);
  return found;
}

/** Turns whatever a parser or a config module threw into one ConfigError line that names the file. */
async function explain(load: () => Promise<CosmiconfigResult>, fallbackFile: string): Promise<CosmiconfigResult> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const file = (error as { filepath?: unknown }).filepath;
    const at = typeof file === 'string' ? file : fallbackFile;
    const message = firstLine(error);
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) throw new ConfigError(`${displayPath(at)}: cannot read: ${message}`, at);
    if (message.startsWith('No loader specified')) {
      throw new ConfigError(
        `${displayPath(at)}: unknown file type; use .yaml, .yml, .json, .js, .mjs, .ts or a file with no extension`,
        at,
      );
    }
    if (/\.(m|c)?[jt]s$/.test(at)) throw new ConfigError(`${displayPath(at)}: cannot load: ${message}; fix the file or remove it`, at);
    throw new ConfigError(`${displayPath(at)}: cannot parse: ${message}; fix the syntax or run 'codeai-hook init --force'`, at);
  }
}

function firstLine(error: unknown): string {
  // parse-json colours its code frame when it thinks the terminal can show colour (CI=true does): drop the codes.
  const message = (error instanceof Error ? error.message : String(error)).replace(/\u001b\[[0-9;]*m/g, '');
  // Skip cosmiconfig's "YAML Error in /abs/path:" (the file is named already) and parse-json's code frame lines.
  const line =
    message
      .split('\n')
      .map((text) => text.trim())
      .find((text) => text !== '' && !/^(YAML|JSON|TypeScript) Error in /.test(text) && !/^(>\s*)?\d*\s*\|/.test(text)) ?? '';
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

async function realOrResolved(dir: string): Promise<string> {
  return realpath(dir).catch(() => path.resolve(dir));
}

/**
 * js-yaml reads a file holding only comments (or "---") as null, which cosmiconfig takes for "no config here" and
 * keeps searching; it is an empty policy. package.json keeps null: its "codeai" key is looked up after.
 */
function nullAsEmpty(load: Loader): Loader {
  return async (filepath, content) => {
    const value = await load(filepath, content);
    return value === null && path.basename(filepath) !== 'package.json' ? undefined : value;
  };
}

// ---------- codeai.config.ts ----------

// cosmiconfig's own .ts loader needs the TypeScript 5 compiler API, which TypeScript 7 no longer ships; so the
// config is transpiled with whatever the project has (esbuild is the cheapest), else Node's own type stripping.

interface Esbuild {
  transform(code: string, options: Record<string, unknown>): Promise<{ code: string }>;
}
interface TypeScript5 {
  transpileModule(code: string, options: { fileName: string; compilerOptions: Record<string, unknown> }): { outputText: string };
  ModuleKind: Record<string, number>;
  ScriptTarget: Record<string, number>;
}
type StripTypes = (code: string, options: { mode: 'transform' }) => string;

async function loadTypeScript(filepath: string, content: string): Promise<unknown> {
  const code = await transpile(filepath, content);
  // Beside the config so that its relative imports resolve; a fresh name so the ESM cache never serves a stale one.
  const compiled = `${filepath}.${randomUUID()}.mjs`;
  await writeFile(compiled, code);
  try {
    return ((await import(pathToFileURL(compiled).href)) as { default?: unknown }).default;
  } finally {
    await rm(compiled, { force: true });
  }
}

async function transpile(filepath: string, content: string): Promise<string> {
  const esbuild = optionalModule<Esbuild>('esbuild', filepath, (m) => typeof m.transform === 'function');
  if (esbuild) {
    const options = { loader: 'ts', format: 'esm', target: 'node20', sourcefile: filepath };
    return esbuild.transform(content, options).then(
      (output) => output.code,
      (error: { errors?: { text: string; location: { line: number; column: number } | null }[] }) => {
        // esbuild's message starts "Transform failed with 1 error:"; the first error itself is what helps.
        const first = error.errors?.[0];
        throw first ? new Error(`${first.location ? `${first.location.line}:${first.location.column}: ` : ''}${first.text}`) : error;
      },
    );
  }

  const ts = optionalModule<TypeScript5>('typescript', filepath, (m) => typeof m.transpileModule === 'function');
  if (ts) {
    const compilerOptions = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 };
    return ts.transpileModule(content, { fileName: filepath, compilerOptions }).outputText;
  }

  const strip = (nodeModule as { stripTypeScriptTypes?: StripTypes }).stripTypeScriptTypes;
  if (strip) return strip(content, { mode: 'transform' });

  throw new ConfigError(
    `${displayPath(filepath)}: cannot load a TypeScript config on Node ${process.versions.node}: ` +
      `install esbuild or typescript 5 in the project, use Node 22.13 or later, or rename it to codeai.config.mjs`,
    filepath,
  );
}

/** A package from the config's project first, then from beside codeai-hook; undefined when neither has a usable one. */
function optionalModule<T>(name: string, configFile: string, usable: (m: Partial<T>) => boolean): T | undefined {
  for (const from of [configFile, import.meta.url]) {
    try {
      const candidate = createRequire(from)(name) as Partial<T>;
      if (usable(candidate)) return candidate as T;
    } catch {
      // Not installed there: try the next place.
    }
  }
  return undefined;
}
