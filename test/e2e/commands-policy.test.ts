// The commit-msg check and per-path policy, end to end through real `git commit` and the installed hooks. The model,
// where one is needed, is a FAKE Ollama on 127.0.0.1 reached through the real `ollama` client.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeServer, type RecordedRequest } from '../fakes/index.js';
import { finding, TestRepo } from './harness.js';

/** A repository with both hooks installed (pre-commit and commit-msg) and `config` as its policy. */
function withCommitMsgHook(config: string): TestRepo {
  const repo = new TestRepo();
  repo.linkPackage();
  repo.write('.codeairc.yaml', config);
  const r = repo.cli(['install', '--commit-msg']);
  if (r.code !== 0) throw new Error(`install --commit-msg failed: ${r.stderr}`);
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'chore: start');
  return repo;
}

describe('commit-msg: Conventional Commits', () => {
  let repo: TestRepo;
  afterEach(() => repo?.cleanup());

  it('blocks "added stuff" with a line on the format; passes feat:, Merge and docs: (with a warning) messages', async () => {
    repo = withCommitMsgHook('commitMessage:\n  convention: conventional\n');
    expect(repo.read('.husky/commit-msg')).toContain('codeai-hook');

    repo.write('src/a.js', 'export const a = 1;\n');
    repo.git('add', 'src/a.js');
    const bad = await repo.commit('added stuff');
    expect(bad.code).not.toBe(0);
    expect(repo.headCount()).toBe(1);
    expect(bad.stderr).toMatch(/commit message: first line "added stuff" is not a Conventional Commit: write "<type>\[\(scope\)\]\[!\]: <summary>"/);
    expect(bad.stderr).toContain('--no-verify');

    const good = await repo.commit('feat: add stuff');
    expect(good.code, good.stderr).toBe(0);
    expect(repo.headCount()).toBe(2);

    // The spec says types are not case sensitive.
    repo.write('src/u.js', 'export const u = 1;\n');
    repo.git('add', 'src/u.js');
    const upper = await repo.commit('Fix(api)!: handle empty input');
    expect(upper.code, upper.stderr).toBe(0);

    // Messages git writes itself follow git's conventions, not the team's.
    repo.write('src/b.js', 'export const b = 1;\n');
    repo.git('add', 'src/b.js');
    const merge = await repo.commit("Merge branch 'topic' into main");
    expect(merge.code, merge.stderr).toBe(0);

    // A docs: commit that changes code is probably mislabelled: said, never blocked.
    repo.write('src/c.js', 'export const c = 1;\n');
    repo.write('README.md', '# e2e\n');
    repo.git('add', 'src/c.js', 'README.md');
    const docs = await repo.commit('docs: describe c');
    expect(docs.code, docs.stderr).toBe(0);
    expect(docs.stderr).toMatch(/⚠ commit message: type "docs" but the commit changes non-documentation files \(src\/c\.js\)/);
    expect(repo.headCount()).toBe(5);
  });

  it('a real merge commit (git merge --no-ff) passes the check', async () => {
    repo = withCommitMsgHook('commitMessage:\n  convention: conventional\n');
    repo.git('checkout', '-q', '-b', 'topic');
    repo.write('src/t.js', 'export const t = 1;\n');
    repo.git('add', 'src/t.js');
    expect((await repo.commit('feat: t')).code).toBe(0);
    repo.git('checkout', '-q', 'main');
    repo.write('src/m.js', 'export const m = 1;\n');
    repo.git('add', 'src/m.js');
    expect((await repo.commit('feat: m')).code).toBe(0);
    const merge = await repo.runAsync('git', ['merge', '--no-ff', '--no-edit', 'topic']);
    expect(merge.code, merge.stderr).toBe(0);
    expect(repo.git('log', '-1', '--format=%P').trim().split(' ')).toHaveLength(2);
  });

  it('convention none (the default) never blocks on the message', async () => {
    repo = withCommitMsgHook('provider: auto\n');
    repo.write('src/a.js', 'export const a = 1;\n');
    repo.git('add', 'src/a.js');
    const r = await repo.commit('added stuff');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/commit message/);
    expect(repo.headCount()).toBe(2);
  });
});

describe('per-path policy (overrides) with a model', () => {
  let ollama: FakeServer;
  let repo: TestRepo;
  beforeAll(async () => {
    ollama = await startFakeOllama({ models: ['m'] });
  });
  afterAll(() => ollama.close());
  afterEach(() => {
    repo?.cleanup();
    ollama.setDefault({ findings: [] });
  });

  const TEAM = 'Prefer Result types to throwing.';
  const TESTS = 'Tests may use any; do not flag it.';
  const config = () =>
    [
      'provider: ollama',
      'model: m',
      `baseURL: ${ollama.url}`,
      `instructions: "${TEAM}"`,
      'overrides:',
      "  - files: ['test/**']",
      '    block: { severity: critical }',
      `    instructions: "${TESTS}"`,
      '',
    ].join('\n');
  const system = (q: RecordedRequest): string => String(q.body.messages?.[0]?.content ?? '');
  /** The model answers each review with a high finding at line 1 of every file in the diff it was sent. */
  const highOnEveryFile = (q: RecordedRequest) => {
    const files = [...JSON.stringify(q.body.messages).matchAll(/File: (\S+)/g)].map((m) => m[1]!);
    return { findings: files.map((f) => finding(f, 1, 'high', 'Unchecked input')) };
  };

  it('a high finding in test/** passes (block: critical there) and the same finding in src/ blocks', async () => {
    repo = TestRepo.installed({ config: config() });
    ollama.setDefault(highOnEveryFile);
    repo.write('test/a.test.js', 'export const t = (x) => x.y;\n');
    repo.git('add', 'test/a.test.js');
    const inTests = await repo.commit('test: a');
    expect(inTests.code, inTests.stderr).toBe(0);
    // Still reported, only not blocking.
    expect(inTests.stderr).toContain('Unchecked input');

    repo.write('src/a.js', 'export const t = (x) => x.y;\n');
    repo.git('add', 'src/a.js');
    const inSrc = await repo.commit('feat: a');
    expect(inSrc.code).not.toBe(0);
    expect(inSrc.stderr).toContain('src/a.js');
    expect(inSrc.stderr).toContain('Unchecked input');
    expect(repo.headCount()).toBe(2);
  });

  it("top-level instructions reach the model for every file, an override's only for the files it matches", async () => {
    repo = TestRepo.installed({ config: config() });
    repo.write('test/a.test.js', 'export const t = 1;\n');
    repo.git('add', 'test/a.test.js');
    let since = ollama.requests.length;
    expect((await repo.cliAsync(['run'])).code).toBe(0);
    let chats = ollama.requests.slice(since).filter((q) => q.path === '/api/chat');
    expect(chats).toHaveLength(1);
    expect(system(chats[0]!)).toContain(TEAM);
    expect(system(chats[0]!)).toContain(TESTS);
    repo.git('commit', '-q', '--no-verify', '-m', 'test: a');

    repo.write('src/a.js', 'export const a = 1;\n');
    repo.git('add', 'src/a.js');
    since = ollama.requests.length;
    expect((await repo.cliAsync(['run'])).code).toBe(0);
    chats = ollama.requests.slice(since).filter((q) => q.path === '/api/chat');
    expect(chats).toHaveLength(1);
    expect(system(chats[0]!)).toContain(TEAM);
    expect(system(chats[0]!)).not.toContain(TESTS);
  });
});
