// The user's own git config must not change what the review sees: each diff-shaping setting is set in a real global
// gitconfig (GIT_CONFIG_GLOBAL pointed at a temp file) and the parsed staged diff must be the same as without it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { diffBetween, stagedDiff, verifiedMergeBase } from '../../src/git/diff.js';
import { openRepo } from '../../src/git/repo.js';
import type { DiffFile } from '../../src/types.js';

let home: string;
let dir: string;
const globalConfig = () => path.join(home, 'gitconfig');
const baseEnv = { GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: dir, env: { ...process.env, ...baseEnv, HOME: home, GIT_CONFIG_GLOBAL: globalConfig() }, encoding: 'utf8' });
const write = (rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
};

const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => (i % 4 === 3 ? '' : `${tag} line ${i}`)).join('\n') + '\n';

beforeAll(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'codeai-diffcfg-'));
  dir = path.join(home, 'repo');
  mkdirSync(dir);
  writeFileSync(globalConfig(), '');
  git('init', '-q', '-b', 'main');
  write('pkg/a.js', lines(40, 'a'));
  write('other/b.js', 'const b = 1;\n');
  write('z.js', 'export const z = 1;\n');
  write('moved/from.js', lines(30, 'moved'));
  write('copy/source.js', lines(30, 'copy'));
  git('add', '-A');
  git('commit', '-q', '-m', 'one');
  git('branch', 'base');
  // Changes in several folders, a blank context line, two hunks close together, a rename, a copy, a non-ASCII name.
  write('pkg/a.js', lines(40, 'a').replace('a line 5', 'a line five').replace('a line 13', 'a line thirteen'));
  write('other/b.js', 'const b = 1;\nconst key = "AKIAQYLPMN5HFIQR7BLZ";\n');
  write('z.js', 'export const z = 2;\n');
  git('mv', 'moved/from.js', 'moved/to.js');
  write('copy/dest.js', lines(30, 'copy'));
  write('ünïcode.js', 'const u = 1;\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'two');
  git('checkout', '-q', '-b', 'work');
  write('other/b.js', 'const b = 2;\nconst key = "AKIAQYLPMN5HFIQR7BLZ";\n');
  write('pkg/a.js', lines(40, 'a').replace('a line 9', 'a line nine'));
  git('add', '-A');
});

afterAll(() => rmSync(home, { recursive: true, force: true }));

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});

/** Staged and range diffs, parsed, read from the package folder the way a monorepo hook runs. */
async function review(config: string, env: Record<string, string> = {}): Promise<{ staged: DiffFile[]; range: DiffFile[] }> {
  writeFileSync(globalConfig(), config);
  Object.assign(process.env, baseEnv, { HOME: home, GIT_CONFIG_GLOBAL: globalConfig() }, env);
  const repo = await openRepo(path.join(dir, 'pkg'));
  return {
    staged: await stagedDiff(repo, 3),
    range: await diffBetween(repo, await verifiedMergeBase(repo, 'base', 'HEAD'), 'HEAD', 3),
  };
}

describe('the diff ignores the user git config', () => {
  let expected: { staged: DiffFile[]; range: DiffFile[] };
  beforeAll(async () => {
    expected = await review('');
  });

  it('sees every folder and names paths from the top level', () => {
    expect(expected.staged.map((f) => f.path).sort()).toEqual(['other/b.js', 'pkg/a.js']);
    expect(expected.range.map((f) => f.path).sort()).toEqual(['copy/dest.js', 'moved/to.js', 'other/b.js', 'pkg/a.js', 'z.js', 'ünïcode.js']);
  });

  it.each([
    ['diff.relative', '[diff]\n\trelative = true\n'],
    ['diff.orderFile', '[diff]\n\torderFile = ORDER\n'],
    ['diff.context', '[diff]\n\tcontext = 0\n'],
    ['diff.interHunkContext', '[diff]\n\tinterHunkContext = 20\n'],
    ['diff.algorithm', '[diff]\n\talgorithm = histogram\n'],
    ['diff.indentHeuristic', '[diff]\n\tindentHeuristic = false\n'],
    ['diff.renames=copies', '[diff]\n\trenames = copies\n'],
    ['diff.renames=false', '[diff]\n\trenames = false\n'],
    ['diff.suppressBlankEmpty', '[diff]\n\tsuppressBlankEmpty = true\n'],
    ['diff.srcPrefix/dstPrefix', '[diff]\n\tsrcPrefix = x/\n\tdstPrefix = y/\n'],
    ['diff.noprefix', '[diff]\n\tnoprefix = true\n'],
    ['diff.mnemonicPrefix', '[diff]\n\tmnemonicPrefix = true\n'],
    ['diff.external', '[diff]\n\texternal = false\n'],
    ['diff.ignoreSubmodules', '[diff]\n\tignoreSubmodules = all\n'],
    ['core.quotePath', '[core]\n\tquotePath = false\n'],
    ['color', '[color]\n\tui = always\n\tdiff = always\n[diff]\n\tcolorMoved = zebra\n'],
    ['i18n encodings', '[i18n]\n\tcommitEncoding = ISO-8859-1\n\tlogOutputEncoding = ISO-8859-1\n'],
    ['core.abbrev', '[core]\n\tabbrev = 4\n'],
  ])('%s', async (_name, config) => {
    writeFileSync(path.join(dir, 'ORDER'), 'z.js\nother/*\n');
    expect(await review(config.replace('ORDER', path.join(dir, 'ORDER')))).toEqual(expected);
  });

  it('GIT_DIFF_OPTS and GIT_EXTERNAL_DIFF in the environment', async () => {
    expect(await review('', { GIT_DIFF_OPTS: '--unified=0', GIT_EXTERNAL_DIFF: 'false' })).toEqual(expected);
  });
});
