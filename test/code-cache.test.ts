// The code cache's files (src/code-cache.ts): read back only whole and unchanged, replaced atomically, and the caches
// of older builds of a bundle removed when a new one is written. The launcher's use of it: test/e2e/code-cache.test.ts.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codeCacheDir, readCodeCache, writeCodeCache } from '../src/code-cache.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('code cache files', () => {
  it('round-trips, and returns null for a missing, damaged or empty file', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'codeai-cc-'));
    const data = Buffer.from('pretend V8 code cache '.repeat(100));
    writeCodeCache(dir, 'cli-cjs-aaa-run', data, { bundle: 'cli-cjs-', build: 'cli-cjs-aaa-' });
    expect(readCodeCache(dir, 'cli-cjs-aaa-run')?.equals(data)).toBe(true);
    expect(readCodeCache(dir, 'cli-cjs-aaa-ci')).toBeNull();
    const file = path.join(dir, 'cli-cjs-aaa-run');
    const stored = readFileSync(file);
    for (const i of [0, 20, stored.length - 1]) {
      const damaged = Buffer.from(stored);
      damaged[i]! ^= 1;
      writeFileSync(file, damaged);
      expect(readCodeCache(dir, 'cli-cjs-aaa-run')).toBeNull();
    }
    writeFileSync(file, '');
    expect(readCodeCache(dir, 'cli-cjs-aaa-run')).toBeNull();
  });

  it('a new build removes the old build\'s caches of that bundle only, and stale temporary files', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'codeai-cc-'));
    const data = Buffer.from('x'.repeat(100));
    writeCodeCache(dir, 'cli-cjs-old-run', data, { bundle: 'cli-cjs-', build: 'cli-cjs-old-' });
    writeCodeCache(dir, 'cli-cjs-old-ci', data, { bundle: 'cli-cjs-', build: 'cli-cjs-old-' });
    writeCodeCache(dir, 'sdk-openai-cjs-old-', data, { bundle: 'sdk-openai-cjs-', build: 'sdk-openai-cjs-old-' });
    writeFileSync(path.join(dir, 'cli-cjs-new-run.123.abc.tmp'), 'half');
    writeFileSync(path.join(dir, 'cli-cjs-old-run.99.zz.tmp'), 'half');
    const hourAgo = (Date.now() - 2 * 3_600_000) / 1000;
    utimesSync(path.join(dir, 'cli-cjs-old-run.99.zz.tmp'), hourAgo, hourAgo);
    writeCodeCache(dir, 'cli-cjs-new-run', data, { bundle: 'cli-cjs-', build: 'cli-cjs-new-' });
    expect(readdirSync(dir).sort()).toEqual(['cli-cjs-new-run', 'cli-cjs-new-run.123.abc.tmp', 'sdk-openai-cjs-old-']);
    expect(statSync(path.join(dir, 'cli-cjs-new-run')).mode & 0o077).toBe(0);
  });

  it('CODEAI_CODE_CACHE=0 turns it off; otherwise $XDG_CACHE_HOME/codeai-hook/v8, made private', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'codeai-cc-'));
    expect(codeCacheDir({ CODEAI_CODE_CACHE: '0', XDG_CACHE_HOME: dir })).toBeNull();
    expect(codeCacheDir({ XDG_CACHE_HOME: dir })).toBe(path.join(dir, 'codeai-hook', 'v8'));
    expect(statSync(path.join(dir, 'codeai-hook', 'v8')).mode & 0o077).toBe(0);
  });
});
