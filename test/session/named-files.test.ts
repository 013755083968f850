// What `review FILE…` reads: the staged content of tracked files, a symlink as its target path, and a file not yet
// added from the work tree without following any link; nothing outside the repository.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namedFiles, trackedFiles } from '../../src/session/named-files.js';
import { UsageError } from '../../src/errors.js';
import { openRepo, type Repo } from '../../src/git/repo.js';

let home: string;
let dir: string;
let repo: Repo;
const text = (files: { hunks: { lines: { text: string }[] }[] }[]) => files.flatMap((f) => f.hunks.flatMap((h) => h.lines.map((l) => l.text)));

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'codeai-named-'));
  dir = path.join(home, 'repo');
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: home };
  execFileSync('git', ['init', '-q'], { cwd: dir, env });
  writeFileSync(path.join(home, 'secret.npmrc'), '//registry.npmjs.org/:_authToken=npm_OUTSIDE\n');
  mkdirSync(path.join(home, 'elsewhere'));
  writeFileSync(path.join(home, 'elsewhere', 'id'), 'OUTSIDE FOLDER\n');
  writeFileSync(path.join(dir, 'src', 'a.js'), 'staged\n');
  symlinkSync(path.join(home, 'secret.npmrc'), path.join(dir, 'notes.txt'));
  execFileSync('git', ['add', '-A'], { cwd: dir, env });
  writeFileSync(path.join(dir, 'src', 'a.js'), 'work tree\n');
  writeFileSync(path.join(dir, 'new.js'), 'not added\n');
  symlinkSync(path.join(home, 'secret.npmrc'), path.join(dir, 'untracked-link'));
  symlinkSync(path.join(home, 'elsewhere'), path.join(dir, 'linked-dir'));
  repo = await openRepo(dir);
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('namedFiles and trackedFiles', () => {
  it('tracked files as staged, a symlink as its target path; a folder names its staged files', async () => {
    const files = await namedFiles(repo, dir, ['src/a.js', 'notes.txt']);
    expect(text(files)).toEqual(['staged', path.join(home, 'secret.npmrc')]);
    expect((await namedFiles(repo, path.join(dir, 'src'), ['.'])).map((f) => f.path)).toEqual(['src/a.js']);
    expect(text(await trackedFiles(repo)).join('\n')).not.toContain('npm_OUTSIDE');
  });

  it('a file not yet added from the work tree; an untracked link as its target; never through a linked folder or outside', async () => {
    expect(text(await namedFiles(repo, dir, ['new.js']))).toEqual(['not added']);
    expect(text(await namedFiles(repo, dir, ['untracked-link']))).toEqual([path.join(home, 'secret.npmrc')]);
    await expect(namedFiles(repo, dir, ['linked-dir/id'])).rejects.toThrow(/reached through the symbolic link linked-dir, which is not followed/);
    await expect(namedFiles(repo, dir, ['../secret.npmrc'])).rejects.toBeInstanceOf(UsageError);
    await expect(namedFiles(repo, dir, ['missing.js'])).rejects.toThrow(/cannot read missing\.js/);
  });
});
