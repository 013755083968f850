import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { shellQuote } from './block.js';
import { isInside, posixRelative } from './paths.js';

export type JsonObject = Record<string, unknown>;

export interface PackageJson {
  file: string;
  /** The exact text read: what uninstall restores. */
  text: string;
  data: JsonObject;
}

/** The nearest folder holding a package.json, from `from` up to `top` (both included); null when none. */
export function nearestPackageDir(from: string, top: string): string | null {
  for (let dir = from; isInside(top, dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (dir === top) break;
  }
  return null;
}

export function readPackageJson(file: string): PackageJson | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ConfigError(`${file} is not valid JSON (${(err as Error).message}): fix it and run codeai-hook install again`, file);
  }
  if (!isObject(data)) throw new ConfigError(`${file} does not hold a JSON object: fix it and run codeai-hook install again`, file);
  return { file, text, data };
}

/** Writes `data` the way npm and husky do (JSON.stringify), keeping the file's indent, line ending and final newline. */
export function formatLike(original: string, data: JsonObject): string {
  const bom = original.startsWith('\uFEFF') ? '\uFEFF' : '';
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  // A one-line file stays on one line.
  const indent = original.trimEnd().includes('\n') ? (/^([ \t]+)\S/m.exec(original)?.[1] ?? 2) : undefined;
  const body = JSON.stringify(data, null, indent).replace(/\n/g, eol);
  return bom + body + (/\n\s*$/.test(original) ? eol : '');
}

/**
 * The prepare command that re-creates husky's hooks after `npm install`, run from the package that owns the hooks
 * folder. husky must run where `.git` is, given the folder relative to it: `cd .. && husky frontend/.husky`.
 */
export function huskyCommand(ownerDir: string, top: string, huskyDir: string): string {
  const dir = posixRelative(top, huskyDir);
  const run = dir === '.husky' ? 'husky' : `husky ${shellQuote(dir)}`;
  return ownerDir === top ? run : `cd ${posixRelative(ownerDir, top)} && ${run}`;
}

/** The prepare script with husky in it, or null when it already runs husky. */
export function prepareWithHusky(pkg: PackageJson, command: string): string | null {
  const current = scripts(pkg).prepare;
  if (current === undefined || (typeof current === 'string' && current.trim() === '')) return command;
  if (typeof current !== 'string') {
    throw new ConfigError(`"scripts.prepare" in ${pkg.file} is not a string: fix package.json and run codeai-hook install again`, pkg.file, 'scripts.prepare');
  }
  return /\bhusky\b/.test(current) ? null : `${current} && ${command}`;
}

/** A copy of the data with scripts.prepare set (value) or removed (null). */
export function withPrepare(data: JsonObject, value: string | null): JsonObject {
  const copy: JsonObject = { ...data };
  const next: JsonObject = { ...(isObject(data.scripts) ? data.scripts : {}) };
  if (value === null) delete next.prepare;
  else next.prepare = value;
  copy.scripts = next;
  return copy;
}

export function scripts(pkg: PackageJson): JsonObject {
  if (pkg.data.scripts === undefined) return {};
  if (!isObject(pkg.data.scripts)) {
    throw new ConfigError(`"scripts" in ${pkg.file} is not an object: fix package.json and run codeai-hook install again`, pkg.file, 'scripts');
  }
  return pkg.data.scripts;
}

export function dependsOn(pkg: PackageJson, name: string): boolean {
  return ['dependencies', 'devDependencies', 'optionalDependencies'].some((field) => {
    const deps = pkg.data[field];
    return isObject(deps) && name in deps;
  });
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
