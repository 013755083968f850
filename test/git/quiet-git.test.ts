// simple-git sleeps 50 ms after a git that prints nothing unless its output handler says otherwise (repo.ts): the
// hook's empty-diff paths (nothing staged, --allow-empty) must cost what a non-empty diff does. Checked by the timers
// a git call starts, not by the clock: simple-git's wait is a 50 ms setTimeout.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stagedDiff, startStagedDiff } from '../../src/git/diff.js';
import type { DiffFile } from '../../src/types.js';
import { openRepo } from '../../src/git/repo.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'codeai-quiet-git-'));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The delays of every timer started while `work` runs. */
async function timersDuring(work: () => Promise<unknown>): Promise<number[]> {
  const real = globalThis.setTimeout;
  const delays: number[] = [];
  const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
    delays.push(ms ?? 0);
    return real(fn, ms);
  }) as typeof setTimeout);
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return delays;
}

describe('git that prints nothing', () => {
  it('plain simple-git waits 50 ms after it (what repo.ts works around)', async () => {
    const git = simpleGit({ baseDir: dir, completion: { onClose: true, onExit: false } });
    let text: string | undefined;
    const delays = await timersDuring(async () => {
      text = await git.raw(['diff', '--cached']);
    });
    expect(text).toBe('');
    expect(delays).toContain(50);
  });

  it('our staged diff starts no timer when it is empty, and has no files', async () => {
    const repo = await openRepo(dir);
    let files: DiffFile[] | undefined;
    const delays = await timersDuring(async () => {
      files = await stagedDiff(repo, 3);
    });
    expect(files).toEqual([]);
    expect(delays).toEqual([]);
  });

  it('output is still collected whole when git prints', async () => {
    const repo = await openRepo(dir);
    expect((await repo.git.raw(['rev-parse', '--is-inside-work-tree'])).trim()).toBe('true');
  });
});

describe('the staged diff started before the repository is open', () => {
  it('is the same diff stagedDiff reads, and is used as is when it ran at the top level', async () => {
    writeFileSync(path.join(dir, 'a.js'), 'export const a = 1;\n');
    execFileSync('git', ['add', 'a.js'], { cwd: dir });
    const repo = await openRepo(dir);
    const early = startStagedDiff(dir, 3);
    expect((await early.files)?.[0]?.hunks[0]?.lines[0]?.text).toBe('export const a = 1;');
    expect(await early.files).toEqual(await stagedDiff(repo, 3));
    const plantedFiles: DiffFile[] = [];
    const planted = { cwd: dir, contextLines: 3, files: Promise.resolve(plantedFiles) };
    expect(await stagedDiff(repo, 3, planted)).toBe(plantedFiles);
  });

  it('is read again when it ran elsewhere, at other context lines, or failed', async () => {
    const repo = await openRepo(dir);
    const fresh = await stagedDiff(repo, 3);
    const planted: DiffFile[] = [];
    const elsewhere = { cwd: path.join(dir, 'sub'), contextLines: 3, files: Promise.resolve(planted) };
    const otherContext = { cwd: dir, contextLines: 5, files: Promise.resolve(planted) };
    const failed = { cwd: dir, contextLines: 3, files: Promise.resolve(null) };
    for (const early of [elsewhere, otherContext, failed]) expect(await stagedDiff(repo, 3, early)).toEqual(fresh);
    expect(await startStagedDiff(path.join(os.tmpdir(), 'codeai-no-such-dir-x'), 3).files).toBeNull();
  });
});
