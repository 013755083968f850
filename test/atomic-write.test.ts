// Files written whole or not at all (src/atomic-write.ts), in both forms: the new bytes replace the old in one rename,
// a failed write leaves the old file and no temporary file, the mode is the one asked for, and the guard sees the
// temporary file's path before it exists and is released once it is gone. Callers: test/code-cache.test.ts,
// test/review/cache.test.ts, the reports' e2e tests (test/e2e/ci.test.ts).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from '../src/atomic-write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'codeai-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const forms = {
  sync: async (file: string, data: string, options?: Parameters<typeof writeFileAtomicSync>[2]) => writeFileAtomicSync(file, data, options),
  async: writeFileAtomic,
};

describe.each(Object.entries(forms))('writeFileAtomic (%s)', (_name, write) => {
  it('replaces the old file, with the mode asked for, and leaves nothing beside it', async () => {
    const file = path.join(dir, 'entry.json');
    writeFileSync(file, 'old');
    await write(file, 'new', { mode: 0o600 });
    expect(readFileSync(file, 'utf8')).toBe('new');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['entry.json']);
  });

  it('throws the cause when the write fails, removes its temporary file and leaves what was there', async () => {
    // A folder in the file's place: the temporary file is written, then the rename fails (EISDIR or similar).
    const file = path.join(dir, 'report.md');
    mkdirSync(path.join(file, 'inside'), { recursive: true });
    await expect(write(file, 'text')).rejects.toMatchObject({ code: expect.any(String) });
    expect(readdirSync(dir)).toEqual(['report.md']);
    expect(readdirSync(file)).toEqual(['inside']);
    // A missing folder: nothing is created at all.
    await expect(write(path.join(dir, 'missing', 'x'), 'text')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('hands the guard the temporary path before it exists and releases it after, on success and on failure', async () => {
    const events: string[] = [];
    const guard = (temp: string) => {
      expect(path.dirname(temp)).toBe(dir);
      expect(temp.endsWith('.tmp')).toBe(true);
      events.push(`guard ${readdirSync(dir).includes(path.basename(temp)) ? 'exists' : 'absent'}`);
      return () => events.push(`release ${readdirSync(dir).includes(path.basename(temp)) ? 'exists' : 'absent'}`);
    };
    await write(path.join(dir, 'a'), 'x', { guard });
    mkdirSync(path.join(dir, 'b', 'c'), { recursive: true });
    await write(path.join(dir, 'b'), 'x', { guard }).catch(() => undefined);
    expect(events).toEqual(['guard absent', 'release absent', 'guard absent', 'release absent']);
  });

  it('gives each write a temporary name of its own, and leaves none behind', async () => {
    const file = path.join(dir, 'c');
    for (let i = 0; i < 5; i++) await write(file, String(i));
    expect(readFileSync(file, 'utf8')).toBe('4');
    expect(readdirSync(dir)).toEqual(['c']);
  });
});
