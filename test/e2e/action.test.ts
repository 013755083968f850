// The GitHub Action (action.yml), run the way the runner runs a composite action (test/e2e/runner.ts): the
// project's own codeai-hook here; the packaged one installed by the action is tested in pack.test.ts.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestRepo } from './harness.js';
import { action, runAction } from './runner.js';

const FAKE_TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5' + '0Zb5Hm'; // ends in its CRC32 checksum, as real ones do

/** A repository on a pull-request branch: main, then a feature commit; the event names main as the base. */
function pullRequest(repo: TestRepo, feature: Record<string, string>, config?: string): object {
  if (config !== undefined) repo.write('.codeairc.yaml', config);
  repo.write('README.md', '# project\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'start');
  const base = repo.git('rev-parse', 'HEAD').trim();
  repo.git('checkout', '-q', '-b', 'feature');
  for (const [file, text] of Object.entries(feature)) repo.write(file, text);
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'feat');
  return { pull_request: { number: 7, base: { ref: 'main', sha: base }, head: { ref: 'feature', sha: repo.git('rev-parse', 'HEAD').trim() } } };
}

let repo: TestRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

describe('action.yml under a simulated runner', () => {
  it('declares the inputs and outputs the README documents', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(['base', 'fail-on', 'format', 'output', 'package', 'upload-sarif']);
    expect(Object.keys(action.outputs).sort()).toEqual(['findings', 'report-dir', 'verdict']);
  });

  it('blocks a pull request with a secret: outputs, job summary, annotations, SARIF upload, and the job fails', () => {
    repo = TestRepo.installed({ config: 'provider: builtin\n' });
    const event = pullRequest(repo, { 'src/cfg.js': `export const token = '${FAKE_TOKEN}';\n` });
    const r = runAction(repo.dir, { 'upload-sarif': 'true' }, repo.env, event);
    expect(r.outputs.verdict).toBe('blocked');
    expect(r.outputs.findings).toBe('1');
    expect(r.jobExit).toBe(1);
    // Annotations: workflow commands on stdout, where the runner reads them.
    expect(r.stdout).toMatch(/^::error file=src\/cfg\.js,line=1,title=GitHub token::/m);
    expect(r.summary).toContain('src/cfg.js');
    expect(r.summary).toMatch(/request changes|blocked/i);
    expect(r.uploaded?.category).toBe('codeai-hook');
    expect(existsSync(r.uploaded!.sarif_file)).toBe(true);
    expect(JSON.parse(readFileSync(r.uploaded!.sarif_file, 'utf8')).version).toBe('2.1.0');
    expect(r.stdout + r.stderr).not.toContain(FAKE_TOKEN);
  });

  it("passes a clean change: verdict passed, job succeeds, no upload unless asked; base comes from the event", () => {
    repo = TestRepo.installed({ config: 'provider: builtin\n' });
    const event = pullRequest(repo, { 'src/ok.js': 'export const ok = (a) => a + 1;\n' });
    const r = runAction(repo.dir, {}, repo.env, event);
    expect(r.outputs).toMatchObject({ verdict: 'passed', findings: '0' });
    expect(r.jobExit).toBe(0);
    expect(r.uploaded).toBeNull();
    expect(JSON.parse(readFileSync(path.join(r.outputs['report-dir']!, 'codeai.json'), 'utf8')).files.map((f: { path: string }) => f.path)).toEqual(['src/ok.js']);
  });

  it("fail-on sets the blocking severity only where the repository's policy does not", () => {
    repo = TestRepo.installed({ config: 'provider: builtin\n' });
    const event = pullRequest(repo, { 'src/app.js': 'export function run(x) {\n  console.log(x);\n  return x;\n}\n' });
    const strict = runAction(repo.dir, { 'fail-on': 'low' }, repo.env, event);
    expect(strict.outputs).toMatchObject({ verdict: 'blocked', findings: '1' });
    expect(strict.jobExit).toBe(1);
    expect(runAction(repo.dir, {}, repo.env, event).outputs.verdict).toBe('passed');
    repo.cleanup();

    // The team wrote block.severity: the workflow's fail-on does not override it.
    repo = TestRepo.installed({ config: 'provider: builtin\nblock:\n  severity: high\n' });
    const teamEvent = pullRequest(repo, { 'src/app.js': 'export function run(x) {\n  console.log(x);\n  return x;\n}\n' });
    const own = runAction(repo.dir, { 'fail-on': 'low' }, repo.env, teamEvent);
    expect(own.outputs.verdict).toBe('passed');
    expect(own.jobExit).toBe(0);
  });

  it('a bad fail-on is one line and exit 2, verdict error', () => {
    repo = TestRepo.installed({ config: 'provider: builtin\n' });
    const event = pullRequest(repo, { 'src/ok.js': 'export const ok = 1;\n' });
    const r = runAction(repo.dir, { 'fail-on': 'severe' }, repo.env, event);
    expect(r.outputs.verdict).toBe('error');
    expect(r.jobExit).toBe(2);
    expect(r.stderr).toContain("codeai-hook: CODEAI_FAIL_ON (the action's fail-on) is 'severe'");
  });
});
