// `codeai-hook ci` on a real branch of several commits: exit codes, every report format, byte-stability,
// CI environment defaults, and the shallow-clone message.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeServer } from '../fakes/index.js';
import { finding, TestRepo } from './harness.js';

const FAKE_TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5' + '0Zb5Hm'; // ends in its CRC32 checksum, as real ones do

describe('codeai-hook ci', () => {
  let repo: TestRepo;
  let ollama: FakeServer;

  beforeAll(async () => {
    ollama = await startFakeOllama({ models: ['m'] });
    repo = new TestRepo();
    repo.write('.codeairc.yaml', `provider: ollama\nmodel: m\nbaseURL: ${ollama.url}\n`);
    repo.write('README.md', '# project\n');
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'start');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('src/ok.js', 'export const ok = 1;\n');
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'feat: ok');
    repo.write('src/db file|`x`.js', `export const token = '${FAKE_TOKEN}';\nexport const q = (n) => db.query("SELECT * FROM t WHERE n = '" + n + "'");\n`);
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'feat: db');
  });
  afterAll(async () => {
    repo?.cleanup();
    await ollama.close();
  });

  it('reviews the range from the merge base, blocks (exit 1) and writes every report', async () => {
    ollama.setDefault({ findings: [finding('src/db file|`x`.js', 2, 'medium', 'Message with %0A::error file=x::forged and a | pipe')] });
    const out = path.join(repo.home, 'out');
    const r = await repo.cliAsync(['ci', '--base', 'main', '--format', 'terminal,json,sarif,github,markdown', '--output', out]);
    expect(r.code, r.stderr + r.stdout).toBe(1);

    const json = JSON.parse(readFileSync(path.join(out, 'codeai.json'), 'utf8'));
    expect(json.version).toBe(1);
    expect(json.verdict.blocked).toBe(true);
    expect(json.files.map((f: { path: string }) => f.path).sort()).toEqual(['src/db file|`x`.js', 'src/ok.js']);
    expect(json.provider).toBe('ollama');
    expect(json.findings.some((f: { rule?: string }) => f.rule && /github/.test(f.rule))).toBe(true);
    expect(json.timings).toBeUndefined();

    const sarif = JSON.parse(readFileSync(path.join(out, 'codeai.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBe(json.findings.length);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toContain('src/db%20file');

    const github = readFileSync(path.join(out, 'codeai.github.txt'), 'utf8').trim().split('\n');
    expect(github.every((l) => l.startsWith('::'))).toBe(true);
    expect(github.filter((l) => l.includes('forged')).length).toBe(1);
    expect(github.some((l) => l.startsWith('::error file=x'))).toBe(false);

    const md = readFileSync(path.join(out, 'codeai.md'), 'utf8');
    expect(md).toMatch(/request changes/i);

    // The same review twice gives the same bytes.
    const again = path.join(repo.home, 'out2');
    await repo.cliAsync(['ci', '--base', 'main', '--format', 'json,sarif,github,markdown', '--output', again]);
    for (const f of ['codeai.json', 'codeai.sarif', 'codeai.github.txt', 'codeai.md']) {
      expect(readFileSync(path.join(again, f), 'utf8'), f).toBe(readFileSync(path.join(out, f), 'utf8'));
    }
  });

  it('takes base from GITHUB_BASE_REF, prints annotations to stdout and appends the job summary on GitHub Actions', async () => {
    ollama.setDefault({ findings: [] });
    repo.git('update-ref', 'refs/remotes/origin/main', 'main');
    const summary = path.join(repo.home, 'summary.md');
    writeFileSync(summary, '');
    const r = await repo.cliAsync(['ci', '--format', 'github', '--output', path.join(repo.home, 'gh')], {
      env: { GITHUB_ACTIONS: 'true', GITHUB_BASE_REF: 'main', GITHUB_STEP_SUMMARY: summary },
    });
    expect(r.code).toBe(1); // the built-in token finding still blocks
    expect(r.stdout).toMatch(/^::error file=src\/db file\|`x`\.js,line=1/m);
    expect(readFileSync(summary, 'utf8')).toContain('codeai-hook');
  });

  it('json to stdout with --output -, and a clean range passes (exit 0)', async () => {
    ollama.setDefault({ findings: [] });
    const r = await repo.cliAsync(['ci', '--base', 'main', '--head', 'HEAD~1', '--format', 'json', '--output', '-']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).verdict.blocked).toBe(false);
  });

  it('--config FILE of a JS config at the merge base is read with the module type of its own package', () => {
    // A repository of its own: the merge base must hold these files.
    const esm = new TestRepo();
    try {
      esm.write('tools/package.json', JSON.stringify({ name: 'tools', type: 'module' }));
      esm.write('tools/codeai.config.js', "export default { provider: 'builtin' };\n");
      esm.write('tools/cjs.config.js', "module.exports = { provider: 'builtin' };\n");
      esm.write('a.txt', 'a\n');
      esm.git('add', '.');
      esm.git('commit', '-q', '-m', 'start');
      esm.write('a.txt', 'b\n');
      esm.git('commit', '-q', '-am', 'next');
      const good = esm.cli(['ci', '--base', 'HEAD~1', '--config', 'tools/codeai.config.js']);
      expect(good.code, good.stderr).toBe(0);
      expect(good.stderr).not.toMatch(/Warning|Unexpected token/);
      // CommonJS in a "type": "module" package does not load in the hook, so it does not load in ci either.
      const bad = esm.cli(['ci', '--base', 'HEAD~1', '--config', 'tools/cjs.config.js']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^codeai-hook: tools\/cjs\.config\.js: cannot load: module is not defined in ES module scope; .*\(at the merge base [0-9a-f]{12}\)$/m);
    } finally {
      esm.cleanup();
    }
  });

  it('without --base outside CI: exit 2 with what to pass', () => {
    const r = repo.cli(['ci']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--base');
  });

  it('a shallow clone without the merge base says how to fetch more history', () => {
    const clone = path.join(repo.home, 'shallow');
    repo.run('git', ['clone', '-q', '--depth', '1', '--no-single-branch', `file://${repo.dir}`, clone]);
    repo.run('git', ['-C', clone, 'checkout', '-q', 'feature']);
    const r = repo.cli(['ci', '--base', 'origin/main'], { cwd: clone });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/shallow/);
    expect(r.stderr).toMatch(/fetch-depth: 0|--deepen/);
  });

  it('a base behind HEAD in a shallow clone says to deepen the clone, not to fetch the name', () => {
    const clone = path.join(repo.home, 'shallow-tilde');
    repo.run('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, clone]);
    const r = repo.cli(['ci', '--base', 'HEAD~2'], { cwd: clone });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("base ref 'HEAD~2' is not a commit in this clone");
    expect(r.stderr).toContain("git fetch --deepen=3 origin");
  });

  describe('a report that cannot be written is one line naming the path, and leaves nothing behind', () => {
    const oneLine = (stderr: string) => stderr.trim().split('\n').filter((l) => l.startsWith('codeai-hook:'));

    it.each([
      ['--output names a file', (dir: string) => ['--output', path.join(dir, 'file.txt')], /^codeai-hook: --output .*file\.txt is a file, not a folder/],
      ['--output is empty', () => ['--output', ''], /^codeai-hook: --output is empty; give a folder/],
      ['--format is empty', () => ['--format', ''], /^codeai-hook: --format is empty; give one or more of terminal, agent, json/],
      ['--output under a file', (dir: string) => ['--output', path.join(dir, 'file.txt', 'sub')], /^codeai-hook: cannot create the --output folder .*file\.txt\/sub: a part of the path is a file, not a folder \(ENOTDIR\)$/],
    ])('%s', async (_name, args, message) => {
      ollama.setDefault({ findings: [] });
      const dir = path.join(repo.home, `bad-${Math.random().toString(36).slice(2)}`);
      const { mkdirSync, readdirSync } = await import('node:fs');
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'file.txt'), 'keep\n');
      const before = repo.snapshot();
      const r = await repo.cliAsync(['ci', '--base', 'main', '--format', 'json', ...args(dir)]);
      expect(r.code, r.stderr).toBe(2);
      expect(oneLine(r.stderr), r.stderr).toHaveLength(1);
      expect(oneLine(r.stderr)[0]).toMatch(message);
      expect(readdirSync(dir)).toEqual(['file.txt']);
      expect(readFileSync(path.join(dir, 'file.txt'), 'utf8')).toBe('keep\n');
      expect(repo.snapshot()).toBe(before); // never a report in the work tree
    });

    it('a full disk under the job summary', async () => {
      ollama.setDefault({ findings: [] });
      const out = path.join(repo.home, 'full');
      const r = await repo.cliAsync(['ci', '--base', 'main', '--format', 'json', '--output', out], { env: { GITHUB_STEP_SUMMARY: '/dev/full' } });
      expect(r.code, r.stderr).toBe(2);
      expect(oneLine(r.stderr)).toEqual([
        'codeai-hook: cannot write the job summary to /dev/full (GITHUB_STEP_SUMMARY): no space left on the device (ENOSPC)',
      ]);
    });

    it.skipIf(process.getuid?.() === 0)('a read-only folder (skipped as root, which may write anywhere)', async () => {
      const { chmodSync, mkdirSync, readdirSync } = await import('node:fs');
      const locked = path.join(repo.home, 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0o555);
      const r = await repo.cliAsync(['ci', '--base', 'main', '--format', 'json', '--output', locked]);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)[0]).toMatch(/^codeai-hook: cannot write .*locked\/codeai\.json: permission denied \(EACCES\)$/);
      expect(readdirSync(locked)).toEqual([]);
    });
  });
});
