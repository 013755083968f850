// The hook's own process never writes: the index file's bytes, status, stashes and refs are the same after
// `codeai-hook run` whether it passed, blocked, failed on the model or on the config.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeServer } from '../fakes/index.js';
import { CLOSED_URL, finding, TestRepo } from './harness.js';

describe('codeai-hook run writes nothing', () => {
  let repo: TestRepo;
  let ollama: FakeServer;
  beforeAll(async () => {
    ollama = await startFakeOllama({ models: ['m'] });
    repo = TestRepo.installed({ config: `provider: ollama\nmodel: m\nbaseURL: ${ollama.url}\n` });
    repo.write('src/a.js', 'export const a = (x) => x + 1;\n');
    repo.write('notes.txt', 'unstaged, untracked\n');
    repo.git('add', 'src/a.js');
    repo.write('src/a.js', 'export const a = (x) => x + 2; // edited after staging\n');
    repo.git('stash', 'list');
  });
  afterAll(async () => {
    repo?.cleanup();
    await ollama.close();
  });

  const cases: Array<[string, () => void, string[], number]> = [
    ['passed', () => ollama.enqueue({ findings: [] }), ['run', '--no-cache'], 0],
    ['blocked', () => ollama.enqueue({ findings: [finding('src/a.js', 1, 'high', 'Bad')] }), ['run', '--no-cache'], 1],
    ['model answered garbage twice', () => ollama.enqueue({ text: 'nope' }, { text: 'nope' }), ['run', '--no-cache'], 0],
    ['model unreachable, fail closed', () => repo.write('.codeairc.yaml', `provider: ollama\nmodel: m\nbaseURL: ${CLOSED_URL}\nonError: block\n`), ['run'], 3],
    ['invalid config', () => repo.write('.codeairc.yaml', 'concurrency: lots\n'), ['run'], 2],
  ];

  for (const [name, arrange, args, expected] of cases) {
    it(`${name}: exit ${expected}, index bytes and status unchanged`, async () => {
      arrange();
      const before = [repo.snapshot(), repo.indexBytes()];
      const r = await repo.cliAsync(args);
      expect(r.code, r.stderr).toBe(expected);
      expect([repo.snapshot(), repo.indexBytes()]).toEqual(before);
    });
  }
});
