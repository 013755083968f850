// The findings cache: entries round-trip, anything corrupt reads as a miss, writes are atomic and never fail a
// commit, keys cover every input, and the folder is found in the documented order.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheDir, cacheKey, openCache } from '../../src/review/cache.js';
import type { Finding } from '../../src/types.js';

const finding: Finding = {
  file: 'src/a.ts',
  line: 3,
  severity: 'high',
  category: 'bug',
  title: 'off by one',
  message: 'the loop runs once too often',
  source: 'model',
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'codeai-cache-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const key = cacheKey({ unit: 'some diff' });
const entryFile = (root: string, k: string) => path.join(root, k.slice(0, 2), `${k}.json`);

/** Every file under root, relative. */
function allFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

describe('openCache', () => {
  it.skipIf(process.platform === 'win32')('a FIFO or a link to one in place of an entry is a miss, read without blocking', async () => {
    const cache = openCache(dir);
    mkdirSync(path.dirname(entryFile(dir, key)), { recursive: true });
    execFileSync('mkfifo', [entryFile(dir, key)]);
    // A blocking read would never return: no writer ever opens the FIFO.
    expect(await cache.get(key)).toBeUndefined();
    const other = cacheKey({ unit: 'another diff' });
    mkdirSync(path.dirname(entryFile(dir, other)), { recursive: true });
    symlinkSync(entryFile(dir, key), entryFile(dir, other));
    expect(await cache.get(other)).toBeUndefined();
    // Not vacuous: a real entry next to them is read.
    await cache.set(cacheKey({ unit: 'third' }), [finding]);
    expect((await cache.get(cacheKey({ unit: 'third' })))?.findings).toEqual([finding]);
  });

  it('round-trips findings; an unknown key is a miss', async () => {
    const cache = openCache(dir);
    expect(cache.dir).toBe(dir);
    expect((await cache.get(key))?.findings).toBeUndefined();
    await cache.set(key, [finding]);
    expect((await cache.get(key))?.findings).toEqual([finding]);
    await cache.set(key, []);
    expect((await cache.get(key))?.findings).toEqual([]);
    // A fresh cache on the same folder reads what the first wrote (a later commit).
    expect((await openCache(dir).get(key))?.findings).toEqual([]);
    expect(allFiles(dir)).toEqual([path.join(key.slice(0, 2), `${key}.json`)]);
  });

  it.each([
    ['garbage bytes', Buffer.from([0xff, 0x00, 0x7b, 0x22, 0xfe])],
    ['truncated JSON', '{"v":1,"findings":[{"file":'],
    ['JSON null', 'null'],
    ['a wrong version', JSON.stringify({ v: 99, findings: [finding] })],
    ['no version', JSON.stringify({ findings: [finding] })],
    ['findings not an array', JSON.stringify({ v: 1, findings: { 0: finding } })],
    ['a finding that is not an object', JSON.stringify({ v: 1, findings: [null] })],
    ['a finding without a line', JSON.stringify({ v: 1, findings: [{ ...finding, line: undefined }] })],
    ['a finding with an unknown severity', JSON.stringify({ v: 1, findings: [{ ...finding, severity: 'catastrophic' }] })],
  ])('an entry holding %s reads as a miss, and the next set replaces it', async (_what, content) => {
    mkdirSync(path.dirname(entryFile(dir, key)), { recursive: true });
    writeFileSync(entryFile(dir, key), content);
    const cache = openCache(dir);
    expect((await cache.get(key))?.findings).toBeUndefined();
    await cache.set(key, [finding]);
    expect((await cache.get(key))?.findings).toEqual([finding]);
  });

  it('leaves no .tmp file after a set', async () => {
    const cache = openCache(dir);
    for (let i = 0; i < 5; i++) await cache.set(cacheKey({ i }), [finding]);
    const files = allFiles(dir);
    expect(files).toHaveLength(5);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a folder that cannot be created (a file where the shard folder goes): set does not throw, leaves nothing', async () => {
    writeFileSync(path.join(dir, key.slice(0, 2)), 'not a folder');
    const cache = openCache(dir);
    await expect(cache.set(key, [finding])).resolves.toBeUndefined();
    expect((await cache.get(key))?.findings).toBeUndefined();
    expect(allFiles(dir)).toEqual([key.slice(0, 2)]);
  });

  it('a target that cannot be replaced (a folder where the entry goes): set does not throw, its .tmp is removed', async () => {
    // writeFile of the temporary file succeeds here and the rename fails, so this reaches the cleanup.
    mkdirSync(entryFile(dir, key), { recursive: true });
    const cache = openCache(dir);
    await expect(cache.set(key, [finding])).resolves.toBeUndefined();
    expect(allFiles(dir)).toEqual([]);
  });

  it('a cache folder below a file (unwritable root): set does not throw and get misses', async () => {
    const blocker = path.join(dir, 'blocker');
    writeFileSync(blocker, '');
    const cache = openCache(path.join(blocker, 'cache'));
    await expect(cache.set(key, [finding])).resolves.toBeUndefined();
    expect((await cache.get(key))?.findings).toBeUndefined();
    expect(allFiles(dir)).toEqual(['blocker']);
  });

  it('many concurrent sets of one key leave exactly one valid entry and no temporary files', async () => {
    const cache = openCache(dir);
    const variants = Array.from({ length: 40 }, (_, i) => [{ ...finding, line: i + 1 }]);
    await Promise.all(variants.map((v) => cache.set(key, v)));
    const got = (await cache.get(key))?.findings;
    expect(got).toBeDefined();
    // Whichever write landed last, it is one of the written lists, whole.
    expect(variants).toContainEqual(got);
    expect(allFiles(dir)).toEqual([path.join(key.slice(0, 2), `${key}.json`)]);
  });

  it('readers during concurrent writes see a whole entry or a miss, never a broken one', async () => {
    const cache = openCache(dir);
    const big = Array.from({ length: 300 }, (_, i) => ({ ...finding, line: i + 1, message: 'x'.repeat(200) }));
    const reads: Array<Finding[] | undefined> = [];
    await Promise.all([
      ...Array.from({ length: 10 }, () => cache.set(key, big)),
      ...Array.from({ length: 20 }, async () => {
        reads.push((await cache.get(key))?.findings);
      }),
    ]);
    for (const r of reads) if (r !== undefined) expect(r).toHaveLength(300);
  });
});

describe('cacheKey', () => {
  const parts = {
    v: 'review-1',
    provider: 'ollama',
    model: 'qwen2.5-coder:7b',
    unit: 'File: src/a.ts (modified)\n@@ -1,1 +1,1 @@\n   1 + x',
    categories: ['bug', 'security'],
    instructions: ['Prefer early returns.'],
  };

  it('is a stable sha256 hex digest of equal parts', () => {
    const k = cacheKey(parts);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey(structuredClone(parts))).toBe(k);
  });

  it.each([
    ['unit text', { unit: `${parts.unit} ` }],
    ['model', { model: 'qwen2.5-coder:14b' }],
    ['provider', { provider: 'openai' }],
    ['prompt version', { v: 'review-0' }],
    ['categories', { categories: ['bug'] }],
    ['categories (one more)', { categories: ['bug', 'security', 'style'] }],
    ['instructions', { instructions: ['Prefer early returns!'] }],
    ['instructions (none)', { instructions: [] }],
  ])('changes when the %s changes', (_what, change) => {
    expect(cacheKey({ ...parts, ...change })).not.toBe(cacheKey(parts));
  });

  it('does not confuse text moved between parts', () => {
    expect(cacheKey({ unit: 'ab', model: 'c' })).not.toBe(cacheKey({ unit: 'a', model: 'bc' }));
    expect(cacheKey({ instructions: ['a', 'b'] })).not.toBe(cacheKey({ instructions: ['a,b'] }));
  });
});

describe('cacheDir', () => {
  it('CODEAI_CACHE_DIR wins over everything (resolved to an absolute path)', () => {
    mkdirSync(path.join(dir, 'node_modules'));
    expect(cacheDir(dir, { CODEAI_CACHE_DIR: '/x/codeai', XDG_CACHE_HOME: '/xdg' })).toBe(path.resolve('/x/codeai'));
    expect(path.isAbsolute(cacheDir(dir, { CODEAI_CACHE_DIR: 'rel/cache' }))).toBe(true);
  });

  it('then $XDG_CACHE_HOME/codeai-hook, even when node_modules exists', () => {
    mkdirSync(path.join(dir, 'node_modules'));
    expect(cacheDir(dir, { XDG_CACHE_HOME: '/xdg' })).toBe(path.join('/xdg', 'codeai-hook'));
  });

  it('then <root>/node_modules/.cache/codeai-hook when node_modules exists', () => {
    mkdirSync(path.join(dir, 'node_modules'));
    expect(cacheDir(dir, {})).toBe(path.join(dir, 'node_modules', '.cache', 'codeai-hook'));
    // Empty variables count as unset.
    expect(cacheDir(dir, { CODEAI_CACHE_DIR: '', XDG_CACHE_HOME: '' })).toBe(path.join(dir, 'node_modules', '.cache', 'codeai-hook'));
  });

  it('else ~/.cache/codeai-hook', () => {
    expect(cacheDir(dir, {})).toBe(path.join(os.homedir(), '.cache', 'codeai-hook'));
  });
});
