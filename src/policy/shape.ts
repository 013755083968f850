// Walks over a parsed policy before it is validated. Both are bounded by the policy's size, not by what its YAML
// aliases expand to: a value reached twice is looked at once.

import { normalise } from './describe.js';

/** More values than any real policy holds; a generated object or list goes past it. */
const MAX_VALUES = 10_000;

const SECRET_VALUE = /^(sk-|sk-ant-|AKIA)/;

/** `seen`: a value reached twice (a YAML alias) is looked at once, so an alias bomb costs its size, not its expansion. */
export function findSecret(value: unknown, key: string, seen = new Set<object>()): string | undefined {
  if (typeof value === 'string') return SECRET_VALUE.test(value) ? key : undefined;
  if (typeof value !== 'object' || value === null || seen.has(value)) return undefined;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findSecret(item, `${key}[${i}]`, seen);
      if (found !== undefined) return found;
    }
  } else if (isDict(value)) {
    for (const [name, inner] of Object.entries(value)) {
      const path = key === '' ? name : `${key}.${name}`;
      if (isSecretName(name)) return path;
      const found = findSecret(inner, path, seen);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function isSecretName(name: string): boolean {
  const n = normalise(name);
  return /^(key|token|password|(access|auth|bearer|api)token)$|(apikey|secret|secretkey)$/.test(n);
}

/**
 * Why a policy cannot be validated at all, or null: it refers back into itself (a recursive YAML alias, a JS object holding itself) or holds more
 * values than any policy would: every later step walks the policy and would recurse for ever or for minutes.
 * Depth-first with colours, so a value shared by aliases is walked once.
 */
export function shapeProblem(raw: object): { key: string; problem: string } | null {
  class Found extends Error {
    constructor(readonly found: { key: string; problem: string }) {
      super(found.problem);
    }
  }
  const fail = (key: string, problem: string): never => {
    throw new Found({ key, problem });
  };
  const done = new Set<object>();
  const open = new Set<object>();
  let values = 0;
  const walk = (value: unknown, key: string): void => {
    if (++values > MAX_VALUES) fail(key, `the policy holds more than ${MAX_VALUES} values (a YAML alias bomb?); write it out plainly`);
    if (typeof value !== 'object' || value === null || done.has(value)) return;
    if (open.has(value)) fail(key, `${key} refers back to itself (a recursive alias or a cyclic object); write the value out`);
    open.add(value);
    const entries: Array<[string, unknown]> = Array.isArray(value)
      ? value.map((item, i) => [`${key}[${i}]`, item])
      : Object.entries(value).map(([name, inner]) => [key === '' ? name : `${key}.${name}`, inner]);
    for (const [inner, item] of entries) walk(item, inner);
    open.delete(value);
    done.add(value);
  };
  try {
    walk(raw, '');
  } catch (error) {
    if (error instanceof Found) return error.found;
    throw error;
  }
  return null;
}

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

