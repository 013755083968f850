// The launcher's V8 code cache (src/launcher.ts, src/code-cache.ts) is an optimisation and nothing else: kept per
// user, never in the repository; a corrupt, foreign or unwritable cache changes neither the output nor the exit code.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { writeCodeCache } from '../../src/code-cache.js';
import { ROOT, TestRepo } from './harness.js';

const FAKE_KEY = 'AKIA' + 'Z7QWERTYUIOPASDF';

let repo: TestRepo;
afterEach(() => repo?.cleanup());

/** A repository whose staged change blocks (a key) and whose cache folders are its temp home's. */
function blockingRepo(): TestRepo {
  const r = new TestRepo();
  r.write('.codeairc.yaml', 'provider: builtin\n');
  r.write('src/config.js', `export const a = 1;\nconst key = '${FAKE_KEY}';\n`);
  r.git('add', '.');
  return r;
}

/** The run's output with the one figure that varies (its duration) taken out. */
function run(r: TestRepo, env: NodeJS.ProcessEnv = {}) {
  const result = r.cli(['run'], { env });
  return { code: result.code, stdout: result.stdout, stderr: result.stderr.replace(/\d+ ?ms\b/g, 'N ms') };
}

function v8Dir(r: TestRepo): string {
  return path.join(r.home, '.cache', 'codeai-hook', 'v8');
}

function cacheFiles(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

describe('the code cache of the built CLI', () => {
  it('is written once to the user cache folder, never into the repository, and the next run gives the same bytes', () => {
    repo = blockingRepo();
    const before = readdirSync(repo.dir).sort();
    const first = run(repo);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stderr).toContain('src/config.js');
    const files = cacheFiles(v8Dir(repo));
    expect(files.some((f) => f.startsWith('cli-cjs-'))).toBe(true);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const written = files.map((f) => statSync(path.join(v8Dir(repo), f)).mtimeMs);

    const second = run(repo);
    expect(second).toEqual(first);
    // Accepted, so not written again.
    expect(cacheFiles(v8Dir(repo))).toEqual(files);
    expect(files.map((f) => statSync(path.join(v8Dir(repo), f)).mtimeMs)).toEqual(written);
    expect(readdirSync(repo.dir).sort()).toEqual(before);
    expect(statSync(v8Dir(repo)).mode & 0o077).toBe(0);
  });

  it('a corrupt, truncated or foreign cache file: same output and exit code, and the cache is written anew', () => {
    repo = blockingRepo();
    const clean = run(repo, { CODEAI_CODE_CACHE: '0' });
    expect(cacheFiles(v8Dir(repo))).toEqual([]);
    run(repo);
    const [name] = cacheFiles(v8Dir(repo)).filter((f) => f.startsWith('cli-cjs-'));
    expect(name).toBeDefined();
    const file = path.join(v8Dir(repo), name!);
    const good = readFileSync(file);
    const spoilt = [
      Buffer.from('this is not a V8 code cache\n'),
      good.subarray(0, good.length >> 1),
      Buffer.concat([good.subarray(0, 64), Buffer.alloc(good.length - 64, 0xa5)]),
      // One byte changed in the middle of V8's data: V8 itself would run it (or abort); the checksum refuses it.
      Buffer.concat([good.subarray(0, good.length >> 1), Buffer.from([good[good.length >> 1]! ^ 0x01]), good.subarray((good.length >> 1) + 1)]),
    ];
    for (const bytes of spoilt) {
      writeFileSync(file, bytes);
      expect(run(repo)).toEqual(clean);
      expect(readFileSync(file).equals(bytes)).toBe(false);
    }
    // Whole and well-formed, but V8's cache of another script: V8 itself refuses it (by its source hash).
    writeCodeCache(v8Dir(repo), name!, new vm.Script('globalThis.other = 1;').createCachedData(), { bundle: 'none-', build: 'none-' });
    const foreign = readFileSync(file);
    expect(run(repo)).toEqual(clean);
    expect(readFileSync(file).equals(foreign)).toBe(false);
  });

  it('an unwritable or missing cache folder: same output, nothing said about it', () => {
    repo = blockingRepo();
    const clean = run(repo, { CODEAI_CODE_CACHE: '0' });
    // Every candidate folder is a regular file: nothing can be created at all.
    const blocker = path.join(repo.home, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const nowhere = { XDG_CACHE_HOME: blocker, HOME: blocker, TMPDIR: blocker };
    expect(run(repo, nowhere)).toEqual(clean);
    expect(run(repo, nowhere)).toEqual(clean);

    // A read-only folder (root can still write to it; for everyone else this is the unwritable case).
    mkdirSync(v8Dir(repo), { recursive: true, mode: 0o700 });
    chmodSync(v8Dir(repo), 0o500);
    try {
      expect(run(repo)).toEqual(clean);
      expect(run(repo)).toEqual(clean);
    } finally {
      chmodSync(v8Dir(repo), 0o700);
    }
  });

  it('is not written after a run that failed (exit 2): such a run compiled too little to be worth keeping', () => {
    repo = blockingRepo();
    repo.write('.codeairc.yaml', 'block:\n  severity: hgh\n');
    const r = run(repo);
    expect(r.code).toBe(2);
    expect(cacheFiles(v8Dir(repo))).toEqual([]);
  });

  it('is not used in a folder that others can write to', () => {
    repo = blockingRepo();
    const shared = path.join(repo.home, 'shared-cache');
    mkdirSync(path.join(shared, 'codeai-hook', 'v8'), { recursive: true });
    chmodSync(path.join(shared, 'codeai-hook', 'v8'), 0o777);
    const clean = run(repo, { CODEAI_CODE_CACHE: '0' });
    expect(run(repo, { XDG_CACHE_HOME: shared })).toEqual(clean);
    expect(cacheFiles(path.join(shared, 'codeai-hook', 'v8'))).toEqual([]);
    // It went to the next folder, the home's.
    expect(cacheFiles(v8Dir(repo)).some((f) => f.startsWith('cli-cjs-'))).toBe(true);
  });

  it('a bundle edited in place, even to the same length, never runs from the cache of its old text', () => {
    // V8 checks a cache against its source's length only; the launcher's key holds the bundle's size and time too.
    const pkg = mkdtempSync(path.join(os.tmpdir(), 'codeai-cc-pkg-'));
    try {
      cpSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
      cpSync(path.join(ROOT, 'dist'), path.join(pkg, 'dist'), { recursive: true });
      repo = new TestRepo();
      repo.write('.codeairc.yaml', 'provider: builtin\n');
      repo.write('a.js', 'export const a = 1;\n');
      repo.git('add', '.');
      const cli = (args: string[]) => repo.run(process.execPath, [path.join(pkg, 'dist', 'bin.js'), ...args]);
      expect(cli(['run']).stderr).toContain('no findings');
      expect(cli(['run']).stderr).toContain('no findings');
      const bundle = path.join(pkg, 'dist', 'cli.cjs');
      const text = readFileSync(bundle, 'latin1');
      const edited = text.replace('return "no findings";', 'return "NO FINDINGS";');
      expect(edited.length).toBe(text.length);
      expect(edited).not.toBe(text);
      const { mtime } = statSync(bundle);
      writeFileSync(bundle, edited, 'latin1');
      // An edit moves the modification time on; set here, since a quick edit may land within the same millisecond.
      utimesSync(bundle, mtime, new Date(mtime.getTime() + 1000));
      const after = cli(['run']);
      expect(after.code, after.stderr).toBe(0);
      expect(after.stderr).toContain('NO FINDINGS');
    } finally {
      rmSync(pkg, { recursive: true, force: true });
    }
  });
});
