// install in repositories that already use a hook manager, with the real tools and real commits: the pre-commit
// framework (Debian's package, as .ci/run installs it), lefthook and simple-git-hooks (their npm packages). Each
// keeps owning git's hooks, core.hooksPath is never set, the team's own checks keep blocking, codeai-hook blocks
// what it must, and uninstall gives the config back byte for byte. A tool that cannot be had skips, saying why.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, TestRepo } from './harness.js';
import { registryEnv } from './packed.js';

const FAKE_TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5' + '0Zb5Hm'; // ends in its CRC32 checksum, as real ones do

function available(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0;
}

const hasPreCommit = available('pre-commit', ['--version']);
if (!hasPreCommit) console.warn('pre-commit is not installed (apt-get install pre-commit; .ci/run does): its tests are skipped');

const NPM_ENV = {
  npm_config_loglevel: 'error',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_prefer_offline: 'true',
  npm_config_cache: path.join(os.homedir(), '.npm'),
  ...registryEnv(),
};

/**
 * A project with these devDependencies installed from the registry (scripts off: the tools' postinstall would
 * install hooks before the test means to), and codeai-hook linked in as `npm i -D codeai-hook` leaves it.
 * Null when npm cannot fetch them.
 */
function projectWith(repo: TestRepo, devDependencies: Record<string, string>, extra: Record<string, unknown> = {}): boolean {
  repo.write('package.json', `${JSON.stringify({ name: 'team', private: true, devDependencies, ...extra }, null, 2)}\n`);
  repo.write('.gitignore', 'node_modules/\n');
  const r = repo.run('npm', ['install', '--ignore-scripts', '--no-package-lock'], { env: NPM_ENV });
  if (r.code !== 0) {
    console.warn(`npm could not install ${Object.keys(devDependencies).join(', ')} (${r.stderr.trim().split('\n')[0]}): test skipped`);
    return false;
  }
  linkCodeaiHook(repo);
  return true;
}

function linkCodeaiHook(repo: TestRepo): void {
  mkdirSync(path.join(repo.dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(ROOT, path.join(repo.dir, 'node_modules', 'codeai-hook'), 'dir');
  symlinkSync(path.join('..', 'codeai-hook', 'dist', 'bin.js'), path.join(repo.dir, 'node_modules', '.bin', 'codeai-hook'));
}

function hooksPathUnset(repo: TestRepo): boolean {
  return repo.run('git', ['config', '--get', 'core.hooksPath']).code === 1;
}

let repo: TestRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

const TEAM_PRE_COMMIT = `repos:
  - repo: local
    hooks:
      - id: no-fixme
        name: no FIXME in code
        entry: FIXME
        language: pygrep
        files: ^src/
`;

describe.skipIf(!hasPreCommit)('the pre-commit framework (real pre-commit)', () => {
  it('install adds a repo: local hook, never core.hooksPath; both checks block; a fresh clone keeps pre-commit working', async () => {
    repo = new TestRepo({ name: 'team' });
    repo.write('package.json', '{\n  "name": "team",\n  "private": true\n}\n');
    repo.write('.gitignore', 'node_modules/\n');
    linkCodeaiHook(repo);
    repo.write('.pre-commit-config.yaml', TEAM_PRE_COMMIT);
    const env = { PRE_COMMIT_HOME: path.join(repo.home, 'pre-commit-cache') };

    const install = repo.cli(['install', '--commit-msg'], { env });
    expect(install.code, install.stderr).toBe(0);
    expect(install.stderr).toContain('added codeai-hook to .pre-commit-config.yaml (a repo: local hook');
    expect(install.stderr).toContain('run pre-commit install --hook-type pre-commit --hook-type commit-msg');
    expect(hooksPathUnset(repo)).toBe(true);
    expect(existsSync(path.join(repo.dir, '.husky'))).toBe(false);
    expect(JSON.parse(repo.read('package.json')).scripts).toBeUndefined();

    const pc = repo.run('pre-commit', ['install', '--hook-type', 'pre-commit', '--hook-type', 'commit-msg'], { env });
    expect(pc.code, pc.stderr + pc.stdout).toBe(0);
    expect(repo.cli(['doctor'], { env }).stdout).toMatch(/^✔ hook: \.pre-commit-config\.yaml runs codeai-hook \(the pre-commit framework\)$/m);
    repo.git('add', '-A');
    const first = await repo.commit('chore: codeai-hook', { env });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    // verbose: codeai-hook's own report shows on a passing commit too.
    expect(first.stdout + first.stderr).toMatch(/codeai-hook \(AI code review\)\.+Passed/);

    repo.write('src/cfg.js', `export const token = '${FAKE_TOKEN}';\n`);
    repo.git('add', '-A');
    const secret = await repo.commit('feat: cfg', { env });
    expect(secret.code).not.toBe(0);
    expect(secret.stdout + secret.stderr).toMatch(/codeai-hook \(AI code review\)\.+Failed/);
    expect(secret.stdout + secret.stderr).toContain('github-token');
    expect(repo.headCount()).toBe(1);

    // The team's own check still runs and blocks (the lost FIXME).
    repo.write('src/cfg.js', 'export const token = process.env.TOKEN; // FIXME\n');
    repo.git('add', '-A');
    const fixme = await repo.commit('feat: cfg', { env });
    expect(fixme.code).not.toBe(0);
    expect(fixme.stdout + fixme.stderr).toMatch(/no FIXME in code\.+Failed/);

    repo.write('src/cfg.js', 'export const token = process.env.TOKEN;\n');
    repo.git('add', '-A');
    expect((await repo.commit('feat: cfg', { env })).code).toBe(0);
    expect(repo.headCount()).toBe(2);

    // A teammate's fresh clone: npm install sets no core.hooksPath, so pre-commit install does not refuse.
    const clone = path.join(repo.home, 'clone');
    repo.run('git', ['clone', '-q', repo.dir, clone]);
    const cloned = { ...repo.env, ...env };
    const teammate = spawnSync('pre-commit', ['install'], { cwd: clone, env: cloned, encoding: 'utf8' });
    expect(teammate.status, teammate.stdout + teammate.stderr).toBe(0);
    expect(teammate.stdout + teammate.stderr).not.toContain('Cowardly');

    const before = TEAM_PRE_COMMIT;
    const un = repo.cli(['uninstall'], { env });
    expect(un.code, un.stderr).toBe(0);
    // The block came in with a commit, so the file changed since install: only the block goes.
    expect(repo.read('.pre-commit-config.yaml')).toBe(before);
  }, 120_000);
});

describe.skipIf(!hasPreCommit)('the codeai-hook repository as a pre-commit repo (.pre-commit-hooks.yaml)', () => {
  it('pre-commit builds the package from a clone (language: node) and its hook blocks a secret', async () => {
    // This repository as pre-commit clones it: the files git would commit, in a repository of their own.
    repo = new TestRepo({ name: 'team' });
    const source = path.join(repo.home, 'codeai-hook');
    const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
      .stdout.split('\0')
      .filter((f) => f && existsSync(path.join(ROOT, f)));
    for (const f of files) cpSync(path.join(ROOT, f), path.join(source, f));
    const git = (...args: string[]) => spawnSync('git', args, { cwd: source, env: repo!.env, encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'codeai-hook');
    const rev = git('rev-parse', 'HEAD').stdout.trim();

    repo.write('.pre-commit-config.yaml', `repos:\n  - repo: ${source}\n    rev: ${rev}\n    hooks:\n      - id: codeai-hook\n`);
    const env = { PRE_COMMIT_HOME: path.join(repo.home, 'pre-commit-cache'), ...NPM_ENV };
    const setUp = repo.run('pre-commit', ['install', '--install-hooks'], { env });
    expect(setUp.code, setUp.stdout + setUp.stderr).toBe(0);

    repo.write('src/cfg.js', `export const token = '${FAKE_TOKEN}';\n`);
    repo.git('add', '-A');
    const blocked = await repo.commit('feat: cfg', { env });
    expect(blocked.code).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toMatch(/codeai-hook \(AI code review\)\.+Failed/);
    expect(blocked.stdout + blocked.stderr).toContain('github-token');
    expect(repo.headCount()).toBe(0);

    repo.write('src/cfg.js', 'export const token = process.env.TOKEN;\n');
    repo.git('add', '-A');
    const passed = await repo.commit('feat: cfg', { env });
    expect(passed.code, passed.stdout + passed.stderr).toBe(0);
  }, 240_000);
});

describe('lefthook (its npm package)', () => {
  it('install adds a command to lefthook.yml; lefthook runs it and the team command; uninstall restores the file', async () => {
    repo = new TestRepo({ name: 'team' });
    if (!projectWith(repo, { lefthook: '2.2.2' })) return;
    const config = 'pre-commit:\n  commands:\n    team-check:\n      run: echo team-check-ran\n';
    repo.write('lefthook.yml', config);
    const lefthook = repo.run(path.join(repo.dir, 'node_modules', '.bin', 'lefthook'), ['install']);
    expect(lefthook.code, lefthook.stderr).toBe(0);

    const install = repo.cli(['install']);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stderr).toContain('added codeai-hook to lefthook.yml (a lefthook command for pre-commit)');
    expect(install.stderr).not.toContain('lefthook install');
    expect(hooksPathUnset(repo)).toBe(true);
    expect(repo.cli(['doctor']).stdout).toMatch(/^✔ hook: lefthook\.yml runs codeai-hook \(lefthook\)$/m);

    repo.write('src/cfg.js', `export const token = '${FAKE_TOKEN}';\n`);
    repo.git('add', 'src/cfg.js');
    const blocked = await repo.commit('feat: cfg');
    expect(blocked.code).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain('github-token');
    expect(repo.headCount()).toBe(0);

    repo.write('src/cfg.js', 'export const token = process.env.TOKEN;\n');
    repo.git('add', 'src/cfg.js');
    const passed = await repo.commit('feat: cfg');
    expect(passed.code, passed.stdout + passed.stderr).toBe(0);
    expect(passed.stdout + passed.stderr).toContain('team-check-ran');
    expect(passed.stdout + passed.stderr).toContain('codeai-hook');

    const un = repo.cli(['uninstall']);
    expect(un.code, un.stderr).toBe(0);
    expect(repo.read('lefthook.yml')).toBe(config);
  }, 120_000);
});

describe('simple-git-hooks (its npm package)', () => {
  it('install adds to its config and runs it; git runs both commands; uninstall restores package.json and the hook', async () => {
    repo = new TestRepo({ name: 'team' });
    if (!projectWith(repo, { 'simple-git-hooks': '2.14.0' }, { 'simple-git-hooks': { 'pre-commit': 'echo team-check-ran' } })) return;
    const pkg = repo.read('package.json');

    const install = repo.cli(['install']);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stderr).toContain("ran simple-git-hooks: git's hook files follow the config");
    expect(hooksPathUnset(repo)).toBe(true);
    expect(readFileSync(path.join(repo.dir, '.git', 'hooks', 'pre-commit'), 'utf8')).toContain('codeai-hook run');

    repo.write('src/cfg.js', `export const token = '${FAKE_TOKEN}';\n`);
    repo.git('add', 'src/cfg.js');
    const blocked = await repo.commit('feat: cfg');
    expect(blocked.code).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain('team-check-ran');
    expect(blocked.stderr).toContain('github-token');

    const un = repo.cli(['uninstall']);
    expect(un.code, un.stderr).toBe(0);
    expect(repo.read('package.json')).toBe(pkg);
    expect(readFileSync(path.join(repo.dir, '.git', 'hooks', 'pre-commit'), 'utf8')).not.toContain('codeai-hook');
  }, 120_000);
});
