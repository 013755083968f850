// Reading content from git's objects: index entries, trees, blobs, never the work tree.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepo, type Repo } from '../../src/git/repo.js';
import { changedObjects } from '../../src/git/diff.js';
import { blobHead, blobSizes, commitOf, indexEntries, mergeBaseOf, readBlobs, readCommittedFile, readFilesAt, readIndexFiles, readStagedFile, SYMLINK_MODE, treeEntries } from '../../src/git/objects.js';

let dir: string;
let repo: Repo;
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir(), GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
const ODD = 'odd\nname "q" \\ \u2028.js';

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'codeai-objects-'));
  git('init', '-q', '-b', 'main');
  writeFileSync(path.join(dir, 'a.txt'), 'committed\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'one');
  writeFileSync(path.join(dir, 'a.txt'), 'staged\n');
  writeFileSync(path.join(dir, 'bin.dat'), Buffer.from([0, 1, 2, 0x41, 0]));
  writeFileSync(path.join(dir, ODD), 'odd content\n');
  mkdirSync(path.join(dir, 'outside'));
  writeFileSync(path.join(dir, 'outside', 'target'), 'TARGET CONTENT\n');
  symlinkSync('outside/target', path.join(dir, 'link.txt'));
  git('add', '-A');
  // The work tree moves on after staging: what is read must still be the staged bytes.
  writeFileSync(path.join(dir, 'a.txt'), 'work tree only\n');
  repo = await openRepo(dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('git objects', () => {
  it('reads staged bytes, not the work tree', async () => {
    expect((await readStagedFile(repo, 'a.txt'))?.toString()).toBe('staged\n');
    expect((await readCommittedFile(repo, 'HEAD', 'a.txt'))?.toString()).toBe('committed\n');
  });

  it('reads a symlink as its target path, never the target file', async () => {
    const [entry] = await indexEntries(repo, ['link.txt']);
    expect(entry?.mode).toBe(SYMLINK_MODE);
    expect((await readStagedFile(repo, 'link.txt'))?.toString()).toBe('outside/target');
  });

  it('keeps every byte of binary content and odd names', async () => {
    expect([...((await readStagedFile(repo, 'bin.dat')) ?? [])]).toEqual([0, 1, 2, 0x41, 0]);
    const entries = await indexEntries(repo);
    expect(entries.map((e) => e.path)).toContain(ODD);
    expect((await readStagedFile(repo, ODD))?.toString()).toBe('odd content\n');
  });

  it('treats paths literally (a glob character is not a pattern) and misses give null', async () => {
    expect(await readStagedFile(repo, '*.txt')).toBeNull();
    expect(await readCommittedFile(repo, 'HEAD', 'bin.dat')).toBeNull();
  });

  it('reads many blobs in one batch and leaves unknown ids out', async () => {
    const entries = await indexEntries(repo);
    const blobs = await readBlobs(repo, [...entries.map((e) => e.oid), '0'.repeat(40)]);
    expect(blobs.size).toBe(entries.length);
    const tree = await treeEntries(repo, 'HEAD');
    expect(tree.map((e) => e.path)).toEqual(['a.txt']);
  });

  it("reads a blob's first bytes only, and nothing of an object git does not have", async () => {
    const big = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, env, input: 'y'.repeat(1 << 20), encoding: 'utf8' }).trim();
    expect((await blobHead(repo, big, 8192)).toString()).toBe('y'.repeat(8192));
    const small = (await indexEntries(repo, ['a.txt']))[0]!.oid;
    expect((await blobHead(repo, small, 8192)).toString()).toBe('staged\n');
    expect((await blobHead(repo, 'f'.repeat(40), 8192)).length).toBe(0);
  });

  it('lists the objects behind the staged change with names decoded exactly, and their sizes', async () => {
    const changed = await changedObjects(repo, { kind: 'staged' });
    const byPath = new Map(changed.map((c) => [c.path, c]));
    expect([...byPath.keys()].sort()).toEqual(['a.txt', 'bin.dat', 'link.txt', ODD, 'outside/target'].sort());
    const bin = byPath.get('bin.dat')!;
    expect(bin.oldOid).toBe('');
    expect(bin.status).toBe('A');
    expect((await blobSizes(repo, [bin.newOid, '0'.repeat(40)])).get(bin.newOid)).toBe(5);
    expect(byPath.get('a.txt')?.oldOid).toMatch(/^[0-9a-f]{40}$/);
  });

  it('readIndexFiles and readFilesAt: every staged file with its bytes, a symlink as its target path', async () => {
    const staged = await readIndexFiles(repo);
    expect(staged.map((f) => f.path).sort()).toEqual(['a.txt', 'bin.dat', 'link.txt', ODD, 'outside/target'].sort());
    expect(staged.find((f) => f.path === 'link.txt')?.content.toString()).toBe('outside/target');
    const at = await readFilesAt(repo, 'index', ['a.txt', 'link.txt', 'missing.txt']);
    expect([...at.keys()].sort()).toEqual(['a.txt', 'link.txt']);
    expect((await readFilesAt(repo, 'HEAD', ['a.txt'])).get('a.txt')?.toString()).toBe('committed\n');
  });

  it('commitOf and mergeBaseOf name commits, or null', async () => {
    const head = await commitOf(repo, 'HEAD');
    expect(head).toMatch(/^[0-9a-f]{40}$/);
    expect(await commitOf(repo, 'no-such-ref')).toBeNull();
    expect(await mergeBaseOf(repo, 'HEAD', 'HEAD')).toBe(head);
  });
});
