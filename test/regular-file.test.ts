// The one reader of small files on the hook's path (policy, user config, baseline, findings cache, team
// instructions): only regular files are read, a FIFO never blocks it, a size limit is checked before reading, and a
// symlink is not followed when the caller says so.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRegularFileSync } from '../src/regular-file.js';
import { workingReader } from '../src/session/instruction-readers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'codeai-regular-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const codeOf = (read: () => unknown) => {
  try {
    read();
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
};

describe('readRegularFileSync', () => {
  const file = path.join(dir, 'a.yaml');
  writeFileSync(file, 'provider: ollama\n');
  const link = path.join(dir, 'link.yaml');
  symlinkSync(file, link);

  it('reads a regular file, and follows a symlink unless told not to', () => {
    expect(readRegularFileSync(file)).toBe('provider: ollama\n');
    expect(readRegularFileSync(link)).toBe('provider: ollama\n');
    expect(codeOf(() => readRegularFileSync(link, { followSymlinks: false }))).toBe('ELOOP');
  });

  it('refuses a file over maxBytes before reading it, and says ENOENT for none', () => {
    expect(readRegularFileSync(file, { maxBytes: 17 })).toBe('provider: ollama\n');
    expect(codeOf(() => readRegularFileSync(file, { maxBytes: 16 }))).toBe('EFBIG');
    expect(codeOf(() => readRegularFileSync(path.join(dir, 'none.yaml')))).toBe('ENOENT');
  });

  it('answers null for a folder or a FIFO, without blocking on the FIFO', () => {
    expect(readRegularFileSync(dir)).toBeNull();
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(readRegularFileSync(fifo)).toBeNull();
  });
});

describe('team instructions from the work tree', () => {
  it('reads AGENTS.md, and neither a symlink, a FIFO nor a file over 256 KB in its place', async () => {
    const top = mkdtempSync(path.join(dir, 'top-'));
    const reader = workingReader(top);
    writeFileSync(path.join(top, 'AGENTS.md'), 'Use tabs.\n');
    expect(await reader.read('AGENTS.md')).toBe('Use tabs.\n');
    writeFileSync(path.join(dir, 'secret'), 'id_rsa\n');
    symlinkSync(path.join(dir, 'secret'), path.join(top, 'CLAUDE.md'));
    expect(await reader.read('CLAUDE.md')).toBeNull();
    execFileSync('mkfifo', [path.join(top, 'GEMINI.md')]);
    expect(await reader.read('GEMINI.md')).toBeNull();
    writeFileSync(path.join(top, '.cursorrules'), 'x'.repeat(256 * 1024 + 1));
    expect(await reader.read('.cursorrules')).toBeNull();
    expect(await reader.read('missing.md')).toBeNull();
  });
});
