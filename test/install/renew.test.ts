import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { renderBlock, type BlockOptions } from '../../src/install/block.js';
import { planHookEdit } from '../../src/install/hook-file.js';
import { install, uninstall } from '../../src/install/index.js';
import { readRecord, sha256 } from '../../src/install/record.js';
import { commitFile, makeFakeBin, makeRepo, type TempRepo } from './repo.js';

// A block an earlier version wrote is brought up to date by install, in place; its choices and every other byte stay.

const fake = makeFakeBin();
afterAll(() => fake.cleanup());

let repo: TempRepo;
afterEach(() => {
  repo?.cleanup();
  fake.reset();
});

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
