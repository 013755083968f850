import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { hookStatus, install, uninstall } from '../../src/install/index.js';
import { commitFile, makeFakeBin, makeRepo, run, type TempRepo } from './repo.js';

// uninstall puts back exactly what install changed: bytes of every file, modes, core.hooksPath, folders.

const fake = makeFakeBin();
afterAll(() => fake.cleanup());

let repo: TempRepo;
afterEach(() => {
  repo?.cleanup();
  fake.reset();
});

const HUSKY_BIN = fileURLToPath(new URL('../../node_modules/husky/bin.js', import.meta.url));

/** Every file below the top (outside .git) with its bytes and mode, plus git's own hooks folder and config value. */
async function snapshot(r: TempRepo): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      const rel = path.relative(r.dir, file);
      if (rel === '.git' && entry.isDirectory()) {
        walk(path.join(file, 'hooks'));
        continue;
      }
      if (entry.isDirectory()) {
        out[`${rel}/`] = 'dir';
        walk(file);
      } else {
        out[rel] = `${(statSync(file).mode & 0o777).toString(8)} ${r.read(rel).toString('base64')}`;
      }
    }
  };
  walk(r.dir);
  const hooksPath = await r.tryGit(['config', '--local', '--get', 'core.hooksPath']);
  out['core.hooksPath'] = hooksPath.code === 0 ? hooksPath.stdout : '(unset)';
  return out;
}

describe('uninstall after install', () => {
  it('in a fresh repository: husky, the hook, the prepare script and core.hooksPath all go', async () => {
    repo = await makeRepo();
    repo.write('package.json', '{\n  "name": "app",\n  "scripts": {}\n}\n');
    const before = await snapshot(repo);
    await install({ cwd: repo.dir });

    const report = await uninstall({ cwd: repo.dir });
    expect(report.actions).toEqual([
      'removed "prepare": "husky" from package.json',
      'removed .husky/pre-commit (codeai-hook had created it)',
      'unset core.hooksPath (was .husky/_)',
      "removed .husky/_ (husky's files)",
      'removed the empty folder .husky',
    ]);
    expect(await snapshot(repo)).toEqual(before);
    expect(repo.exists('.git/codeai-hook')).toBe(false);
    expect((await hookStatus(repo.dir)).installed).toBe(false);

    const result = await commitFile(repo, fake.env(1));
    expect(result.code, result.stderr).toBe(0);
    expect(fake.calls()).toEqual([]);
  });

  it('next to existing husky, a plain hook and a prepare script: every byte comes back, the plain hook runs again', async () => {
    repo = await makeRepo();
    expect((await run(process.execPath, [HUSKY_BIN], repo.dir)).code).toBe(0);
    repo.write('.husky/pre-commit', 'lint-staged');
    repo.write('.husky/pre-push', 'npm test\n');
    repo.write('package.json', '{\n\t"scripts": {\n\t\t"prepare": "npm run build"\n\t}\n}\n');
    const before = await snapshot(repo);
    await install({ cwd: repo.dir, commitMsg: true });
    expect(await snapshot(repo)).not.toEqual(before);

    await uninstall({ cwd: repo.dir });
    expect(await snapshot(repo)).toEqual(before);
  });

  it('gives a plain .git/hooks/pre-commit back to git', async () => {
    repo = await makeRepo();
    repo.write('.git/hooks/pre-commit', '#!/bin/sh\necho "plain" >> "$FAKE_LOG"\n', 0o755);
    const before = await snapshot(repo);
    await install({ cwd: repo.dir });
    await uninstall({ cwd: repo.dir });
    expect(await snapshot(repo)).toEqual(before);
    expect((await commitFile(repo, fake.env(0))).code).toBe(0);
    expect(fake.calls()).toEqual(['plain']);
  });

  it('in a core.hooksPath folder: bytes and mode of the hook come back, core.hooksPath stays', async () => {
    repo = await makeRepo();
    await repo.git('config', 'core.hooksPath', '.githooks');
    repo.write('.githooks/pre-commit', '#!/bin/sh\necho githooks', 0o744);
    const before = await snapshot(repo);
    await install({ cwd: repo.dir });
    expect(statSync(path.join(repo.dir, '.githooks/pre-commit')).mode & 0o777).toBe(0o755);
    const report = await uninstall({ cwd: repo.dir });
    expect(report.actions).toEqual(['removed codeai-hook from .githooks/pre-commit (restored as it was before install)']);
    expect(await snapshot(repo)).toEqual(before);
  });

  it('in a monorepo package', async () => {
    repo = await makeRepo();
    repo.write('packages/app/package.json', '{\n  "name": "app"\n}\n');
    const before = await snapshot(repo);
    await install({ cwd: path.join(repo.dir, 'packages', 'app') });
    await uninstall({ cwd: repo.dir });
    expect(await snapshot(repo)).toEqual(before);
  });
});

describe('uninstall when things changed since install', () => {
  it('removes only our block and our prepare script, keeping what the user added since', async () => {
    repo = await makeRepo();
    repo.write('package.json', '{\n  "name": "app"\n}\n');
    await install({ cwd: repo.dir });
    const hook = path.join(repo.dir, '.husky', 'pre-commit');
    repo.write('.husky/pre-commit', `${repo.read('.husky/pre-commit').toString()}lint-staged\n`);
    const pkg = JSON.parse(repo.read('package.json').toString());
    repo.write('package.json', `${JSON.stringify({ ...pkg, version: '1.0.0' }, null, 2)}\n`);

    const report = await uninstall({ cwd: repo.dir });
    expect(report.hookFile).toBe(hook);
    expect(report.actions.slice(0, 2)).toEqual([
      'removed "prepare": "husky" from package.json; its other changes are kept',
      'removed codeai-hook from .husky/pre-commit; its other lines are kept',
    ]);
    expect(repo.read('.husky/pre-commit').toString()).toBe('lint-staged\n');
    expect(repo.read('package.json').toString()).toBe('{\n  "name": "app",\n  "version": "1.0.0"\n}\n');
    expect(report.actions).toContain('left .husky: it holds other files');
  });

  it('without an install record (the block came from another clone): removes the block, leaves husky alone', async () => {
    repo = await makeRepo();
    await install({ cwd: repo.dir });
    rmSync(path.join(repo.dir, '.git', 'codeai-hook'), { recursive: true });

    const report = await uninstall({ cwd: repo.dir });
    expect(report.actions).toEqual([
      'removed codeai-hook from .husky/pre-commit; its other lines are kept',
      'no install record in this clone: core.hooksPath, husky and package.json were left as they are',
    ]);
    expect(repo.read('.husky/pre-commit').toString()).toBe('');
    expect((await repo.git('config', 'core.hooksPath')).trim()).toBe('.husky/_');
  });

  it('says so when nothing is installed, twice in a row', async () => {
    repo = await makeRepo();
    await install({ cwd: repo.dir });
    await uninstall({ cwd: repo.dir });
    const again = await uninstall({ cwd: repo.dir });
    expect(again.actions).toEqual(['codeai-hook is not installed here: nothing to remove']);

    const fresh = await makeRepo();
    try {
      expect((await uninstall({ cwd: fresh.dir })).actions).toEqual(['codeai-hook is not installed here: nothing to remove']);
      expect(await hookStatus(fresh.dir)).toEqual({ installed: false, hookFile: null, detail: 'no pre-commit hook runs codeai-hook' });
    } finally {
      fresh.cleanup();
    }
  });
});
