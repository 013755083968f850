import { renameSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { install } from '../../src/install/index.js';
import { commitFile, envWithoutCodeaiHook, makeFakeBin, makeRepo, run, type TempRepo } from './repo.js';

// A package below the git top: git runs hooks from the top, the review must run in the package.

const fake = makeFakeBin();
afterAll(() => fake.cleanup());

let repo: TempRepo;
afterEach(() => {
  repo?.cleanup();
  fake.reset();
});

const HUSKY_BIN = fileURLToPath(new URL('../../node_modules/husky/bin.js', import.meta.url));

describe('install in a package below the git top', () => {
  it('puts husky in the package, the monorepo prepare script in its package.json, and runs the review there', async () => {
    repo = await makeRepo();
    repo.write('packages/app/package.json', '{\n  "name": "app"\n}\n');
    const app = path.join(repo.dir, 'packages', 'app');

    const report = await install({ cwd: app });
    expect(report.hookFile).toBe(path.join(app, '.husky', 'pre-commit'));
    expect(report.actions.slice(0, 3)).toEqual([
      'set core.hooksPath to packages/app/.husky/_ (husky)',
      'added codeai-hook to packages/app/.husky/pre-commit (new file)',
      'added "prepare": "cd ../.. && husky packages/app/.husky" to packages/app/package.json',
    ]);

    const fromTop = await commitFile(repo, fake.env(0), 'top.txt');
    expect(fromTop.code, fromTop.stderr).toBe(0);
    expect(fake.calls()).toEqual([`codeai-hook ${app} run`]);

    // The prepare script really sets husky up again: run it as npm would, from the package, husky on PATH.
    await repo.git('config', '--unset', 'core.hooksPath');
    symlinkSync(HUSKY_BIN, path.join(fake.dir, 'husky'));
    const prepare = JSON.parse(repo.read('packages/app/package.json').toString()).scripts.prepare as string;
    const prepared = await run('sh', ['-c', prepare], app, fake.env());
    expect(prepared.code, prepared.stderr).toBe(0);
    expect((await repo.git('config', 'core.hooksPath')).trim()).toBe('packages/app/.husky/_');
  });

  it("finds the binary in the package's node_modules/.bin, or hoisted in the top's", async () => {
    repo = await makeRepo();
    repo.write('packages/app/package.json', '{ "name": "app" }\n');
    repo.write('.gitignore', 'node_modules\n');
    await install({ cwd: path.join(repo.dir, 'packages', 'app') });
    const env = envWithoutCodeaiHook({ FAKE_LOG: fake.log });

    repo.write('node_modules/.bin/codeai-hook', '#!/bin/sh\necho "hoisted $PWD" >> "$FAKE_LOG"\n', 0o755);
    expect((await commitFile(repo, env)).code).toBe(0);
    repo.write('packages/app/node_modules/.bin/codeai-hook', '#!/bin/sh\necho "package $PWD" >> "$FAKE_LOG"\n', 0o755);
    expect((await commitFile(repo, env)).code).toBe(0);
    expect(fake.calls()).toEqual([`hoisted ${repo.dir}/packages/app`, `package ${repo.dir}/packages/app`]);
  });

  it('quotes a package folder with spaces and quotes in its name', async () => {
    repo = await makeRepo();
    const odd = "packages/it's my app";
    repo.write(`${odd}/package.json`, '{}\n');
    await install({ cwd: path.join(repo.dir, odd) });
    const result = await commitFile(repo, fake.env(0));
    expect(result.code, result.stderr).toBe(0);
    expect(fake.calls()).toEqual([`codeai-hook ${path.join(repo.dir, odd)} run`]);
  });

  it('uses husky already set up at the top, and lets commits pass with a notice once the package is gone', async () => {
    repo = await makeRepo();
    repo.write('package.json', '{ "private": true, "scripts": { "prepare": "husky" } }\n');
    repo.write('packages/app/package.json', '{ "name": "app" }\n');
    expect((await run(process.execPath, [HUSKY_BIN], repo.dir)).code).toBe(0);
    repo.write('.husky/pre-commit', 'lint-staged\n');

    const report = await install({ cwd: path.join(repo.dir, 'packages', 'app') });
    expect(report.hookFile).toBe(path.join(repo.dir, '.husky', 'pre-commit'));
    expect(report.actions).toEqual(['added codeai-hook to .husky/pre-commit', 'add codeai-hook to devDependencies: npm i -D codeai-hook']);
    expect(repo.read('packages/app/package.json').toString()).toBe('{ "name": "app" }\n');

    expect((await commitFile(repo, fake.env(0))).code).toBe(0);
    expect(fake.calls()).toEqual([`lint-staged ${repo.dir} `, `codeai-hook ${repo.dir}/packages/app run`]);

    renameSync(path.join(repo.dir, 'packages', 'app'), path.join(repo.dir, 'packages', 'moved'));
    const result = await commitFile(repo, fake.env(1));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.trim()).toBe('codeai-hook: folder packages/app not found; run codeai-hook install again (commit not reviewed)');
  });
});
