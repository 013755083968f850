// git's --function-context with the funcname drivers assigned by extension, against real repositories.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseDiff } from '../../src/diff/parse.js';
import { openFunctionContext, type ChangeSides } from '../../src/git/function-context.js';
import { openRepo, type Repo } from '../../src/git/repo.js';

let dir: string;
const saved = { GIT_CONFIG_GLOBAL: process.env.GIT_CONFIG_GLOBAL, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
const write = (name: string, text: string) => writeFileSync(path.join(dir, name), text);

const PY = ['import os', '', 'class Store:', '    def load(self, user):', '        items = None', '        if user:', '            items = user.items', '        a = 1', '        b = 2', '        c = 3', '        d = 4', '        return items', '', '    def other(self):', '        return 2', ''];
const JS = ['import fs from "fs";', '', 'export class Store {', '  constructor(db) {', '    this.db = db;', '  }', '', '  async load(user) {', '    let items = null;', '    if (user) {', '      items = user.items;', '    }', '    for (const x of [1, 2]) {', '      log(x);', '    }', '    return items;', '  }', '}', ''];

function firstContextLine(paths: string[], out: string): Record<string, string> {
  return Object.fromEntries(parseDiff(out).filter((f) => paths.includes(f.path)).map((f) => [f.path, f.hunks[0]!.lines[0]!.text]));
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'codeai-funcctx-'));
  process.env.GIT_CONFIG_GLOBAL = path.join(dir, 'no-global-config');
  git('init', '-q', '-b', 'main');
  write('store.py', PY.join('\n'));
  write('store.js', JS.join('\n'));
  git('add', '-A');
  git('commit', '-q', '-m', 'one');
  write('store.py', PY.join('\n').replace('        return items', '        return len(items)'));
  write('store.js', JS.join('\n').replace('    return items;', '    return items.length;'));
  git('add', '-A');
});

afterEach(() => {
  rmSync(path.join(dir, '.gitattributes'), { force: true });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** One diff with function context, its attributes folder removed after: a review's first group alone. */
async function functionContextDiff(repo: Repo, sides: ChangeSides, contextLines: number, paths: readonly string[]): Promise<string> {
  const diffs = openFunctionContext(repo, sides, contextLines);
  try {
    return await diffs.diff(paths);
  } finally {
    diffs.close();
  }
}

describe('functionContextDiff', () => {
  it("starts each hunk at the enclosing method: git's python driver, and ours for JavaScript", async () => {
    const repo = await openRepo(dir);
    const out = await functionContextDiff(repo, { kind: 'staged' }, 3, ['store.py', 'store.js']);
    expect(firstContextLine(['store.py', 'store.js'], out)).toEqual({ 'store.py': '    def load(self, user):', 'store.js': '  async load(user) {' });
  });

  it("the repository's .gitattributes wins over the drivers assigned by extension", async () => {
    write('.gitattributes', '*.py diff\n');
    const repo = await openRepo(dir);
    const out = await functionContextDiff(repo, { kind: 'staged' }, 3, ['store.py']);
    // git's default funcname rule: a line starting with a letter, so the class, not the indented method
    expect(firstContextLine(['store.py'], out)).toEqual({ 'store.py': 'class Store:' });
  });

  it("the user's global attributes file wins over ours too", async () => {
    const attributes = path.join(dir, 'user-attributes');
    writeFileSync(attributes, '*.js diff\n');
    writeFileSync(process.env.GIT_CONFIG_GLOBAL!, `[core]\n\tattributesFile = ${attributes}\n`);
    try {
      const repo = await openRepo(dir);
      const out = await functionContextDiff(repo, { kind: 'staged' }, 3, ['store.js']);
      expect(firstContextLine(['store.js'], out)).toEqual({ 'store.js': 'export class Store {' });
    } finally {
      rmSync(process.env.GIT_CONFIG_GLOBAL!, { force: true });
    }
  });

  it("with no core.attributesFile, the user's XDG attributes file wins over ours", async () => {
    process.env.XDG_CONFIG_HOME = path.join(dir, 'xdg');
    mkdirSync(path.join(dir, 'xdg', 'git'), { recursive: true });
    writeFileSync(path.join(dir, 'xdg', 'git', 'attributes'), '*.js diff\n');
    try {
      const repo = await openRepo(dir);
      const out = await functionContextDiff(repo, { kind: 'staged' }, 3, ['store.py', 'store.js']);
      expect(firstContextLine(['store.py', 'store.js'], out)).toEqual({ 'store.py': '    def load(self, user):', 'store.js': 'export class Store {' });
    } finally {
      rmSync(path.join(dir, 'xdg'), { recursive: true, force: true });
      delete process.env.XDG_CONFIG_HOME;
    }
  });

  /** An XDG attributes file giving *.py the default driver, and a configured one (returned) giving *.js the default. */
  async function withConfiguredAttributes(run: (attributes: string) => Promise<void>): Promise<void> {
    process.env.XDG_CONFIG_HOME = path.join(dir, 'xdg');
    mkdirSync(path.join(dir, 'xdg', 'git'), { recursive: true });
    writeFileSync(path.join(dir, 'xdg', 'git', 'attributes'), '*.py diff\n');
    const attributes = path.join(dir, 'configured-attributes');
    writeFileSync(attributes, '*.js diff\n');
    writeFileSync(process.env.GIT_CONFIG_GLOBAL!, `[core]\n\tattributesFile = ${attributes}\n`);
    try {
      await run(attributes);
    } finally {
      rmSync(process.env.GIT_CONFIG_GLOBAL!, { force: true });
      rmSync(path.join(dir, 'xdg'), { recursive: true, force: true });
      delete process.env.XDG_CONFIG_HOME;
    }
  }

  it('with core.attributesFile set, its rules apply and not those of the XDG file', () =>
    withConfiguredAttributes(async () => {
      const repo = await openRepo(dir);
      const out = await functionContextDiff(repo, { kind: 'staged' }, 3, ['store.py', 'store.js']);
      expect(firstContextLine(['store.py', 'store.js'], out)).toEqual({ 'store.py': '    def load(self, user):', 'store.js': 'export class Store {' });
    }));

  it("a review's later groups get the attributes file its first settled on, and its folder goes with close()", () =>
    withConfiguredAttributes(async (attributes) => {
      const tmp = path.join(dir, 'tmp-groups');
      mkdirSync(tmp);
      const savedTmp = process.env.TMPDIR;
      process.env.TMPDIR = tmp;
      try {
        const repo = await openRepo(dir);
        const diffs = openFunctionContext(repo, { kind: 'staged' }, 3);
        const first = await diffs.diff(['store.py']);
        // The configured file is read once: changed now, the later group still gets what the review started with.
        writeFileSync(attributes, '*.js diff=codeai-js\n');
        const second = await diffs.diff(['store.js']);
        expect(readdirSync(tmp)).toHaveLength(1);
        diffs.close();
        expect(readdirSync(tmp)).toEqual([]);
        expect({ ...firstContextLine(['store.py'], first), ...firstContextLine(['store.js'], second) }).toEqual({ 'store.py': '    def load(self, user):', 'store.js': 'export class Store {' });
      } finally {
        if (savedTmp === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = savedTmp;
      }
    }));

  it('between two commits, for the named paths only; nothing for no path; leaves no temporary folder behind', async () => {
    const repo = await openRepo(dir);
    git('commit', '-q', '-m', 'two');
    // A private temporary folder: other test files may be creating their own meanwhile.
    const tmp = path.join(dir, 'tmp');
    mkdirSync(tmp);
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const out = await functionContextDiff(repo, { kind: 'range', from: 'HEAD~1', to: 'HEAD' }, 3, ['store.js']);
      expect(parseDiff(out).map((f) => f.path)).toEqual(['store.js']);
      expect(await functionContextDiff(repo, { kind: 'staged' }, 3, [])).toBe('');
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      git('reset', '-q', '--soft', 'HEAD~1');
    }
  });
});
