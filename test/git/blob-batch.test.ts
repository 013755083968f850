// One `git cat-file --batch` for a review's every group of blobs (src/git/blob-batch.ts): the bytes of each group
// exactly as git stores them, in order, one git process however many groups, and git's failures as GitErrors.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readBlobGroups } from '../../src/git/blob-batch.js';
import { readBlobs } from '../../src/git/objects.js';
import { openRepo, type Repo } from '../../src/git/repo.js';
import { GitError } from '../../src/errors.js';

let dir: string;
let repo: Repo;
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir(), GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
// Larger than a pipe's read (64 KB): a blob comes in many pieces, and several blobs share one piece.
const BIG = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251));

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'codeai-blob-batch-'));
  git('init', '-q');
  writeFileSync(path.join(dir, 'a.txt'), 'alpha\n');
  writeFileSync(path.join(dir, 'b.txt'), 'bravo\n');
  writeFileSync(path.join(dir, 'empty.txt'), '');
  writeFileSync(path.join(dir, 'big.bin'), BIG);
  writeFileSync(path.join(dir, 'name with spaces missing'), 'spaced\n');
  git('add', '-A');
  repo = await openRepo(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let trace: string | undefined;
afterEach(() => {
  delete process.env.GIT_TRACE;
  if (trace) rmSync(trace, { force: true });
  trace = undefined;
});
/** Counts the git processes started from here on (git's own trace, one line per process it runs). */
function traceGits(): () => string[] {
  trace = path.join(dir, '..', `trace-${path.basename(dir)}`);
  process.env.GIT_TRACE = trace;
  return () =>
    readFileSync(trace!, 'utf8')
      .split('\n')
      .filter((l) => l.includes('trace: built-in: git'));
}

describe('readBlobGroups', () => {
  it('gives each group its blobs by name, byte for byte, in order, from one git however many groups', async () => {
    const gits = traceGits();
    const groups = readBlobGroups(repo, [[':0:a.txt', ':0:big.bin'], [], [':0:gone.txt', ':0:empty.txt', ':0:b.txt'], [':0:name with spaces missing', ':0:big.bin']]);
    const first = await groups.next();
    expect([...first.keys()]).toEqual([':0:a.txt', ':0:big.bin']);
    expect(first.get(':0:a.txt')?.toString()).toBe('alpha\n');
    expect(first.get(':0:big.bin')?.equals(BIG)).toBe(true);
    expect((await groups.next()).size).toBe(0);
    const third = await groups.next();
    expect(third.has(':0:gone.txt')).toBe(false);
    expect(third.get(':0:empty.txt')?.length).toBe(0);
    expect(third.get(':0:b.txt')?.toString()).toBe('bravo\n');
    const fourth = await groups.next();
    expect(fourth.get(':0:name with spaces missing')?.toString()).toBe('spaced\n');
    expect(fourth.get(':0:big.bin')?.equals(BIG)).toBe(true);
    groups.close();
    expect(gits().filter((l) => l.includes('cat-file'))).toHaveLength(1);
  });

  it('reads what readBlobs reads', async () => {
    const names = [':0:a.txt', ':0:big.bin', ':0:empty.txt', ':0:nothing'];
    const groups = readBlobGroups(repo, [names]);
    const base64 = (blobs: Map<string, Buffer>) => [...blobs].map(([name, bytes]) => [name, bytes.toString('base64')]);
    expect(base64(await groups.next())).toEqual(base64(await readBlobs(repo, names)));
    groups.close();
  });

  it('starts no git for no names', async () => {
    traceGits();
    const groups = readBlobGroups(repo, [[], []]);
    expect((await groups.next()).size).toBe(0);
    expect((await groups.next()).size).toBe(0);
    expect(() => readFileSync(trace!)).toThrow(/ENOENT/); // git never ran to write its trace
  });

  it('a git that fails rejects with a GitError that says what failed', async () => {
    const gone = { ...repo, top: path.join(dir, 'no-such-folder') };
    const error = await readBlobGroups(gone, [[':0:a.txt']])
      .next()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    expect((error as Error).message).toMatch(/cannot run git|git cat-file --batch/);
  });

  it('a review that stops after one group of many closes it without reading the rest', async () => {
    const groups = readBlobGroups(repo, Array.from({ length: 40 }, () => [':0:big.bin']));
    expect((await groups.next()).get(':0:big.bin')?.equals(BIG)).toBe(true);
    groups.close();
  });
});
