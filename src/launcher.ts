#!/usr/bin/env node
// What the codeai-hook command runs (dist/bin.js). It loads the bundled CLI (dist/cli.cjs) and, when a model is
// called, that provider's client (dist/sdk/*.cjs), each compiled from V8's code cache when there is one: compiling
// the CLI from source cost every commit ~40 ms (measured), and Node 20 caches the code of no file of ours itself.
//
// The cache is V8's own (vm.Script cachedData), kept per user (code-cache.ts), one file per bundle, build, Node
// version and command, written once after the first finished run that lacked it. V8 refuses a cache made by another
// V8 or with other flags, but knows the source only by its length: the file name holds the bundle's content hash,
// size and modification time, so a changed bundle never meets an old cache. Without a usable cache, or where none
// can be written, the CLI simply compiles from source: same code, same output (test/e2e/code-cache.test.ts).
//
// Kept small and free of the CLI's own modules: everything here runs before the CLI exists. Built as CommonJS
// (dist/package.json says so): Node's ES module loader, for this one entry file, cost every commit ~10 ms (measured).

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { codeCacheDir, readCodeCache, writeCodeCache } from './code-cache.js';

/** Each bundle's content hash, filled in by the build (scripts/build.mjs). */
declare const CODEAI_BUNDLE_HASHES: Record<string, string>;

/** What the bundles reach the launcher by (external-import.ts, and the build's model client stubs). */
export interface LauncherHost {
  importModule(specifier: string): Promise<unknown>;
  loadChunk(name: string): unknown;
}

type Wrapped = (
  exports: object,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dirname: string,
  host: LauncherHost,
  importMetaUrl: string,
) => void;

interface Compiled {
  name: string;
  script: vm.Script;
  /** Whether V8 took the cache that was read: false for none, or one it refused. */
  fromCache: boolean;
  /** The variant read (the CLI's depends on the command), '' for none or a client bundle. */
  variant: string;
  build: string;
}

// The same text on every run: V8 keys its cache on the script's source.
const HEAD = '(function (exports, require, module, __filename, __dirname, __codeaiHost, __codeaiImportMetaUrl) {';
const TAIL = '\n})';

const dist = __dirname;
const cacheDir = codeCacheDir(process.env);
const command = /^[a-z-]{1,20}$/.test(process.argv[2] ?? '') ? process.argv[2]! : 'none';
const compiled: Compiled[] = [];
/** Each bundle's exports, once: a bundle's modules must be one instance however many stubs ask for it. */
const loaded = new Map<string, unknown>();

const host: LauncherHost = {
  // This file is a real CommonJS module, so its import() works; code compiled by vm.Script has none
  // (external-import.ts).
  importModule: (specifier) => import(specifier),
  loadChunk: (name) => {
    if (!loaded.has(name)) loaded.set(name, load(name));
    return loaded.get(name);
  },
};

/** esbuild writes ASCII only, so a bundle is read as one-byte text: no UTF-8 decoding on the path of every commit. */
function readBundle(file: string): { source: string; stamp: string } {
  const fd = openSync(file, 'r');
  try {
    const { size, mtimeMs } = fstatSync(fd);
    const bytes = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    // V8 checks a cache against its source's length only, and runs the cached code of an old text of the same
    // length: a bundle edited in place (a patch to node_modules) must not meet its old cache, so its size and time
    // are part of the key beside the build's hash.
    return { source: bytes.toString('latin1', 0, read), stamp: `${read.toString(36)}.${Math.floor(mtimeMs).toString(36)}` };
  } finally {
    closeSync(fd);
  }
}

/** Runs bundle `name` (relative to dist/) and returns its exports; compiled from the code cache when one is usable. */
function load(name: string): unknown {
  const file = path.join(dist, name);
  const { source, stamp } = readBundle(file);
  const build = `${bundleSlug(name)}${CODEAI_BUNDLE_HASHES[name] ?? 'dev'}-${stamp}-${process.version}-${process.arch}-`;
  // The CLI's cache depends on the command (each compiles other functions) and on whether a model was called.
  const variants = name === 'cli.cjs' ? [`${command}-model`, command] : [''];
  let cached: { data: Buffer; variant: string } | null = null;
  for (const variant of cacheDir ? variants : []) {
    const data = readCodeCache(cacheDir!, build + variant);
    if (data) {
      cached = { data, variant };
      break;
    }
  }
  let script: vm.Script;
  try {
    script = new vm.Script(HEAD + source + TAIL, { filename: file, ...(cached ? { cachedData: cached.data } : {}) });
  } catch (error) {
    if (!cached || error instanceof SyntaxError) throw error;
    // A cache V8 could not even look at: compile from source.
    script = new vm.Script(HEAD + source + TAIL, { filename: file });
    cached = null;
  }
  compiled.push({ name, script, fromCache: cached !== null && !script.cachedDataRejected, variant: cached?.variant ?? '', build });
  const module = { exports: {} as unknown };
  const wrapped = script.runInThisContext() as Wrapped;
  wrapped(module.exports as object, createRequire(file), module, file, path.dirname(file), host, pathToFileURL(file).href);
  return module.exports;
}

function bundleSlug(name: string): string {
  return `${name.replace(/[^a-z0-9]+/gi, '-')}-`;
}

/**
 * After the run, the caches it lacked: V8 serialises every function compiled so far, so the next run of this command
 * starts with all of them. Only after a run that finished (exit 0 or 1): an interrupted or failed one compiled too
 * little to be worth keeping. A cache that lacks a function only means that function is compiled from source.
 * Never throws, never changes the exit code.
 */
function saveCaches(code: number): void {
  if (!cacheDir || (code !== 0 && code !== 1)) return;
  const modelCalled = compiled.some((c) => c.name.startsWith('sdk/'));
  for (const c of compiled) {
    const isCli = c.name === 'cli.cjs';
    const wanted = isCli ? (modelCalled ? `${command}-model` : command) : '';
    // A CLI cache from a run without a model lacks the model path's functions; one with a model has them all.
    if (c.fromCache && !(isCli && modelCalled && c.variant !== wanted)) continue;
    try {
      writeCodeCache(cacheDir, c.build + wanted, c.script.createCachedData(), { bundle: bundleSlug(c.name), build: c.build });
    } catch {
      // A cache is an optimisation: never a reason to fail or to say anything.
    }
  }
}

process.once('exit', (code) => saveCaches(code));
load('cli.cjs');
