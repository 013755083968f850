// parseDiff on what a real git prints: each case is made in a temporary repository and read back with the
// flags src/git uses, so the tests follow git's actual quoting, prefixes and headers.

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDiff } from '../../src/diff/parse.js';
import type { DiffFile } from '../../src/types.js';

const DIFF_FLAGS = ['diff', '--cached', '-M', '--no-color', '--no-ext-diff', '--no-textconv', '--submodule=short'];
const SHA1 = '1234567890123456789012345678901234567890';
const SHA2 = 'abcdefabcdefabcdefabcdefabcdefabcdefabcd';
const dirs: string[] = [];

function makeRepo(): { dir: string; git: (...args: string[]) => string; write: (name: string, data: string | Buffer) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'codeai-diff-'));
  dirs.push(dir);
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  const git = (...args: string[]): string =>
    execFileSync(
      'git',
      ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'core.autocrlf=false', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args],
      { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
  git('init', '-q', '.');
  return { dir, git, write: (name, data) => writeFileSync(join(dir, name), data) };
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function byPath(files: DiffFile[], path: string, status?: DiffFile['status']): DiffFile {
  const found = files.filter((f) => f.path === path && (status === undefined || f.status === status));
  expect(found, `${path} in ${files.map((f) => f.path).join(', ')}`).toHaveLength(1);
  return found[0]!;
}

const TAB_NAME = 'ta\tb.txt';
const NEWLINE_NAME = 'new\nline.txt';
const UNICODE_NAME = 'héllo wörld.txt';
const ORIG = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

describe('parseDiff on git diff --cached', () => {
  let repo: ReturnType<typeof makeRepo>;
  let files: DiffFile[];

  beforeAll(() => {
    repo = makeRepo();
    const { git, write, dir } = repo;
    write('my file.txt', 'a\nb\nc\n');
    write('keep me.txt', 'same\ncontent\nhere\n');
    write('b.bin', Buffer.from([0, 1, 2, 3, 0]));
    write('m.sh', 'echo hi\n');
    write('sp ace.sh', 'echo space\n');
    write('d.txt', 'gone\nsoon\n');
    write('noeol.txt', 'x\ny\n');
    write(TAB_NAME, 'tab\n');
    write(UNICODE_NAME, 'h\n');
    write('tgt', 'target\n');
    write('orig.txt', ORIG);
    git('add', '.');
    git('update-index', '--add', '--cacheinfo', `160000,${SHA1},sub`);
    git('commit', '-qm', 'base');

    git('mv', 'my file.txt', 'your file.txt');
    write('your file.txt', 'a\nB\nc\n');
    git('mv', 'keep me.txt', 'kept me.txt');
    write('b.bin', Buffer.from([0, 9, 9, 9, 0]));
    write('new.bin', Buffer.from([0, 255, 254, 0]));
    chmodSync(join(dir, 'm.sh'), 0o755);
    chmodSync(join(dir, 'sp ace.sh'), 0o755);
    git('rm', '-q', 'd.txt');
    write('noeol.txt', 'x\ny');
    write('crlf.txt', 'one\r\ntwo\r\n');
    write('latin.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    write(TAB_NAME, 'tab\ntab2\n');
    write(NEWLINE_NAME, 'nl\n');
    write(UNICODE_NAME, 'h\nmore\n');
    unlinkSync(join(dir, 'tgt'));
    symlinkSync('orig.txt', join(dir, 'tgt'));
    write('empty.txt', '');
    write('copy of orig.txt', ORIG + 'line 31\n');
    git('add', '--', 'your file.txt', 'b.bin', 'new.bin', 'm.sh', 'sp ace.sh', 'noeol.txt', 'crlf.txt', 'latin.txt');
    git('add', '--', TAB_NAME, NEWLINE_NAME, UNICODE_NAME, 'tgt', 'empty.txt', 'copy of orig.txt');
    git('update-index', '--cacheinfo', `160000,${SHA2},sub`);
    git('update-index', '--add', '--cacheinfo', `160000,${SHA1},sub2`);
    files = parseDiff(git(...DIFF_FLAGS));
  });

  it('reads a rename with spaces and an edit', () => {
    const f = byPath(files, 'your file.txt');
    expect(f).toMatchObject({ status: 'renamed', oldPath: 'my file.txt', similarity: 66, added: 1, removed: 1, binary: false });
    expect(f.hunks[0]!.lines).toEqual([
      { kind: 'context', text: 'a', oldLine: 1, newLine: 1 },
      { kind: 'del', text: 'b', oldLine: 2 },
      { kind: 'add', text: 'B', newLine: 2 },
      { kind: 'context', text: 'c', oldLine: 3, newLine: 3 },
    ]);
  });

  it('reads a pure rename as a file without hunks', () => {
    const f = byPath(files, 'kept me.txt');
    expect(f).toMatchObject({ status: 'renamed', oldPath: 'keep me.txt', similarity: 100, hunks: [], added: 0, removed: 0 });
  });

  it('marks binary changes, new binary files included', () => {
    expect(byPath(files, 'b.bin')).toMatchObject({ status: 'modified', binary: true, hunks: [] });
    expect(byPath(files, 'new.bin')).toMatchObject({ status: 'added', binary: true, hunks: [], newMode: '100644' });
  });

  it('reads mode changes, also for a name with a space (split in the middle)', () => {
    expect(byPath(files, 'm.sh')).toMatchObject({ status: 'modified', oldMode: '100644', newMode: '100755', hunks: [] });
    expect(byPath(files, 'sp ace.sh')).toMatchObject({ status: 'modified', oldMode: '100644', newMode: '100755' });
  });

  it('reads a deletion under the old path', () => {
    const f = byPath(files, 'd.txt');
    expect(f).toMatchObject({ status: 'deleted', oldMode: '100644', added: 0, removed: 2 });
    expect(f.hunks[0]).toMatchObject({ oldStart: 1, oldLines: 2, newStart: 0, newLines: 0 });
  });

  it('sets noNewline on the line before "\\ No newline at end of file"', () => {
    const lines = byPath(files, 'noeol.txt').hunks[0]!.lines;
    expect(lines).toEqual([
      { kind: 'context', text: 'x', oldLine: 1, newLine: 1 },
      { kind: 'del', text: 'y', oldLine: 2 },
      { kind: 'add', text: 'y', newLine: 2, noNewline: true },
    ]);
  });

  it('strips CR from CRLF lines and flags the file', () => {
    const f = byPath(files, 'crlf.txt');
    expect(f.crlf).toBe(true);
    expect(f.hunks[0]!.lines.map((l) => l.text)).toEqual(['one', 'two']);
    expect(byPath(files, 'your file.txt').crlf).toBeUndefined();
  });

  it('never throws on bytes that are not UTF-8', () => {
    const f = byPath(files, 'latin.txt');
    expect(f.hunks[0]!.lines[0]!.text).toBe('caf\uFFFD');
    const asLatin1 = execFileSync('git', DIFF_FLAGS, { cwd: repo.dir, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } }).toString('latin1');
    expect(byPath(parseDiff(asLatin1), 'latin.txt').hunks[0]!.lines[0]!.text).toBe('café');
  });

  it('decodes names git quotes: a tab, a newline, UTF-8 octal escapes with a space', () => {
    expect(byPath(files, TAB_NAME)).toMatchObject({ status: 'modified', added: 1 });
    expect(byPath(files, NEWLINE_NAME)).toMatchObject({ status: 'added', added: 1 });
    expect(byPath(files, UNICODE_NAME)).toMatchObject({ status: 'modified', added: 1 });
  });

  it('reads unquoted UTF-8 names with spaces under core.quotePath=false', () => {
    const raw = repo.git('-c', 'core.quotePath=false', ...DIFF_FLAGS);
    expect(raw).toContain(`+++ b/${UNICODE_NAME}\t`);
    const quoted = parseDiff(repo.git('-c', 'core.quotePath=true', ...DIFF_FLAGS));
    expect(parseDiff(raw)).toEqual(quoted);
  });

  it('keeps a file-to-symlink change as a deletion and an addition', () => {
    expect(byPath(files, 'tgt', 'deleted')).toMatchObject({ removed: 1 });
    const link = byPath(files, 'tgt', 'added');
    expect(link).toMatchObject({ newMode: '120000', added: 1 });
    expect(link.hunks[0]!.lines[0]).toEqual({ kind: 'add', text: 'orig.txt', newLine: 1, noNewline: true });
  });

  it('reads an empty new file as added without hunks', () => {
    expect(byPath(files, 'empty.txt')).toMatchObject({ status: 'added', hunks: [], added: 0 });
  });

  it('marks submodule pointer changes', () => {
    const sub = byPath(files, 'sub');
    expect(sub).toMatchObject({ status: 'modified', submodule: true, added: 1, removed: 1 });
    expect(sub.hunks[0]!.lines.map((l) => l.text)).toEqual([`Subproject commit ${SHA1}`, `Subproject commit ${SHA2}`]);
    expect(byPath(files, 'sub2')).toMatchObject({ status: 'added', submodule: true, newMode: '160000' });
  });

  it('reads copies found with -C', () => {
    const copies = parseDiff(repo.git(...DIFF_FLAGS, '-C', '--find-copies-harder'));
    const f = byPath(copies, 'copy of orig.txt');
    expect(f).toMatchObject({ status: 'copied', oldPath: 'orig.txt', added: 1, removed: 0 });
    expect(f.hunks[0]!.lines.at(-1)).toEqual({ kind: 'add', text: 'line 31', newLine: 31 });
  });

  it('finds every file git lists', () => {
    const listed = repo.git('diff', '--cached', '-M', '--name-only', '-z').split('\0').filter(Boolean);
    expect(new Set(files.map((f) => f.path))).toEqual(new Set(listed));
  });
});

describe('parseDiff on binary patches', () => {
  it('skips GIT binary patch data', () => {
    const { git, write } = makeRepo();
    write('blob.bin', Buffer.from([0, 1, 2]));
    write('a.txt', 'a\n');
    git('add', '.');
    git('commit', '-qm', 'base');
    write('blob.bin', Buffer.from([0, 7, 7, 7, 7]));
    write('a.txt', 'b\n');
    git('add', '.');
    const raw = git(...DIFF_FLAGS, '--binary');
    expect(raw).toContain('GIT binary patch');
    const files = parseDiff(raw);
    expect(files.map((f) => [f.path, f.binary, f.hunks.length])).toEqual([
      ['a.txt', false, 1],
      ['blob.bin', true, 0],
    ]);
  });
});

describe('parseDiff on a merge (git show --cc)', () => {
  it('gives the view against the first parent', () => {
    const { git, write } = makeRepo();
    write('f.txt', '1\n2\n3\n4\n5\n6\n7\n');
    git('add', '.');
    git('commit', '-qm', 'base');
    git('checkout', '-qb', 'side');
    write('f.txt', '1\n2side\n3side\n4\n5\n6\n7\n');
    git('commit', '-qam', 'side');
    git('checkout', '-q', 'main');
    write('f.txt', '1\n2\n3main\n4\n5\n6main\n7\n');
    git('commit', '-qam', 'main');
    try {
      git('merge', '-q', 'side');
    } catch {
      // The conflict is the point: it is resolved by hand below.
    }
    write('f.txt', '1\n2side\n3resolved\n4\n5\n6main\n7\n');
    git('add', 'f.txt');
    git('commit', '-qm', 'merge');
    const raw = git('show', '--cc', '--format=', 'HEAD');
    expect(raw).toContain('@@@ -1,7 -1,7 +1,7 @@@');
    const [file, ...rest] = parseDiff(raw);
    expect(rest).toEqual([]);
    expect(file).toMatchObject({ path: 'f.txt', status: 'modified', added: 2, removed: 2 });
    expect(file!.hunks).toEqual([
      {
        oldStart: 1,
        oldLines: 7,
        newStart: 1,
        newLines: 7,
        heading: '',
        lines: [
          { kind: 'context', text: '1', oldLine: 1, newLine: 1 },
          { kind: 'del', text: '2', oldLine: 2 },
          { kind: 'del', text: '3main', oldLine: 3 },
          { kind: 'add', text: '2side', newLine: 2 },
          { kind: 'add', text: '3resolved', newLine: 3 },
          { kind: 'context', text: '4', oldLine: 4, newLine: 4 },
          { kind: 'context', text: '5', oldLine: 5, newLine: 5 },
          { kind: 'context', text: '6main', oldLine: 6, newLine: 6 },
          { kind: 'context', text: '7', oldLine: 7, newLine: 7 },
        ],
      },
    ]);
    // The non-dense form (diff --combined) reads the same way.
    expect(parseDiff(git('diff-tree', '-c', '-p', '--no-commit-id', 'HEAD'))).toEqual([file]);
  });
});
