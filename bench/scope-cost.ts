// What the wider context costs the hook (npm run bench, case 7): the same one-line change inside a function,
// committed alternately in a repository with scopeContext: true and one with scopeContext: false, against the same
// fake model (0 ms). The difference is the extra git diff --function-context, the blob read for declarations and
// the larger prompt.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestRepo } from '../test/e2e/harness.js';
import type { FakeServer } from '../test/fakes/index.js';
import { median } from './stats.js';

function source(i: number): string {
  const body = Array.from({ length: 80 }, (_, k) => `  total += step${k}(items, ${k});`);
  return ['const LIMIT = 10;', '', 'export function sum(items) {', '  let total = 0;', ...body, `  return total + ${i} + LIMIT;`, '}', ''].join('\n');
}

function commit(repo: TestRepo, i: number, env: NodeJS.ProcessEnv): Promise<number> {
  repo.write('src/sum.js', source(i));
  repo.git('add', 'src/sum.js');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['commit', '-q', '-m', `chore: ${i}`], { cwd: repo.dir, env: { ...repo.env, ...env }, stdio: 'ignore' });
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`commit exited ${code}`))));
  });
}

export async function benchScopeCost(fake: FakeServer, runs: number) {
  const config = (scope: boolean) => `provider: ollama\nmodel: bench-model\nbaseURL: ${fake.url}\nscopeContext: ${scope}\n`;
  const wide = TestRepo.installed({ config: config(true) });
  const plain = TestRepo.installed({ config: config(false) });
  try {
    const env = { CODEAI_CACHE_DIR: mkdtempSync(path.join(os.tmpdir(), 'codeai-bench-scope-')) };
    await commit(wide, -1, env);
    await commit(plain, -1, env);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < runs; i++) {
      a.push(await commit(wide, i, env));
      b.push(await commit(plain, i, env));
    }
    return { wideMs: median(a), plainMs: median(b) };
  } finally {
    wide.cleanup();
    plain.cleanup();
  }
}
