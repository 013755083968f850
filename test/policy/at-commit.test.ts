// The policy as a commit has it, read from git's objects: the same search as on disk, never the work tree.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { openRepo, type Repo } from '../../src/git/repo.js';
import { changedPolicyFiles, loadPolicyAt } from '../../src/policy/at-commit.js';
import type { DiffFile } from '../../src/types.js';

let dir: string;
let repo: Repo;
let base: string;
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { ...env, HOME: dir }, encoding: 'utf8' }).trim();
const write = (rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
};

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'codeai-at-commit-')));
  git('init', '-q', '-b', 'main');
  write('.codeairc.yaml', 'concurrency: 2\n');
  write('pkg/package.json', JSON.stringify({ name: 'pkg', codeai: { concurrency: 3 } }));
  write('esm/package.json', JSON.stringify({ name: 'esm', type: 'module' }));
  write('esm/codeai.config.js', 'export default { concurrency: 5 };\n');
  write('ci/policy.yaml', 'concurrency: 6\n');
  mkdirSync(path.join(dir, 'linkdir'));
  symlinkSync('../.codeairc.yaml', path.join(dir, 'linkdir', '.codeairc.yaml'));
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  base = git('rev-parse', 'HEAD');
  // The work tree moves on: none of this may be read.
  write('.codeairc.yaml', 'concurrency: 9\nexclude: ["**"]\n');
  write('esm/codeai.config.js', 'throw new Error("the work tree copy ran");\n');
  repo = await openRepo(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadPolicyAt', () => {
  it('reads the nearest policy file as the commit has it, not as the work tree has it', async () => {
    const top = await loadPolicyAt(repo, base, { cwd: dir });
    expect(top.file).toBe(path.join(dir, '.codeairc.yaml'));
    expect(top.policy.concurrency).toBe(2);
    expect(top.policy.exclude).toEqual([]);
    expect((await loadPolicyAt(repo, base, { cwd: path.join(dir, 'pkg') })).policy.concurrency).toBe(3);
  });

  it('runs a JS config from a temporary copy with the module type of its package, and removes the copy', async () => {
    const before = readdirSync(os.tmpdir()).filter((f) => f.startsWith('codeai-base-policy-')).length;
    const loaded = await loadPolicyAt(repo, base, { cwd: path.join(dir, 'esm') });
    expect(loaded.policy.concurrency).toBe(5);
    expect(loaded.file).toBe(path.join(dir, 'esm', 'codeai.config.js'));
    expect(readdirSync(os.tmpdir()).filter((f) => f.startsWith('codeai-base-policy-')).length).toBe(before);
  });

  it('reads --config at the commit, and refuses one the commit does not have', async () => {
    expect((await loadPolicyAt(repo, base, { cwd: dir, configPath: 'ci/policy.yaml' })).policy.concurrency).toBe(6);
    const error = await loadPolicyAt(repo, base, { cwd: dir, configPath: 'ci/new.yaml' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^ci\/new\.yaml: not in the merge base [0-9a-f]{12}; .*--policy head$/);
  });

  it('refuses a symlink where the policy is looked for', async () => {
    const error = await loadPolicyAt(repo, base, { cwd: path.join(dir, 'linkdir') }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^linkdir\/\.codeairc\.yaml: a symlink at the merge base/);
  });

  it('names the commit in a validation error', async () => {
    write('bad/.codeairc.yaml', 'concurrency: 99\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'bad');
    const error = await loadPolicyAt(repo, git('rev-parse', 'HEAD'), { cwd: path.join(dir, 'bad') }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/concurrency is 99; expected an integer from 1 to 32 \(at the merge base [0-9a-f]{12}\)$/);
  });
});

describe('changedPolicyFiles', () => {
  const file = (p: string, lines: string[] = [], extra: Partial<DiffFile> = {}): DiffFile => ({
    path: p,
    status: 'modified',
    binary: false,
    hunks: [{ oldStart: 1, oldLines: 0, newStart: 1, newLines: lines.length, heading: '', lines: lines.map((text, i) => ({ kind: 'add', text, newLine: i + 1 })) }],
    added: lines.length,
    removed: 0,
    ...extra,
  });

  it('lists policy files, the baseline, a --config file and a package.json whose codeai key changes', () => {
    expect(
      changedPolicyFiles(
        [
          file('src/a.js'),
          file('pkg/.codeairc.yaml'),
          file('.codeai-baseline.json'),
          file('ci/policy.yaml'),
          file('package.json', ['  "version": "2.0.0",']),
          file('app/package.json', ['  "codeai": { "exclude": ["**"] },']),
          file('new/codeai.config.ts', [], { oldPath: 'old/codeai.config.ts', status: 'renamed' }),
        ],
        'ci/policy.yaml',
      ),
    ).toEqual(['.codeai-baseline.json', 'app/package.json', 'ci/policy.yaml', 'new/codeai.config.ts', 'old/codeai.config.ts', 'pkg/.codeairc.yaml']);
  });
});
