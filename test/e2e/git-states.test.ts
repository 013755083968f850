// The odd states a repository is in when a commit happens. Each case makes a real commit through the installed
// hook (built-in rules, no model) and checks the hook changed nothing it must not.
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOllama } from '../fakes/index.js';
import { ROOT, TestRepo } from './harness.js';

const FAKE_KEY = 'AKIA' + 'Z7QWERTYUIOPASDF';
const keyLine = `export const key = '${FAKE_KEY}';\n`;

/** main and `branch` both change a.js's one line from a common commit, so merging either way conflicts; main is checked out. */
function conflictingBranches(branch: string): TestRepo {
  const repo = TestRepo.installed();
  repo.write('a.js', 'export const a = 1;\n');
  repo.git('add', '.');
  repo.git('commit', '-q', '--no-verify', '-m', 'a');
  repo.git('checkout', '-q', '-b', branch);
  repo.write('a.js', 'export const a = 2;\n');
  repo.git('commit', '-q', '--no-verify', '-am', 'a=2');
  repo.git('checkout', '-q', 'main');
  repo.write('a.js', 'export const a = 3;\n');
  repo.git('commit', '-q', '--no-verify', '-am', 'a=3');
  return repo;
}

describe('repository states', () => {
  let repo: TestRepo;
  afterEach(() => repo?.cleanup());

  it('the initial commit (no HEAD yet) is reviewed', async () => {
    repo = new TestRepo({ name: 'fresh repo' }); // a space in the repository's own path, too
    repo.linkPackage();
    expect(repo.cli(['install']).code).toBe(0);
    repo.write('a.js', keyLine);
    repo.git('add', '-A');
    const blocked = await repo.commit('feat: first');
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toContain('a.js');
    expect(repo.headCount()).toBe(0);
    repo.write('a.js', 'export const a = 1;\n');
    repo.git('add', '-A');
    const passed = await repo.commit('feat: first');
    expect(passed.code, passed.stderr).toBe(0);
  });

  it("a repository whose path holds ':' (a PATH separator), its hook in a core.hooksPath folder git runs directly", async () => {
    repo = new TestRepo({ name: 'work:2025' });
    repo.linkPackage();
    repo.write('.githooks/pre-commit', '#!/bin/sh\necho team-check >&2\n');
    repo.git('update-index', '--chmod=+x', '--add', '.githooks/pre-commit');
    chmodSync(path.join(repo.dir, '.githooks', 'pre-commit'), 0o755);
    repo.git('config', 'core.hooksPath', '.githooks');
    expect(repo.cli(['install']).code).toBe(0);
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'start');
    repo.write('a.js', keyLine);
    repo.git('add', 'a.js');
    const r = await repo.commit('feat: key');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('team-check');
    expect(r.stderr).toContain('aws-access-key-id');
    expect(repo.headCount()).toBe(1);
  });

  it('a merge with a conflict resolved badly is blocked, resolved well goes through', async () => {
    repo = conflictingBranches('other');
    expect(repo.run('git', ['merge', 'other']).code).not.toBe(0); // conflict
    repo.git('add', 'a.js'); // staged with the conflict markers still in it
    const before = repo.snapshot();
    const blocked = await repo.commit('merge other', { args: ['--no-edit'] });
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toMatch(/conflict/i);
    expect(repo.snapshot()).toBe(before);
    repo.write('a.js', 'export const a = 23;\n');
    repo.git('add', 'a.js');
    const passed = await repo.commit('merge other', { args: ['--no-edit'] });
    expect(passed.code, passed.stderr).toBe(0);
    expect(repo.git('rev-list', '--parents', '-n', '1', 'HEAD').trim().split(' ')).toHaveLength(3);
  });

  it('during a rebase the staged resolution is reviewed; CODEAI_SKIP_REBASE=1 skips it', async () => {
    repo = conflictingBranches('topic');
    repo.git('checkout', '-q', 'topic');
    expect(repo.run('git', ['rebase', 'main']).code).not.toBe(0); // stops on the conflict
    repo.write('a.js', keyLine);
    repo.git('add', 'a.js');
    const reviewed = await repo.cliAsync(['run']);
    expect(reviewed.code).toBe(1);
    const skipped = await repo.cliAsync(['run'], { env: { CODEAI_SKIP_REBASE: '1' } });
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch(/skipped during rebase/);
    repo.run('git', ['rebase', '--abort']);
  });

  it('a cherry-pick stopped on a conflict: the resolution is reviewed when committed', async () => {
    repo = conflictingBranches('topic');
    expect(repo.run('git', ['cherry-pick', 'topic']).code).not.toBe(0);
    repo.write('a.js', keyLine);
    repo.git('add', 'a.js');
    const blocked = await repo.commit('a=2, picked', { args: ['--no-edit'] });
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toContain('a.js');
    repo.write('a.js', 'export const a = 23;\n');
    repo.git('add', 'a.js');
    const passed = await repo.commit('a=2, picked', { args: ['--no-edit'] });
    expect(passed.code, passed.stderr).toBe(0);
  });

  it('commit --amend reviews what the amend adds', async () => {
    repo = TestRepo.installed();
    repo.write('a.js', 'export const a = 1;\n');
    repo.git('add', '.');
    expect((await repo.commit('feat: a')).code).toBe(0);
    repo.write('a.js', keyLine);
    repo.git('add', '.');
    const head = repo.git('rev-parse', 'HEAD');
    const blocked = await repo.commit('feat: a', { args: ['--amend'] });
    expect(blocked.code).not.toBe(0);
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
  });

  it('partial staging (git add -p): only the staged hunk is reviewed', async () => {
    repo = TestRepo.installed();
    const body = Array.from({ length: 30 }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
    repo.write('a.js', body);
    repo.git('add', '.');
    repo.git('commit', '-q', '--no-verify', '-m', 'a');
    const lines = body.split('\n');
    lines[0] = 'export const v0 = 100;';
    lines[28] = `export const v28 = '${FAKE_KEY}';`;
    repo.write('a.js', lines.join('\n'));
    // Stage the first hunk, leave the one with the key unstaged.
    const add = repo.run('git', ['add', '-p', 'a.js'], { input: 'y\nn\n' });
    expect(add.code, add.stderr).toBe(0);
    const passed = await repo.commit('feat: v0');
    expect(passed.code, passed.stderr).toBe(0);
    expect(repo.git('diff', '--name-only')).toBe('a.js\n'); // the key is still there, unstaged
    repo.git('add', 'a.js');
    expect((await repo.commit('feat: v28')).code).not.toBe(0);
  });

  it('git commit <path> (a temporary index, GIT_INDEX_FILE) reviews exactly what is committed', async () => {
    repo = TestRepo.installed();
    repo.write('clean.js', 'export const c = 1;\n');
    repo.write('secret.js', keyLine);
    repo.git('add', 'clean.js', 'secret.js');
    const onlyClean = await repo.commit('feat: clean', { args: ['--', 'clean.js'] });
    expect(onlyClean.code, onlyClean.stderr).toBe(0);
    const secret = await repo.commit('feat: secret', { args: ['--', 'secret.js'] });
    expect(secret.code).not.toBe(0);
    expect(secret.stderr).toContain('secret.js');
  });

  it('CRLF files with core.autocrlf=true point at the right line', async () => {
    repo = TestRepo.installed();
    repo.git('config', 'core.autocrlf', 'true');
    repo.write('win.js', `const a = 1;\r\nconst b = 2;\r\n${keyLine.replace('\n', '\r\n')}`);
    repo.git('add', '.');
    const r = await repo.commit('feat: win');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/line 3/);
  });

  it('a submodule pointer change is listed, not sent, and does not block', async () => {
    repo = TestRepo.installed();
    const sha = repo.git('rev-parse', 'HEAD').trim();
    repo.git('update-index', '--add', '--cacheinfo', `160000,${sha},vendor/lib`);
    const r = await repo.cliAsync(['review', '--staged', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.files[0]).toMatchObject({ path: 'vendor/lib', reviewed: false });
    expect(report.files[0].skipped).toMatch(/submodule/);
  });

  describe('nothing staged: the hook ends in sh, before Node starts, and only then', () => {
    // CODEAI_DEBUG makes the review print its phases: their absence shows Node never started.
    const debug = { env: { CODEAI_DEBUG: '1' } };
    const reviewRan = (stderr: string) => /codeai-hook: debug: policy/.test(stderr);

    it('--allow-empty and an amend of the message only end without a review; a staged change, or one commit -a stages, is reviewed', async () => {
      // A policy Node would refuse (exit 2) shows it is not read when nothing is staged.
      repo = TestRepo.installed({ config: 'provider: [unclosed\n' });
      for (const args of [['--amend'], ['--allow-empty']]) {
        const r = await repo.commit('chore: nothing', { ...debug, args });
        expect(r.code, r.stderr).toBe(0);
        expect(reviewRan(r.stderr), r.stderr).toBe(false);
      }
      repo.write('.codeairc.yaml', 'provider: builtin\n');
      repo.git('add', '.codeairc.yaml');
      const staged = await repo.commit('chore: policy', debug);
      expect(staged.code, staged.stderr).toBe(0);
      expect(reviewRan(staged.stderr), staged.stderr).toBe(true);
      // The index equals HEAD until git commit -a stages the work tree into the index the hook is given.
      repo.write('.codeairc.yaml', 'provider: builtin\nexclude: []\n');
      const all = await repo.commit('chore: policy again', { ...debug, args: ['-a'] });
      expect(all.code, all.stderr).toBe(0);
      expect(reviewRan(all.stderr), all.stderr).toBe(true);
    });

    it("a submodule pointer change that the repository's config hides from diffs is still reviewed", async () => {
      repo = TestRepo.installed({ config: 'provider: builtin\n' });
      const first = repo.git('rev-parse', 'HEAD').trim();
      repo.write('.gitmodules', '[submodule "lib"]\n\tpath = vendor/lib\n\turl = ./lib\n\tignore = all\n');
      repo.git('add', '.gitmodules');
      repo.git('update-index', '--add', '--cacheinfo', `160000,${first},vendor/lib`);
      repo.git('commit', '-q', '--no-verify', '-m', 'chore: lib');
      repo.git('config', 'diff.ignoreSubmodules', 'all');
      repo.git('config', 'submodule.lib.ignore', 'all');
      repo.git('update-index', '--cacheinfo', `160000,${repo.git('rev-parse', 'HEAD').trim()},vendor/lib`);
      // Without --ignore-submodules=none, git's own plumbing would call this index unchanged.
      expect(repo.run('git', ['diff-index', '--quiet', '--cached', 'HEAD', '--']).code).toBe(0);
      // git's own "nothing to commit" check honours the ignore too: --allow-empty commits the pointer regardless.
      const r = await repo.commit('chore: bump lib', { ...debug, args: ['--allow-empty'] });
      expect(r.code, r.stderr).toBe(0);
      expect(reviewRan(r.stderr), r.stderr).toBe(true);
      expect(repo.git('ls-tree', 'HEAD', 'vendor/lib')).toContain(repo.git('rev-parse', 'HEAD~1').trim());
    });

    it('a replace ref standing in for HEAD hides nothing: the index is compared with the commit git records as parent', async () => {
      repo = TestRepo.installed();
      repo.write('a.js', keyLine);
      repo.git('add', 'a.js');
      // `git replace HEAD <commit whose tree is the index>`: every git that honours replace refs then sees no change,
      // git commit included, which says "nothing to commit" unless told --allow-empty; the commit's parent is still
      // the real HEAD, so the key would be committed.
      const stand = repo.git('commit-tree', repo.git('write-tree').trim(), '-p', 'HEAD', '-m', 'stand-in').trim();
      repo.git('replace', 'HEAD', stand);
      const head = repo.git('rev-parse', 'HEAD').trim();
      const r = await repo.commit('feat: key', { args: ['--allow-empty'] });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('aws-access-key-id');
      expect(repo.git('rev-parse', 'HEAD').trim()).toBe(head);
    });

    it('an empty first commit (no HEAD to compare with) goes to the review, which passes it', async () => {
      repo = new TestRepo();
      repo.linkPackage();
      expect(repo.cli(['install']).code).toBe(0);
      const r = await repo.commit('chore: root', { ...debug, args: ['--allow-empty'] });
      expect(r.code, r.stderr).toBe(0);
      expect(reviewRan(r.stderr), r.stderr).toBe(true);
      expect(repo.headCount()).toBe(1);
    });
  });

  it('two worktrees commit at once, sharing one cache without corrupting it', async () => {
    const fake = await startFakeOllama({ models: ['m'] });
    try {
      fake.setDefault({ findings: [], delayMs: 150 });
      repo = TestRepo.installed({ config: `provider: ollama\nmodel: m\nbaseURL: ${fake.url}\n` });
      repo.git('add', '-A');
      repo.git('commit', '-q', '--no-verify', '--allow-empty', '-m', 'config');
      const wt = path.join(repo.home, 'wt');
      repo.git('worktree', 'add', '-q', '-b', 'wt', wt);
      mkdirSync(path.join(wt, 'node_modules', '.bin'), { recursive: true });
      symlinkSync(ROOT, path.join(wt, 'node_modules', 'codeai-hook'), 'dir');
      symlinkSync(path.join('..', 'codeai-hook', 'dist', 'bin.js'), path.join(wt, 'node_modules', '.bin', 'codeai-hook'));
      // husky's .husky/_ is ignored, so a new worktree has none until npm install runs its prepare script there.
      cpSync(path.join(repo.dir, '.husky', '_'), path.join(wt, '.husky', '_'), { recursive: true });
      const same = 'export const shared = (x) => x * 2;\n';
      repo.write('s.js', same);
      repo.git('add', 's.js');
      repo.run('git', ['-C', wt, 'status']); // settle the worktree index
      const wtRepo = Object.assign(Object.create(TestRepo.prototype), repo, { dir: wt }) as TestRepo;
      wtRepo.write('s.js', same);
      wtRepo.git('add', 's.js');
      const [a, b] = await Promise.all([repo.commit('feat: s'), wtRepo.commit('feat: s')]);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      for (const r of [a, b]) expect(r.stderr).toContain('codeai-hook · ollama'); // both reviewed
      const cacheRoot = path.join(repo.home, '.cache', 'codeai-hook');
      const entries = readdirSync(cacheRoot, { recursive: true }).map(String);
      expect(entries.some((e) => e.endsWith('.tmp'))).toBe(false);
      expect(entries.some((e) => e.endsWith('.json'))).toBe(true);
    } finally {
      await fake.close();
    }
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) it(`${signal} during the review aborts (exit 130 / 143), stops the request, and leaves no temp file`, async () => {
    const fake = await startFakeOllama({ models: ['m'] });
    try {
      fake.setDefault({ findings: [], delayMs: 20_000 });
      repo = TestRepo.installed({ config: `provider: ollama\nmodel: m\nbaseURL: ${fake.url}\n` });
      repo.write('a.js', 'export const a = 1;\n');
      repo.git('add', '.');
      const before = repo.snapshot();
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'bin.js'), 'run'], { cwd: repo.dir, env: repo.env });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      await new Promise((r) => setTimeout(r, 1500));
      const started = Date.now();
      child.kill(signal);
      // Ended by the signal itself, as an interrupted program should: the shell shows 130 / 143.
      const code = await new Promise<number | null>((r) => child.on('close', (c, sig) => r(c ?? 128 + (sig ? os.constants.signals[sig] : 0))));
      expect(code, stderr).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(repo.snapshot()).toBe(before);
      const cacheRoot = path.join(repo.home, '.cache');
      const leftovers = existsSync(cacheRoot)
        ? readdirSync(cacheRoot, { recursive: true }).map(String).filter((e) => e.endsWith('.tmp'))
        : [];
      expect(leftovers).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
