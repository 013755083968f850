import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The folder of the codeai-hook package itself (holding package.json, hooks/, dist/), found by walking up from this
 * module: the same answer from src/ under the tests and from the bundled chunks in dist/.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'codeai-hook') {
      return (cached = dir);
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('codeai-hook cannot find its own package.json: reinstall codeai-hook');
    dir = up;
  }
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
