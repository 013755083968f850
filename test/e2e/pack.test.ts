// As a user gets it: `npm pack`, install the tarball into a fresh project, `npx codeai-hook install`, commit.
// A file missing from "files", a missing build step or a bad bin path fails here, not on a user's machine.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestRepo } from './harness.js';
import { LspClient } from './lsp-client.js';
import { packAndInstall, type PackedInstall } from './packed.js';
import { runAction } from './runner.js';

describe('the packed package, installed into a project', () => {
  let packed: PackedInstall;
  let tarball: string;
  let repo: TestRepo;

  beforeAll(() => {
    packed = packAndInstall();
    tarball = packed.tarball;
    repo = packed.project;
  }, 180_000);

  afterAll(() => packed?.cleanup());

  it('ships the built CLI, the hook template and the example config, and nothing of the tests', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    expect(files).toContain('package/dist/bin.js');
    expect(files).toContain('package/hooks/pre-commit');
    expect(files).toContain('package/.codeairc.example');
    expect(files).toContain('package/eval/cases/LICENSES.md');
    expect(files.filter((f) => /^package\/eval\/cases\/.+\.yaml$/.test(f)).length).toBeGreaterThanOrEqual(40);
    expect(files.some((f) => f.startsWith('package/test/'))).toBe(false);
    expect(files.some((f) => f.startsWith('package/src/'))).toBe(false);
  });

  it('npx codeai-hook install wires husky, and commits are reviewed by the installed binary', async () => {
    const install = repo.run('npx', ['--no-install', 'codeai-hook', 'install']);
    expect(install.code, install.stderr).toBe(0);
    expect(repo.git('config', 'core.hooksPath').trim()).toBe('.husky/_');
    const pkg = JSON.parse(readFileSync(path.join(repo.dir, 'package.json'), 'utf8'));
    expect(pkg.scripts.prepare).toContain('husky');
    expect(readFileSync(path.join(repo.dir, '.husky', 'pre-commit'), 'utf8')).toContain('codeai-hook run');
    expect(readFileSync(path.join(repo.dir, '.husky', 'pre-commit'), 'utf8')).not.toContain('npx');

    repo.git('add', '-A');
    const first = await repo.commit('chore: add codeai-hook');
    expect(first.code, first.stderr).toBe(0);

    repo.write('src/db.js', 'const k = "' + 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5' + '0Zb5Hm' + '";\n');
    repo.git('add', '-A');
    const blocked = await repo.commit('feat: db');
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toContain('src/db.js');
    expect(repo.headCount()).toBe(1);

    repo.write('src/db.js', 'export const connect = (url) => url;\n');
    repo.git('add', '-A');
    const passed = await repo.commit('feat: db');
    expect(passed.code, passed.stderr).toBe(0);
    expect(repo.headCount()).toBe(2);
  }, 60_000);
  it('npx codeai-hook install brings a block an earlier version wrote up to date: nothing staged then starts no Node', async () => {
    const hookFile = path.join(repo.dir, '.husky', 'pre-commit');
    const current = readFileSync(hookFile, 'utf8');
    // The block as the first released template wrote it: no nothing-staged check, only the absolute PATH entry.
    const earlier = current
      .split('\n')
      .filter((line) => !line.includes('diff-index'))
      .map((line) => line.replace(':node_modules/.bin:$PATH"', ':$PATH"'))
      .join('\n');
    expect(earlier).not.toBe(current);
    writeFileSync(hookFile, earlier);
    const debug = { env: { CODEAI_DEBUG: '1' } };
    expect((await repo.commit('chore: empty', { ...debug, args: ['--allow-empty'] })).stderr).toContain('codeai-hook: debug: policy');

    const again = repo.run('npx', ['--no-install', 'codeai-hook', 'install']);
    expect(again.code, again.stderr).toBe(0);
    expect(`${again.stdout}${again.stderr}`).toContain("updated codeai-hook's block in .husky/pre-commit to this version's");
    expect(readFileSync(hookFile, 'utf8')).toBe(current);
    const empty = await repo.commit('chore: empty again', { ...debug, args: ['--allow-empty'] });
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stderr).not.toContain('codeai-hook: debug');
    repo.write('src/db.js', 'const k = "' + 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5' + '0Zb5Hm' + '";\n');
    repo.git('add', '-A');
    const blocked = await repo.commit('feat: db key');
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toContain('src/db.js');
    repo.git('reset', '-q', '--hard', 'HEAD');
  }, 60_000);

  it('the installed package finds and runs its shipped eval cases', () => {
    const r = repo.run('npx', ['--no-install', 'codeai-hook', 'eval']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^codeai-hook eval · \d+ cases from the shipped set \(/);
    expect(r.stdout).toMatch(/^builtin \(no model\)\s+0\.0 %/m);
  }, 120_000);

  it('the installed binary serves the editor: a planted key is an error at its line, and shutdown ends the server', async () => {
    const client = await LspClient.start(repo, { bin: path.join(repo.dir, 'node_modules', '.bin', 'codeai-hook') });
    try {
      await client.open('src/keys.js', "// keys\nconst id = 'AKIAQYLPMN5HFIQR7BLZ';\n");
      const diagnostics = await client.diagnostics('src/keys.js', (d) => d.length > 0);
      expect(diagnostics.map((d) => [d.code, d.range.start.line, d.severity])).toContainEqual(['aws-access-key-id', 1, 1]);
      await client.connection.sendRequest('shutdown');
      await client.connection.sendNotification('exit');
      expect((await client.exited).code).toBe(0);
    } finally {
      client.kill();
    }
  }, 60_000);

  it('the GitHub Action installs the package when the project has none, and blocks a pull request with a secret', () => {
    const project = new TestRepo({ name: 'any-language' });
    try {
      // No package.json, no node_modules: a repository in any language.
      project.write('README.md', '# project\n');
      project.git('add', '-A');
      project.git('commit', '-q', '-m', 'start');
      const base = project.git('rev-parse', 'HEAD').trim();
      project.git('checkout', '-q', '-b', 'feature');
      project.write('src/cfg.py', `TOKEN = "${'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5' + '0Zb5Hm'}"\n`);
      project.git('add', '-A');
      project.git('commit', '-q', '-m', 'feat');
      const env = { ...project.env, npm_config_prefer_offline: 'true', npm_config_cache: path.join(os.homedir(), '.npm') };
      const r = runAction(project.dir, { package: tarball }, env, { pull_request: { base: { sha: base } } });
      expect(r.stderr).toContain(`installing ${tarball}`);
      expect(r.outputs).toMatchObject({ verdict: 'blocked', findings: '1' });
      expect(r.jobExit).toBe(1);
      expect(r.stdout).toMatch(/^::error file=src\/cfg\.py,line=1/m);
    } finally {
      project.cleanup();
    }
  }, 120_000);
});

