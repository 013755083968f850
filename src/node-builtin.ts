// Node's own modules that only some runs need, loaded on first use instead of when a module naming them loads:
// node:crypto cost a hook run ~4 ms to import (its cipher, key and stream modules; --cpu-prof) and a commit reviewed
// by the built-in rules alone hashes nothing; node:http / node:https (TLS) / node:zlib are for a model request;
// node:fs/promises (~1.5 ms to import, measured) for the model's context, ci and the editor: a commit reviewed by the
// built-in rules reads only small files, synchronously (regular-file.ts).
// Synchronous: import() is not available everywhere the bundle runs (external-import.ts).
// test/e2e/hook-modules.test.ts checks that a built-in review loads neither node:crypto nor node:fs/promises.

import { createRequire } from 'node:module';

interface Builtins {
  'node:crypto': typeof import('node:crypto');
  'node:fs/promises': typeof import('node:fs/promises');
  'node:http': typeof import('node:http');
  'node:https': typeof import('node:https');
  'node:zlib': typeof import('node:zlib');
}

const requireHere = createRequire(import.meta.url);

/** The module `id`, loaded now if no one has yet (Node keeps one instance of each). */
export function nodeBuiltin<K extends keyof Builtins>(id: K): Builtins[K] {
  return requireHere(id) as Builtins[K];
}
