// `baseline` end to end: findings recorded once stop showing and blocking on later commits through the real hook,
// `--no-suppress` brings them back, and a damaged baseline is a one-line configuration error. Built-in rules only
// (the harness's OLLAMA_HOST is a closed port), so no model is involved.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestRepo, type RunResult } from './harness.js';

const FAKE_KEY = 'AKIA' + 'Z7QWERTYUIOPASDF';
const KEY_LINE = `export const key = '${FAKE_KEY}';`;

interface Baseline {
  version: number;
  findings: Array<{ fingerprint: string; file: string; rule?: string; title: string }>;
}

const lines = (r: RunResult) => r.stderr.split('\n').filter((l) => l.trim() !== '');

/** An installed repository whose history already holds a key (committed before the hook existed, or skipped). */
function repoWithOldKey(): TestRepo {
  const repo = TestRepo.installed();
  repo.write('src/config.js', `const a = 1;\n${KEY_LINE}\nconst b = 2;\n`);
  repo.git('add', 'src/config.js');
  repo.git('commit', '-q', '--no-verify', '-m', 'chore: old config');
  return repo;
}

function readBaseline(repo: TestRepo, rel = '.codeai-baseline.json'): Baseline {
  return JSON.parse(readFileSync(path.join(repo.dir, rel), 'utf8')) as Baseline;
}

/** The fingerprints the review reports for the staged change (JSON report, everything shown). */
async function stagedFingerprints(repo: TestRepo): Promise<string[]> {
  const r = await repo.cliAsync(['review', '--staged', '--no-suppress', '--format', 'json']);
  const report = JSON.parse(r.stdout) as { findings: Array<{ fingerprint: string; rule?: string }> };
  return report.findings.filter((f) => f.rule === 'aws-access-key-id').map((f) => f.fingerprint);
}

describe('codeai-hook baseline', () => {
  let repo: TestRepo;
  afterEach(() => repo?.cleanup());

  it('records the tracked files\' findings; a moved old key is then suppressed and the commit passes; --no-suppress blocks', async () => {
    repo = repoWithOldKey();
    const r = await repo.cliAsync(['baseline']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wrote \.codeai-baseline\.json: 1 finding\b/);
    const baseline = readBaseline(repo);
    expect(baseline.version).toBe(1);
    expect(baseline.findings).toEqual([expect.objectContaining({ file: 'src/config.js', rule: 'aws-access-key-id' })]);
    expect(baseline.findings[0]!.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    // The key itself is not copied into a file that is meant to be committed.
    expect(JSON.stringify(baseline)).not.toContain(FAKE_KEY);

    // The built-in rules read added lines only: moving the key line (removed above, added below) puts it back in
    // the staged diff, at another line number. The fingerprint has no line number, so it still matches.
    repo.write('src/config.js', `const a = 1;\nconst b = 2;\nconst c = 3;\n${KEY_LINE}\n`);
    repo.git('add', 'src/config.js');
    expect(await stagedFingerprints(repo)).toEqual([baseline.findings[0]!.fingerprint]);

    const hidden = await repo.cliAsync(['run']);
    expect(hidden.code, hidden.stderr).toBe(0);
    expect(hidden.stderr).toMatch(/1 finding suppressed \(.*baseline.*\); --no-suppress shows them/);
    expect(hidden.stderr).not.toContain('aws-access-key-id');

    const shown = await repo.cliAsync(['run', '--no-suppress']);
    expect(shown.code).toBe(1);
    expect(shown.stderr).toContain('aws-access-key-id');
    expect(shown.stderr).toContain('src/config.js');

    // Through the real hook: the commit goes through.
    const commit = await repo.commit('refactor: reorder config');
    expect(commit.code, commit.stderr).toBe(0);
    expect(repo.headCount()).toBe(3);
  });

  it('a new key elsewhere is not covered by the baseline', async () => {
    repo = repoWithOldKey();
    expect((await repo.cliAsync(['baseline'])).code).toBe(0);
    repo.write('src/other.js', `${KEY_LINE}\n`);
    repo.git('add', 'src/other.js');
    const r = await repo.commit('feat: other');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('src/other.js');
  });

  it('a corrupt baseline: exit 2, one line naming the file and codeai-hook baseline', async () => {
    repo = repoWithOldKey();
    repo.write('.codeai-baseline.json', '{ "version": 1, "findings": [ ');
    repo.write('a.js', 'export const a = 1;\n');
    repo.git('add', 'a.js');
    const r = await repo.cliAsync(['run']);
    expect(r.code).toBe(2);
    expect(lines(r)).toHaveLength(1);
    expect(lines(r)[0]).toContain('.codeai-baseline.json');
    expect(lines(r)[0]).toContain('codeai-hook baseline');

    // `baseline` itself is the fix, so it must not refuse to run over the damaged file.
    const fixed = await repo.cliAsync(['baseline']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(readBaseline(repo).findings).toHaveLength(1);
    expect((await repo.cliAsync(['run'])).code).toBe(0);
  });

  it('--staged records the staged change only; --base REF the range; --output FILE elsewhere', async () => {
    repo = repoWithOldKey();
    repo.git('branch', 'before-new');
    repo.write('src/new.js', `const x = 1;\n${KEY_LINE}\n`);
    repo.git('add', 'src/new.js');
    const staged = await repo.cliAsync(['baseline', '--staged']);
    expect(staged.code, staged.stderr).toBe(0);
    expect(readBaseline(repo).findings.map((f) => f.file)).toEqual(['src/new.js']);

    repo.git('commit', '-q', '--no-verify', '-m', 'chore: new');
    repo.write('src/third.js', `${KEY_LINE}\n`);
    repo.git('add', 'src/third.js');
    repo.git('commit', '-q', '--no-verify', '-m', 'chore: third');
    const range = await repo.cliAsync(['baseline', '--base', 'before-new', '--output', 'ci/baseline.json']);
    expect(range.code, range.stderr).toBe(0);
    expect(range.stderr).toContain('ci/baseline.json');
    expect(readBaseline(repo, 'ci/baseline.json').findings.map((f) => f.file)).toEqual(['src/new.js', 'src/third.js']);

    const both = await repo.cliAsync(['baseline', '--staged', '--all']);
    expect(both.code).toBe(2);
    expect(lines(both)).toHaveLength(1);
    expect(both.stderr).toMatch(/--staged.*--all/);
  });

  it('--staged and --base read a file git calls binary from its blobs, as the hook does: its key is recorded and the commit passes', async () => {
    repo = TestRepo.installed();
    repo.write('.gitattributes', 'config/*.js -diff\n');
    repo.write('config/prod.js', `${KEY_LINE}\n`);
    repo.git('add', '-A');
    const staged = await repo.cliAsync(['baseline', '--staged']);
    expect(staged.code, staged.stderr).toBe(0);
    expect(readBaseline(repo).findings).toEqual([expect.objectContaining({ file: 'config/prod.js', rule: 'aws-access-key-id' })]);
    repo.git('add', '.codeai-baseline.json');
    const commit = await repo.commit('chore: config with a known key');
    expect(commit.code, commit.stderr).toBe(0);

    repo.git('checkout', '-q', '-b', 'feature', 'HEAD~1');
    repo.write('config/prod.js', `${KEY_LINE}\n`);
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'chore: the key on a branch');
    const range = await repo.cliAsync(['baseline', '--base', 'main~1', '--output', 'range.json']);
    expect(range.code, range.stderr).toBe(0);
    expect(readBaseline(repo, 'range.json').findings).toEqual([expect.objectContaining({ file: 'config/prod.js', rule: 'aws-access-key-id' })]);
  });
});
