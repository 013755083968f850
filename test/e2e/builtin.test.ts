// The hook with no model reachable: `auto` falls through to the built-in rules, which still block what must never
// be committed. Real git, real commits through the installed husky hook.
import { afterEach, describe, expect, it } from 'vitest';
import { TestRepo } from './harness.js';

const FAKE_KEY = 'AKIA' + 'Z7QWERTYUIOPASDF';

describe('hook with the built-in rules only', () => {
  let repo: TestRepo;
  afterEach(() => repo?.cleanup());

  it('blocks a staged AWS key and a conflict marker, names file and line, and changes nothing', async () => {
    repo = TestRepo.installed();
    repo.write('src/config.js', `const a = 1;\nconst key = '${FAKE_KEY}';\n`);
    repo.git('add', 'src/config.js');
    const before = repo.snapshot();
    const r = await repo.commit('feat: config');
    expect(r.code).not.toBe(0);
    expect(repo.headCount()).toBe(1);
    expect(r.stderr).toContain('src/config.js');
    expect(r.stderr).toMatch(/line 2/);
    expect(r.stderr).toContain('--no-verify');
    expect(r.stderr).toMatch(/built-?in/i);
    // The secret itself is never printed in full.
    expect(r.stderr).not.toContain(FAKE_KEY);
    expect(repo.snapshot()).toBe(before);
  });

  it('lets a clean change through', async () => {
    repo = TestRepo.installed();
    repo.write('src/add.js', 'export const add = (a, b) => a + b;\n');
    repo.git('add', '.');
    const r = await repo.commit('feat: add');
    expect(r.code, r.stderr).toBe(0);
    expect(repo.headCount()).toBe(2);
  });

  it('CODEAI_SKIP=1 and --no-verify skip the review', async () => {
    repo = TestRepo.installed();
    repo.write('a.js', `const k = '${FAKE_KEY}';\n`);
    repo.git('add', '.');
    const skipped = await repo.commit('chore: skip', { env: { CODEAI_SKIP: '1' } });
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stderr).toContain('CODEAI_SKIP=1');
    repo.write('b.js', `const k = '${FAKE_KEY}';\n`);
    repo.git('add', '.');
    const noVerify = await repo.commit('chore: no verify', { args: ['--no-verify'] });
    expect(noVerify.code).toBe(0);
    expect(repo.headCount()).toBe(3);
  });

  it('an invalid policy stops the commit with one line naming file, key, value and the allowed values (exit 2)', async () => {
    repo = TestRepo.installed({ config: 'block:\n  severity: hgh\n' });
    repo.write('a.js', 'export const a = 1;\n');
    repo.git('add', '.');
    const r = repo.cli(['run']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('.codeairc.yaml');
    expect(lines[0]).toContain('block.severity');
    expect(lines[0]).toContain('hgh');
    expect(lines[0]).toMatch(/critical, high, medium, low, info/);
    const commit = await repo.commit('feat: a');
    expect(commit.code).not.toBe(0);
    expect(repo.headCount()).toBe(1);
  });

  it('nothing staged, or everything excluded: exit 0 without a review', () => {
    repo = TestRepo.installed({ config: "exclude: ['generated/**']\n" });
    const empty = repo.cli(['run']);
    expect(empty.code).toBe(0);
    expect(empty.stderr).toBe('');
    repo.write('generated/x.js', 'eval(input)\n');
    repo.git('add', '.');
    const excluded = repo.cli(['run']);
    expect(excluded.code, excluded.stderr).toBe(0);
  });

  it('reviews the index, not the work tree: a file staged and then edited is reviewed as staged', async () => {
    repo = TestRepo.installed();
    repo.write('a.js', 'export const a = 1;\n');
    repo.git('add', 'a.js');
    // The work tree now holds a key, the index does not: the commit must pass and the work tree stay as it is.
    repo.write('a.js', `export const a = '${FAKE_KEY}';\n`);
    const before = repo.snapshot();
    const r = await repo.commit('feat: a');
    expect(r.code, r.stderr).toBe(0);
    expect(repo.read('a.js')).toContain(FAKE_KEY);
    // Only HEAD moved: the staged file is committed, the edit stays unstaged.
    expect(repo.git('status', '--porcelain')).toBe(' M a.js\n');
    expect(before).toContain('a.js');
  });

  it('usage errors are one line with exit 2', () => {
    repo = TestRepo.installed();
    const unknown = repo.cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    const badFlag = repo.cli(['run', '--bogus']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain("'--bogus'");
    const badFormat = repo.cli(['ci', '--base', 'main', '--format', 'xml']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain("'xml'");
  });
});
