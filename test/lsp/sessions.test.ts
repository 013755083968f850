// Which repository an open file belongs to is asked of git; a folder that is in none (yet) is asked again later, so
// `git init` in an open folder, or a git that failed once on a busy machine, never leaves its files unreviewed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Sessions } from '../../src/lsp/sessions.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('Sessions.topOf', () => {
  it('a folder in no repository is asked again, and found once it is one', async () => {
    dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'codeai-lsp-top-')));
    const folder = path.join(dir, 'project');
    mkdirSync(path.join(folder, 'src'), { recursive: true });
    const sessions = new Sessions(process.env, new AbortController().signal, { policy: () => undefined, error: () => undefined });
    const file = path.join(folder, 'src', 'app.js');
    // GIT_CEILING_DIRECTORIES keeps git from finding a repository above the temp folder.
    process.env.GIT_CEILING_DIRECTORIES = dir;
    try {
      expect(await sessions.topOf(file)).toBeNull();
      execFileSync('git', ['init', '-q', folder]);
      expect(await sessions.topOf(file)).toBe(folder);
      // A repository found is remembered: the same promise, no second git.
      expect(sessions.topOf(file)).toBe(sessions.topOf(file));
    } finally {
      delete process.env.GIT_CEILING_DIRECTORIES;
    }
  });
});
