// simple-git sleeps 50 ms after a git that prints nothing unless its output handler says otherwise (repo.ts): the
// hook's empty-diff paths (nothing staged, --allow-empty) must cost what a non-empty diff does. Checked by the timers
// a git call starts, not by the clock: simple-git's wait is a 50 ms setTimeout.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stagedDiff } from '../../src/git/diff.js';
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

  it('our client starts no timer for an empty staged diff, and returns the same empty text', async () => {
    const repo = await openRepo(dir);
    let text: string | undefined;
    const delays = await timersDuring(async () => {
      text = await stagedDiff(repo, 3);
    });
    expect(text).toBe('');
    expect(delays).toEqual([]);
  });

  it('output is still collected whole when git prints', async () => {
    const repo = await openRepo(dir);
    expect((await repo.git.raw(['rev-parse', '--is-inside-work-tree'])).trim()).toBe('true');
  });
});
