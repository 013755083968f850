// The model's wider context is read a group of files at a time (a very large change must not hold every file's
// function-context diff and new side at once): how the files are grouped must not change what any file is shown with.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepo, type Repo } from '../../src/git/repo.js';
import { stagedFiles } from '../../src/session/diffs.js';
import { widenForModel } from '../../src/session/scope-context.js';

let home: string;
let repo: Repo;

function source(name: string, changed: boolean): string {
  const body = Array.from({ length: 30 }, (_, i) => `  const v${i} = ${name}Helper(${i});`);
  if (changed) body[15] = `  const v15 = ${name}Helper(15) + 1;`;
  return [`export function ${name}(input) {`, ...body, '  return input;', '}', `export function ${name}Helper(n) {`, '  return n * 2;', '}', ''].join('\n');
}

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'codeai-scope-'));
  const dir = path.join(home, 'repo');
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(home, 'gitconfig'), HOME: home };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, stdio: 'ignore' });
  git('init', '-q');
  const names = ['alpha', 'beta', 'gamma', 'delta', 'omega'];
  for (const n of names) writeFileSync(path.join(dir, 'src', `${n}.js`), source(n, false));
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', 'start');
  for (const n of names.slice(0, 4)) writeFileSync(path.join(dir, 'src', `${n}.js`), source(n, true));
  git('mv', 'src/omega.js', 'src/renamed.js');
  writeFileSync(path.join(dir, 'src', 'renamed.js'), source('omega', true));
  writeFileSync(path.join(dir, 'src', 'added.js'), source('added', false));
  git('add', '-A');
  repo = await openRepo(dir);
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('widenForModel', () => {
  it('gives each file the same wider context whether the files are read together or one at a time', async () => {
    const files = await stagedFiles(repo, 3);
    expect(files.map((f) => f.path)).toEqual(['src/added.js', 'src/alpha.js', 'src/beta.js', 'src/delta.js', 'src/gamma.js', 'src/renamed.js']);
    const sides = { kind: 'staged' } as const;
    const together = await widenForModel(repo, sides, 3, files, { lines: 1_000_000, files: 1000 });
    const oneByOne = await widenForModel(repo, sides, 3, files, { lines: 1, files: 1 });
    const inPairs = await widenForModel(repo, sides, 3, files, { lines: 1_000_000, files: 2 });
    // Not vacuous: the changed functions are shown whole, beyond git's three lines.
    const widened = together.filter((f, i) => f !== files[i]);
    expect(widened.map((f) => f.path)).toEqual(['src/alpha.js', 'src/beta.js', 'src/delta.js', 'src/gamma.js', 'src/renamed.js']);
    expect(widened.every((f) => f.hunks.some((h) => h.lines.some((l) => l.level !== undefined)))).toBe(true);
    expect(oneByOne).toEqual(together);
    expect(inPairs).toEqual(together);
  });

  it("has git config, git cat-file and the function-context diff running when it returns: the caller's synchronous work (the built-in rules) overlaps them", async () => {
    const files = await stagedFiles(repo, 3);
    const processes = () => process.getActiveResourcesInfo().filter((r) => r === 'ProcessWrap').length;
    const before = processes();
    const pending = widenForModel(repo, { kind: 'staged' }, 3, files);
    expect(processes() - before).toBe(3);
    const widened = await pending;
    expect(widened.filter((f, i) => f !== files[i]).length).toBeGreaterThan(0);
  });

  it('reads a change of several groups with one git config and one git cat-file, and a diff per group', async () => {
    const files = await stagedFiles(repo, 3);
    const trace = path.join(home, 'trace');
    process.env.GIT_TRACE = trace; // git's own record: one line for each git it runs
    try {
      const oneByOne = await widenForModel(repo, { kind: 'staged' }, 3, files, { lines: 1, files: 1 });
      expect(oneByOne.filter((f, i) => f !== files[i])).toHaveLength(5);
    } finally {
      delete process.env.GIT_TRACE;
    }
    const gits = readFileSync(trace, 'utf8')
      .split('\n')
      .flatMap((l) => /trace: built-in: git (?:-c \S+ )*(?:'[^']*' )*(config|cat-file|diff)\b/.exec(l)?.[1] ?? []);
    expect(gits.filter((g) => g === 'config')).toHaveLength(1);
    expect(gits.filter((g) => g === 'cat-file')).toHaveLength(1);
    expect(gits.filter((g) => g === 'diff')).toHaveLength(5);
  });
});
