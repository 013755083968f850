// Loading a policy written as code (codeai.config.js / .mjs / .cjs / .ts). Such a file runs when loaded, and whatever
// it does must not decide the hook's exit code: a promise that never settles once emptied the event loop and the
// process exited 0 with no output (git then committed); process.exit(0) inside it did the same; a rejection nobody
// awaited crashed Node with exit 1, which reads as "blocked". So loading gets a deadline (whose timer also keeps the
// process alive), an exit listener that turns an exit from inside the config into exit 2 with one line, and a
// listener that turns a stray rejection into a config error naming the file. It runs in this process: a worker would
// cost every commit of a JS-config user ~60 ms (measured), and YAML/JSON users pay nothing for any of this.
//
// A .ts config is transpiled in memory and compiled as CommonJS under its own file name, so its imports resolve as if
// it were beside itself and nothing is ever written beside it (a killed hook used to leave
// codeai.config.ts.<uuid>.mjs in the work tree).

import { writeSync } from 'node:fs';
import nodeModule, { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';
import { importExternal } from '../external-import.js';
import { interruption } from '../interrupt.js';
import { displayPath } from './validate.js';

const DEFAULT_DEADLINE_MS = 10_000;

export function isCodeConfig(file: string): boolean {
  return /\.(?:m|c)?[jt]s$/.test(file);
}

/** The value a config module exports (its default export, awaited), within the loading deadline. */
export async function loadConfigModule(filepath: string, content: string, env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
  const deadlineMs = deadlineOf(env);
  return guarded(filepath, deadlineMs, async () => {
    const exported = filepath.endsWith('.ts') ? await loadTypeScript(filepath, content) : await importModule(filepath);
    return await exported;
  });
}

function deadlineOf(env: NodeJS.ProcessEnv): number {
  const ms = Number(env.CODEAI_CONFIG_TIMEOUT_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_DEADLINE_MS;
}

async function importModule(filepath: string): Promise<unknown> {
  return ((await importExternal(pathToFileURL(filepath).href)) as { default?: unknown }).default;
}

async function guarded(filepath: string, deadlineMs: number, load: () => Promise<unknown>): Promise<unknown> {
  const shown = displayPath(filepath);
  let stray: { reason: unknown } | undefined;
  const onRejection = (reason: unknown) => {
    stray ??= { reason };
  };
  // Runs before any other exit listener (the CLI's own guard), so the one line printed is this specific one.
  const onExit = (code: number) => {
    if (interruption() !== null) return; // our own exit on Ctrl-C: its code stands
    writeSync(2, `codeai-hook: ${shown}: the config ended the process (exit code ${code}) while loading; a policy file must only export the policy\n`);
    process.exitCode = 2;
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ConfigError(`${shown}: did not finish loading within ${deadlineMs / 1000} s (a promise that never settles?); fix the file or remove it`, filepath)),
      deadlineMs,
    );
  });
  process.on('unhandledRejection', onRejection);
  process.prependListener('exit', onExit);
  try {
    const value = await Promise.race([load(), deadline]);
    // A rejection nobody awaited is reported after the current tick: give it that tick before deciding.
    await new Promise((resolve) => setImmediate(resolve));
    if (stray) throw new ConfigError(`${shown}: cannot load: ${reasonOf(stray.reason)} (a promise rejected and nobody awaited it); fix the file or remove it`, filepath);
    return value;
  } finally {
    clearTimeout(timer);
    process.off('unhandledRejection', onRejection);
    process.off('exit', onExit);
  }
}

function reasonOf(reason: unknown): string {
  const text = reason instanceof Error ? reason.message : String(reason);
  return text.split('\n')[0] ?? '';
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

interface CommonJsModule {
  filename: string;
  paths: string[];
  exports: unknown;
  _compile(code: string, filename: string): void;
}
type ModuleClass = (new (id: string) => CommonJsModule) & { _nodeModulePaths(dir: string): string[] };

async function loadTypeScript(filepath: string, content: string): Promise<unknown> {
  const compiled = await transpile(filepath, content);
  if (compiled.format === 'esm') {
    // Only Node's type stripping gives ESM here; from memory it cannot import relative files (said in the README).
    const url = `data:text/javascript;base64,${Buffer.from(compiled.code).toString('base64')}`;
    return ((await importExternal(url)) as { default?: unknown }).default;
  }
  const Module = nodeModule as unknown as ModuleClass;
  const mod = new Module(filepath);
  mod.filename = filepath;
  mod.paths = Module._nodeModulePaths(path.dirname(filepath));
  mod._compile(compiled.code, filepath);
  const exported = mod.exports as { __esModule?: boolean; default?: unknown } | undefined;
  return exported && (exported.__esModule || 'default' in exported) ? exported.default : exported;
}

async function transpile(filepath: string, content: string): Promise<{ code: string; format: 'cjs' | 'esm' }> {
  const esbuild = optionalModule<Esbuild>('esbuild', filepath, (m) => typeof m.transform === 'function');
  if (esbuild) {
    const options = { loader: 'ts', format: 'cjs', target: 'node20', sourcefile: filepath };
    return esbuild.transform(content, options).then(
      (output) => ({ code: output.code, format: 'cjs' as const }),
      (error: { errors?: { text: string; location: { line: number; column: number } | null }[] }) => {
        // esbuild's message starts "Transform failed with 1 error:"; the first error itself is what helps.
        const first = error.errors?.[0];
        throw first ? new Error(`${first.location ? `${first.location.line}:${first.location.column}: ` : ''}${first.text}`) : error;
      },
    );
  }

  const ts = optionalModule<TypeScript5>('typescript', filepath, (m) => typeof m.transpileModule === 'function');
  if (ts) {
    const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
    return { code: ts.transpileModule(content, { fileName: filepath, compilerOptions }).outputText, format: 'cjs' };
  }

  const strip = (nodeModule as { stripTypeScriptTypes?: StripTypes }).stripTypeScriptTypes;
  if (strip) return { code: strip(content, { mode: 'transform' }), format: 'esm' };

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
