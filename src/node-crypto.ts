// node:crypto, loaded on first use. Importing it costs every process that does ~4 ms (it loads its cipher, key and
// stream modules; --cpu-prof of a hook run), and a commit reviewed by the built-in rules alone hashes nothing: the
// modules on the review path (unit ids, the findings cache, fingerprints, the prompt's fence) ask for it here
// instead of importing it. test/e2e/hook-modules.test.ts checks that such a commit never loads it.

import { createRequire } from 'node:module';

let crypto: typeof import('node:crypto') | undefined;

export function nodeCrypto(): typeof import('node:crypto') {
  return (crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'));
}
