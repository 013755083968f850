// Where output goes, and in which form: a command's product on stdout (doctor, explain, review's report), progress
// and diagnostics on stderr, the hook (`run`) all on stderr; the agent report for coding agents; --version anywhere;
// GitLab's Code Quality file from ci.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestRepo } from './harness.js';

const FAKE_TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5' + '0Zb5Hm'; // ends in its CRC32 checksum, as real ones do

describe('output streams and formats', () => {
  let repo: TestRepo;

  beforeAll(() => {
    repo = TestRepo.installed({ config: 'provider: builtin\n' });
    repo.write('src/cfg.js', `export const token = '${FAKE_TOKEN}';\n`);
    repo.git('add', 'src/cfg.js');
  });
  afterAll(() => repo?.cleanup());

  it('--version works after any command, as the help says', () => {
    const version = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')).version as string;
    for (const args of [['run', '--version'], ['review', '-v'], ['doctor', '--version'], ['--version']]) {
      const r = repo.cli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
  });

  it('run (the hook) writes everything to stderr, nothing to stdout', () => {
    const r = repo.cli(['run']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('src/cfg.js');
    expect(r.stderr).toContain('commit blocked');
  });

  it('review prints its report to stdout, so it can be saved; a machine format takes stdout alone', () => {
    const terminal = repo.cli(['review']);
    expect(terminal.code).toBe(1);
    expect(terminal.stdout).toContain('src/cfg.js');
    expect(terminal.stdout).toMatch(/✖ check failed/);
    expect(terminal.stderr).toBe('');

    const json = repo.cli(['review', '--format', 'json']);
    expect(JSON.parse(json.stdout).verdict.blocked).toBe(true);

    const both = repo.cli(['review', '--format', 'terminal,json']);
    expect(JSON.parse(both.stdout).findings[0].file).toBe('src/cfg.js');
    expect(both.stderr).toContain('✖ check failed');
  });

  it('a coding agent committing gets the agent report on stderr, from its own environment variable', async () => {
    const r = await repo.commit('feat: cfg', { env: { CLAUDECODE: '1' } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^result: commit BLOCKED \(exit 1\)/m);
    expect(r.stderr).toMatch(/^finding 1: BLOCKING critical security rule=github-token at src\/cfg\.js:1$/m);
    expect(r.stderr).toMatch(/^next: remove the secret from src\/cfg\.js:1 .*git add src\/cfg\.js, and commit again/m);
    expect(r.stderr).not.toContain('✖');
    expect(r.stderr).not.toContain(FAKE_TOKEN);
    expect(repo.headCount()).toBe(1);
  });

  it('CODEAI_OUTPUT=agent asks for it, =terminal refuses it, anything else is exit 2 before any review', () => {
    expect(repo.cli(['run'], { env: { CODEAI_OUTPUT: 'agent' } }).stderr).toMatch(/^result: commit BLOCKED/m);
    const terminal = repo.cli(['run'], { env: { CODEAI_OUTPUT: 'terminal', GEMINI_CLI: '1' } });
    expect(terminal.stderr).toContain('✖ commit blocked');
    const bad = repo.cli(['run'], { env: { CODEAI_OUTPUT: 'jsonl' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe("codeai-hook: CODEAI_OUTPUT is 'jsonl'; allowed: agent, terminal (or unset it)");
    expect(repo.cli(['review', '--format', 'agent']).stdout).toMatch(/^result: change BLOCKED/);
  });

  it('doctor writes its report to stdout: doctor | grep works', () => {
    const r = repo.cli(['doctor']);
    expect(r.stdout).toMatch(/^✔ provider: built-in rules only/m);
    expect(r.stdout).toMatch(/^✔ hook: /m);
    expect(r.stderr).toBe('');
  });

  it('ci --format codequality writes codeai.codequality.json for GitLab', () => {
    repo.git('checkout', '-q', '-b', 'mr');
    repo.git('commit', '-q', '--no-verify', '-m', 'feat: cfg');
    const out = path.join(repo.home, 'cq');
    const r = repo.cli(['ci', '--base', 'main', '--format', 'codequality', '--output', out]);
    expect(r.code).toBe(1);
    const issues = JSON.parse(readFileSync(path.join(out, 'codeai.codequality.json'), 'utf8'));
    expect(issues).toEqual([
      expect.objectContaining({ check_name: 'codeai-hook/github-token', severity: 'blocker', location: { path: 'src/cfg.js', lines: { begin: 1 } } }),
    ]);
    expect(r.stderr).toContain('codeai.codequality.json');
  });
});
