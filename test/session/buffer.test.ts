// The buffer source against real git: an editor's buffer is read as the change the hook would review once it is
// staged (the same hunks, names and key lines), and what the hook would not read (a symbolic link, an ignored file,
// a file outside the repository) is not read.
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CommittedSides } from '../../src/session/buffer.js';
import { stagedFiles } from '../../src/session/diffs.js';
import { openSession, type Session } from '../../src/session/session.js';
import { readChange } from '../../src/session/source.js';
import { TestRepo } from '../e2e/harness.js';

let repo: TestRepo;
let committed: CommittedSides;
afterEach(async () => {
  await committed?.dispose();
  repo?.cleanup();
});

function session(): Promise<Session> {
  return openSession({ cwd: repo.dir, env: repo.env, signal: new AbortController().signal, command: 'run' });
}

const KEY_BLOCK = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MaJ0LhSsKsHo6Y2k', 'Ck1aZ0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MaJ0LhSsKsHo6Y2kQ0Z3VS5JJcd', '-----END RSA PRIVATE KEY-----'];

describe('the buffer source', () => {
  it.each([
    ['an edit in the middle of a committed file', 'a\nb\nc\nd\ne\nf\ng\nh\n', 'a\nb\nc\nD\ne\nf\ng\nh\ni\n'],
    ['CRLF lines and no final newline', 'one\r\ntwo\r\nthree\r\n', 'one\r\nTWO\r\nthree'],
    ['a key block whose body changes far from its BEGIN line', `x\n${KEY_BLOCK.join('\n')}\ny\n`, `x\n${KEY_BLOCK.map((l, i) => (i === 2 ? l.replace('Ck1a', 'Zz9y') : l)).join('\n')}\ny\n`],
  ])('%s: the same files as the hook reads once the buffer is staged', async (_name, before, buffer) => {
    repo = new TestRepo();
    repo.write('src/f.txt', before);
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'start');
    committed = new CommittedSides();
    const s = await session();
    const change = await readChange(s, { kind: 'buffer', path: path.join(repo.dir, 'src/f.txt'), text: buffer, committed });
    repo.write('src/f.txt', buffer);
    repo.git('add', '-A');
    expect(change.files).toEqual(await stagedFiles(s.repo, s.policy.contextLines));
    expect(change.files).toHaveLength(1);
  });

  it('a new file, in a repository with no commit yet: added, every line', async () => {
    repo = new TestRepo();
    committed = new CommittedSides();
    const change = await readChange(await session(), { kind: 'buffer', path: path.join(repo.dir, 'new.js'), text: 'const a = 1;\nconst b = 2;\n', committed });
    expect(change.files).toEqual([expect.objectContaining({ path: 'new.js', status: 'added', added: 2, removed: 0 })]);
    expect(change.files[0]!.oldPath).toBeUndefined();
  });

  it('a new file in folders not created yet: added, under its repository path', async () => {
    repo = new TestRepo();
    repo.write('a.js', 'one\n');
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'start');
    committed = new CommittedSides();
    const change = await readChange(await session(), { kind: 'buffer', path: path.join(repo.dir, 'new/deep/b.js'), text: 'two\n', committed });
    expect(change.files).toEqual([expect.objectContaining({ path: 'new/deep/b.js', status: 'added', added: 1 })]);
  });

  it('the committed text unchanged: nothing to review; HEAD moved: read again once forgotten', async () => {
    repo = new TestRepo();
    repo.write('a.js', 'one\n');
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'start');
    committed = new CommittedSides();
    const s = await session();
    const read = (text: string) => readChange(s, { kind: 'buffer', path: path.join(repo.dir, 'a.js'), text, committed });
    expect((await read('one\n')).files).toEqual([]);
    expect((await read('two\n')).files).toHaveLength(1);
    repo.write('a.js', 'two\n');
    repo.git('commit', '-q', '-am', 'two');
    expect((await read('two\n')).files).toHaveLength(1); // still against the HEAD it read
    committed.forget(s.repo.top);
    expect((await read('two\n')).files).toEqual([]);
  });

  it.each([
    ['a symbolic link', 'linked.js', 'a symbolic link: not followed'],
    ['a file git ignores', 'build/out.js', 'ignored by git'],
    ['a file outside the repository', '../elsewhere.js', 'outside the repository'],
  ])('%s is not read', async (_name, rel, why) => {
    repo = new TestRepo();
    repo.write('.gitignore', 'build/\n');
    repo.write('real.js', 'export {};\n');
    symlinkSync(path.join(repo.dir, 'real.js'), path.join(repo.dir, 'linked.js'));
    repo.git('add', '.gitignore', 'real.js');
    repo.git('commit', '-q', '-m', 'start');
    committed = new CommittedSides();
    const change = await readChange(await session(), { kind: 'buffer', path: path.join(repo.dir, rel), text: "const key = 'x';\n", committed });
    expect(change).toMatchObject({ files: [], skipped: why });
  });
});
