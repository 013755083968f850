import { mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { GitError, UsageError } from '../../src/errors.js';
import { renderBlock, type BlockOptions } from '../../src/install/block.js';
import { planHookEdit } from '../../src/install/hook-file.js';
import { hookStatus, install, uninstall } from '../../src/install/index.js';
import { readRecord, sha256 } from '../../src/install/record.js';
import { commitCount, commitFile, envWithoutCodeaiHook, makeFakeBin, makeRepo, type TempRepo } from './repo.js';

const fake = makeFakeBin();
afterAll(() => fake.cleanup());

let repo: TempRepo;
afterEach(() => {
  repo?.cleanup();
  fake.reset();
});

describe('install in a repository without husky', () => {
  it('sets husky up, writes .husky/pre-commit (755) and the commit runs our hook in the top folder', async () => {
    repo = await makeRepo();
    const report = await install({ cwd: repo.dir });

    expect(report.hookFile).toBe(path.join(repo.dir, '.husky', 'pre-commit'));
    expect(report.actions).toEqual([
      'set core.hooksPath to .husky/_ (husky)',
      'added codeai-hook to .husky/pre-commit (new file)',
      'no package.json here: the hook runs a codeai-hook found on PATH (npm i -g codeai-hook), and each clone runs codeai-hook install once',
    ]);
    expect((await repo.git('config', '--local', 'core.hooksPath')).trim()).toBe('.husky/_');
    expect(statSync(report.hookFile).mode & 0o777).toBe(0o755);
    const hook = repo.read('.husky/pre-commit').toString();
    expect(hook).toContain('exec codeai-hook run');
    expect(hook).not.toContain('npx');
    expect(repo.exists('.husky/_/h')).toBe(true);

    const result = await commitFile(repo, fake.env(0));
    expect(result.code, result.stderr).toBe(0);
    expect(fake.calls()).toEqual([`codeai-hook ${repo.dir} run`]);
    expect(await commitCount(repo)).toBe(1);
    expect(await hookStatus(repo.dir)).toEqual({
      installed: true,
      hookFile: report.hookFile,
      detail: '.husky/pre-commit runs codeai-hook (core.hooksPath .husky/_, husky)',
    });
  });

  it('blocks the commit when codeai-hook exits 1 and passes its exit code through', async () => {
    repo = await makeRepo();
    await install({ cwd: repo.dir });
    const blocked = await commitFile(repo, fake.env(1));
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toContain('husky - pre-commit script failed (code 1)');
    expect(await commitCount(repo)).toBe(0);

    const passed = await commitFile(repo, fake.env(0));
    expect(passed.code, passed.stderr).toBe(0);
    expect(await commitCount(repo)).toBe(1);
  });

  it('lets the commit through with a one-line notice when codeai-hook is not installed', async () => {
    repo = await makeRepo();
    repo.write('package.json', '{\n  "name": "app"\n}\n');
    await install({ cwd: repo.dir });
    const result = await commitFile(repo, envWithoutCodeaiHook());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.trim()).toBe('codeai-hook: not installed in node_modules; run npm install (commit not reviewed)');
    expect(await commitCount(repo)).toBe(1);
  });

  it('without package.json, a teammate without the global binary is told the commit is not reviewed and npm i -g', async () => {
    repo = await makeRepo();
    await install({ cwd: repo.dir });
    const result = await commitFile(repo, envWithoutCodeaiHook());
    expect(result.code, result.stderr).toBe(0);
    // npm install would do nothing here: there is no package.json.
    expect(result.stderr.trim()).toBe('codeai-hook: not found on PATH, so this commit is not reviewed: install it with npm i -g codeai-hook');
    expect(await commitCount(repo)).toBe(1);
  });

  it("finds the binary in the repository's node_modules/.bin", async () => {
    repo = await makeRepo();
    await install({ cwd: repo.dir });
    repo.write('node_modules/.bin/codeai-hook', '#!/bin/sh\necho "local $*" >> "$FAKE_LOG"\nexit 0\n', 0o755);
    repo.write('.gitignore', 'node_modules\n');
    const result = await commitFile(repo, envWithoutCodeaiHook({ FAKE_LOG: fake.log }));
    expect(result.code, result.stderr).toBe(0);
    expect(fake.calls().at(-1)).toBe('local run');
  });

  it('is idempotent: a second install changes no byte and says so', async () => {
    repo = await makeRepo();
    repo.write('package.json', '{\n  "name": "app",\n  "devDependencies": { "codeai-hook": "^0.1.0" }\n}\n');
    const first = await install({ cwd: repo.dir });
    const hook = repo.read('.husky/pre-commit');
    const pkg = repo.read('package.json');
    const second = await install({ cwd: repo.dir });
    expect(second.actions).toEqual(['already installed: nothing to do']);
    expect(repo.read('.husky/pre-commit').equals(hook)).toBe(true);
    expect(repo.read('package.json').equals(pkg)).toBe(true);
    expect(first.actions).toContain('added "prepare": "husky" to package.json');
  });

  it('in a clone that has the committed block but no husky yet: doctor says why, install only sets husky up', async () => {
    repo = await makeRepo();
    await install({ cwd: repo.dir });
    // What a fresh clone looks like: .husky/pre-commit committed, .husky/_ ignored, core.hooksPath unset.
    await repo.git('config', '--unset', 'core.hooksPath');
    rmSync(path.join(repo.dir, '.husky', '_'), { recursive: true });
    rmSync(path.join(repo.dir, '.git', 'codeai-hook'), { recursive: true });
    const hook = repo.read('.husky/pre-commit');

    const status = await hookStatus(repo.dir);
    expect(status.installed).toBe(false);
    expect(status.detail).toBe('.husky/pre-commit has codeai-hook, but core.hooksPath is not set so git does not run it (npm install sets it through husky in the prepare script)');

    const report = await install({ cwd: repo.dir });
    expect(report.actions.slice(0, 2)).toEqual(['set core.hooksPath to .husky/_ (husky)', 'codeai-hook is already in .husky/pre-commit']);
    expect(repo.read('.husky/pre-commit').equals(hook)).toBe(true);
    expect((await hookStatus(repo.dir)).installed).toBe(true);
  });

  it('adds "prepare": "husky" keeping the indent and final newline, and says to add the dependency', async () => {
    repo = await makeRepo();
    repo.write('package.json', '{\n\t"name": "app",\n\t"scripts": {\n\t\t"test": "vitest"\n\t}\n}');
    const report = await install({ cwd: repo.dir });
    expect(repo.read('package.json').toString()).toBe('{\n\t"name": "app",\n\t"scripts": {\n\t\t"test": "vitest",\n\t\t"prepare": "husky"\n\t}\n}');
    expect(report.actions.at(-1)).toBe('add codeai-hook to devDependencies: npm i -D codeai-hook');
  });

  it('appends " && husky" to a prepare script that does not run husky', async () => {
    repo = await makeRepo();
    repo.write('package.json', '{\n    "scripts": {\n        "prepare": "npm run build"\n    }\n}\n');
    const report = await install({ cwd: repo.dir });
    expect(JSON.parse(repo.read('package.json').toString()).scripts.prepare).toBe('npm run build && husky');
    expect(repo.read('package.json').toString()).toMatch(/^\{\n {4}"scripts"/);
    expect(report.actions).toContain('appended " && husky" to the prepare script in package.json');
  });

  it('works from a subfolder: the hook and package.json of the top are used', async () => {
    repo = await makeRepo();
    repo.write('package.json', '{ "name": "app" }\n');
    repo.write('src/deep/x.ts', 'export {};\n');
    const report = await install({ cwd: path.join(repo.dir, 'src', 'deep') });
    expect(report.hookFile).toBe(path.join(repo.dir, '.husky', 'pre-commit'));
    expect(JSON.parse(repo.read('package.json').toString()).scripts).toEqual({ prepare: 'husky' });
    // A one-line package.json stays on one line.
    expect(repo.read('package.json').toString()).toBe('{"name":"app","scripts":{"prepare":"husky"}}\n');
    const result = await commitFile(repo, fake.env(0), 'src/deep/y.ts', path.join(repo.dir, 'src'));
    expect(result.code, result.stderr).toBe(0);
    expect(fake.calls().at(-1)).toBe(`codeai-hook ${repo.dir} run`);
  });

  it('uses --dir for the husky folder, relative to the package root', async () => {
    repo = await makeRepo();
    const report = await install({ cwd: repo.dir, dir: 'tools/hooks' });
    expect(report.hookFile).toBe(path.join(repo.dir, 'tools', 'hooks', 'pre-commit'));
    expect((await repo.git('config', 'core.hooksPath')).trim()).toBe('tools/hooks/_');
    await expect(install({ cwd: repo.dir, dir: 'other' })).rejects.toThrow(/husky already runs hooks from tools\/hooks/);
  });

  it('adds the commit-msg hook, which gets the message file as an absolute path', async () => {
    repo = await makeRepo();
    const report = await install({ cwd: repo.dir, commitMsg: true });
    expect(report.actions).toContain('added codeai-hook to .husky/commit-msg (new file)');
    const result = await commitFile(repo, fake.env(0));
    expect(result.code, result.stderr).toBe(0);
    expect(fake.calls()).toEqual([
      `codeai-hook ${repo.dir} run`,
      `codeai-hook ${repo.dir} run --commit-msg ${path.join(repo.dir, '.git', 'COMMIT_EDITMSG')}`,
    ]);
  });
});

describe('install refuses cleanly', () => {
  it('under HUSKY=0, before changing anything', async () => {
    repo = await makeRepo();
    repo.write('package.json', '{ "name": "app" }\n');
    process.env.HUSKY = '0';
    try {
      await expect(install({ cwd: repo.dir })).rejects.toThrow(UsageError);
      await expect(install({ cwd: repo.dir })).rejects.toThrow(/^HUSKY=0 is set.*unset HUSKY and run codeai-hook install again$/);
    } finally {
      delete process.env.HUSKY;
    }
    expect(repo.exists('.husky')).toBe(false);
    expect(repo.read('package.json').toString()).toBe('{ "name": "app" }\n');
    expect((await repo.tryGit(['config', 'core.hooksPath'])).code).toBe(1);
    expect(repo.exists('.git/codeai-hook')).toBe(false);
  });

  it('outside a git repository, with a GitError', async () => {
    const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'codeai-nogit-')));
    try {
      const err = await install({ cwd: dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GitError);
      expect((err as Error).message).toBe("not a git repository (run 'git init' first, or cd into your project)");
      await expect(hookStatus(dir)).rejects.toThrow(GitError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// A block an earlier version wrote is brought up to date by install, in place; its choices and every other byte stay.

/** The block as the first released template wrote it: no nothing-staged check, and only the absolute PATH entry. */
function earlierBlock(opts: BlockOptions): string {
  return renderBlock('pre-commit', opts)
    .split('\n')
    .filter((line) => !line.includes('diff-index'))
    .map((line) => line.replace('PATH="$PWD/node_modules/.bin:node_modules/.bin:$PATH"', 'PATH="$PWD/node_modules/.bin:$PATH"'))
    .join('\n');
}

/** What that earlier version's install left: `text` in the hook file, and the record's bytes for it. */
function asEarlierInstallLeft(r: TempRepo, text: string): void {
  const file = r.write('.husky/pre-commit', text);
  const recordFile = path.join(r.dir, '.git', 'codeai-hook', 'install.json');
  const record = JSON.parse(readFileSync(recordFile, 'utf8'));
  record.changes.find((c: { path: string }) => c.path === file).after = sha256(Buffer.from(text, 'latin1'));
  writeFileSync(recordFile, JSON.stringify(record));
}

describe('install over a block an earlier version wrote', () => {
  it('rewrites the block in place, keeps the lines around it, and uninstall still restores the file from before', async () => {
    repo = await makeRepo();
    repo.write('.husky/pre-commit', 'echo team-check\n');
    await install({ cwd: repo.dir });
    const current = repo.read('.husky/pre-commit').toString();
    const old = current.replace(renderBlock('pre-commit', { packageDir: '', runPrevious: false, globalBinary: true }), earlierBlock({ packageDir: '', runPrevious: false, globalBinary: true }));
    expect(old).not.toBe(current);
    asEarlierInstallLeft(repo, old);

    const report = await install({ cwd: repo.dir });
    expect(report.actions[0]).toBe("updated codeai-hook's block in .husky/pre-commit to this version's (every other line kept)");
    expect(report.actions).not.toContain('already installed: nothing to do');
    expect(repo.read('.husky/pre-commit').toString()).toBe(current);
    expect((await install({ cwd: repo.dir })).actions[0]).toBe('already installed: nothing to do');
    const passed = await commitFile(repo, fake.env(0));
    expect(passed.code, passed.stderr).toBe(0);
    expect(fake.calls().at(-1)).toBe(`codeai-hook ${repo.dir} run`);

    const removed = await uninstall({ cwd: repo.dir });
    expect(removed.actions).toContain('removed codeai-hook from .husky/pre-commit (restored as it was before install)');
    expect(repo.read('.husky/pre-commit').toString()).toBe('echo team-check\n');
  });

  it('a file edited since keeps the edit, and uninstall then removes only our block', async () => {
    repo = await makeRepo();
    await install({ cwd: repo.dir });
    const opts = { packageDir: '', runPrevious: false, globalBinary: true };
    asEarlierInstallLeft(repo, `${earlierBlock(opts)}\n`);
    repo.write('.husky/pre-commit', `${earlierBlock(opts)}\nnpm test\n`); // the team's line, added after install

    await install({ cwd: repo.dir });
    expect(repo.read('.husky/pre-commit').toString()).toBe(`${renderBlock('pre-commit', opts)}\nnpm test\n`);
    expect(readRecord(path.join(repo.dir, '.git'))!.changes.some((c) => c.kind === 'file' && c.after === sha256(repo.read('.husky/pre-commit')))).toBe(false);
    const removed = await uninstall({ cwd: repo.dir });
    expect(removed.actions).not.toContain('removed codeai-hook from .husky/pre-commit (restored as it was before install)');
    expect(repo.read('.husky/pre-commit').toString()).toBe('npm test\n');
  });
});

describe("the block's own choices are kept", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'codeai-renew-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'pre-commit');
  const plan = (text: string, opts: BlockOptions) => {
    writeFileSync(file, text);
    return planHookEdit(file, 'pre-commit', opts, false);
  };

  it('the call of the hook core.hooksPath moved aside, a package folder, a global binary', () => {
    for (const opts of [
      { packageDir: '', runPrevious: true },
      { packageDir: "packages/it's app", runPrevious: false },
      { packageDir: '', runPrevious: false, globalBinary: true },
    ]) {
      // A re-install decides runPrevious and globalBinary afresh (core.hooksPath is set by then): the block's own win.
      const edit = plan(`${earlierBlock(opts)}\n`, { packageDir: opts.packageDir, runPrevious: false });
      expect(edit.present && edit.update?.after).toBe(`${renderBlock('pre-commit', opts)}\n`);
    }
  });

  it('is left alone when it is current, when it cds into another package, or when its end line is gone', () => {
    const opts = { packageDir: 'packages/app', runPrevious: false };
    expect(plan(`${renderBlock('pre-commit', opts)}\n`, opts)).toEqual({ hook: 'pre-commit', file, present: true });
    expect(plan(`${earlierBlock({ ...opts, packageDir: 'packages/web' })}\n`, opts)).toEqual({ hook: 'pre-commit', file, present: true });
    expect(plan(`${earlierBlock({ packageDir: '', runPrevious: false })}\n`, opts)).toEqual({ hook: 'pre-commit', file, present: true });
    const unended = earlierBlock({ packageDir: '', runPrevious: false }).split('\n').slice(0, -1).join('\n');
    expect(plan(`${unended}\n`, { packageDir: '', runPrevious: false })).toEqual({ hook: 'pre-commit', file, present: true });
  });
});
