// npm run bench: the speed and memory targets of codeai-hook, each figure the median of several runs, measured
// against a FAKE model server (test/fakes) with a fixed per-request latency. Prints a table; never part of `npm test`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestRepo } from '../test/e2e/harness.js';
import { startFakeOllama, type FakeServer } from '../test/fakes/index.js';
import { benchEvidenceCoverage, percent } from './evidence-coverage.js';
import { benchPrepare } from './prepare.js';
import { benchScopeCost } from './scope-cost.js';
import { lspTable } from './lsp.js';
import { benchConcurrency, benchSecondRun } from './review.js';
import { benchRules } from './rules.js';
import { median } from './stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

function commitTime(repo: TestRepo, i: number, env: NodeJS.ProcessEnv): Promise<number> {
  repo.write('counter.js', `export const n = ${i};\n`);
  repo.git('add', 'counter.js');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['commit', '-q', '-m', `chore: ${i}`], { cwd: repo.dir, env: { ...repo.env, ...env }, stdio: 'ignore' });
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`commit exited ${code}`))));
  });
}

/**
 * Median commit time with the hook and without it. `sameChange` re-commits an identical one-line change each time
 * (reset between runs), so after the first the review comes from the cache: a commit retried after a block.
 */
async function benchHookOverhead(config: string, opts: { sameChange?: boolean; expectCalls?: (n: number) => boolean } = {}) {
  const withHook = TestRepo.installed({ config });
  const without = new TestRepo();
  try {
    without.write('a.txt', 'a\n');
    without.git('add', '.');
    without.git('commit', '-q', '-m', 'start');
    const env = { CODEAI_CACHE_DIR: mkdtempSync(path.join(os.tmpdir(), 'codeai-bench-cache-')) };
    // Warm the file system cache once on each side, then alternate so drift hits both equally.
    await commitTime(withHook, -1, env);
    await commitTime(without, -1, {});
    const hooked: number[] = [];
    const plain: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (opts.sameChange) withHook.git('reset', '-q', '--soft', 'HEAD~1');
      hooked.push(await commitTime(withHook, opts.sameChange ? -1 : i, env));
      plain.push(await commitTime(without, i, {}));
    }
    return { hooked: median(hooked), plain: median(plain) };
  } finally {
    withHook.cleanup();
    without.cleanup();
  }
}

function chatCalls(fake: FakeServer): number {
  return fake.requests.filter((r) => r.path === '/api/chat').length;
}

function peakMemoryOfPrepare(): number {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'prepare-once.ts')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`prepare-once failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

function row(cells: string[]): string {
  const widths = [44, 16, 16, 8];
  return `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 10)).join(' | ')} |`;
}

async function main() {
  const fake = await startFakeOllama({ models: ['bench-model'] });
  fake.setDefault({ findings: [] });
  const lines: string[] = [];
  const ok = (pass: boolean) => (pass ? 'ok' : 'MISSED');
  try {
    const modelConfig = `provider: ollama\nmodel: bench-model\nbaseURL: ${fake.url}\n`;
    const before = chatCalls(fake);
    const hook = await benchHookOverhead(modelConfig);
    if (chatCalls(fake) - before < RUNS) throw new Error('expected a model call per commit');
    const overhead = hook.hooked - hook.plain;
    lines.push(row(['1. hook overhead (commit with hook − without)', `${overhead.toFixed(0)} ms`, '< 150 ms', ok(overhead < 150)]));
    lines.push(row(['   commit with hook / without (medians)', `${hook.hooked.toFixed(0)} / ${hook.plain.toFixed(0)} ms`, '', '']));
    const cachedBefore = chatCalls(fake);
    const cached = await benchHookOverhead(modelConfig, { sameChange: true });
    lines.push(row(['   same, change already reviewed (cache hit)', `${(cached.hooked - cached.plain).toFixed(0)} ms`, '', `${chatCalls(fake) - cachedBefore} call/${RUNS + 1}`]));
    const builtin = await benchHookOverhead('provider: builtin\n');
    lines.push(row(['   same, built-in rules only (no model)', `${(builtin.hooked - builtin.plain).toFixed(0)} ms`, '', '']));

    const prep = await benchPrepare(RUNS);
    lines.push(row([`2. prepare ${prep.files} files, ${prep.changedLines} lines`, `${prep.medianMs.toFixed(0)} ms`, '< 1000 ms', ok(prep.medianMs < 1000)]));

    const conc = await benchConcurrency({ units: 16, latencyMs: 200, concurrency: 4, runs: Math.min(RUNS, 5) });
    const over = (conc.medianMs / conc.boundMs - 1) * 100;
    lines.push(row([`3. ${conc.units} units, ${conc.latencyMs} ms, concurrency ${conc.concurrency}`, `${conc.medianMs.toFixed(0)} ms`, `≤ ${(conc.boundMs * 1.1).toFixed(0)} ms`, ok(over <= 10)]));
    lines.push(row(['   bound ceil(N/C)·L, and distance from it', `${conc.boundMs} ms`, `${over >= 0 ? '+' : ''}${over.toFixed(1)} %`, '']));

    const second = await benchSecondRun({ units: 16, latencyMs: 200, runs: Math.min(RUNS, 5) });
    lines.push(row(['4. second run of the same diff: model calls', `${second.calls}`, '0', ok(second.calls === 0)]));
    lines.push(row(['   first run / second run wall time', `${second.firstMs.toFixed(0)} / ${second.secondMs.toFixed(1)} ms`, '', '']));

    const rssMb = peakMemoryOfPrepare();
    lines.push(row(['5. peak memory (RSS) of case 2', `${rssMb.toFixed(0)} MB`, '< 300 MB', ok(rssMb < 300)]));

    const evidence = await benchEvidenceCoverage();
    const covered = percent(evidence.scoped.cases);
    const ratio = evidence.scoped.medianPromptTokens / evidence.today.medianPromptTokens;
    lines.push(row([`6. evidence in the prompt, ${evidence.cases} labelled cases`, `${covered.toFixed(1)} % cases`, '≥ 90 %', ok(covered >= 90)]));
    lines.push(row(['   same with git\'s 3 lines of context', `${percent(evidence.today.cases).toFixed(1)} % cases`, '', '']));
    lines.push(row(['   median prompt tokens, scoped / 3 lines', `${evidence.scoped.medianPromptTokens} / ${evidence.today.medianPromptTokens}`, '≤ 1.6 ×', ok(ratio <= 1.6)]));
    lines.push(row(['   ratio; diff text alone (no system prompt)', `${ratio.toFixed(2)} ×`, `${(evidence.scoped.medianDiffTokens / evidence.today.medianDiffTokens).toFixed(2)} ×`, '']));

    const scope = await benchScopeCost(fake, RUNS);
    lines.push(row(['7. commit, scopeContext true / false', `${scope.wideMs.toFixed(0)} / ${scope.plainMs.toFixed(0)} ms`, '', `+${(scope.wideMs - scope.plainMs).toFixed(0)} ms`]));
  } finally {
    await fake.close();
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`codeai-hook bench · node ${process.version} · ${os.cpus().length} × ${cpu} · ${Math.round(os.totalmem() / 2 ** 30)} GiB · median of ${RUNS} runs · fake model server\n`);
  console.log(row(['case', 'measured', 'target', '']));
  console.log(row(['-'.repeat(44), '-'.repeat(16), '-'.repeat(16), '-'.repeat(8)]));
  for (const l of lines) console.log(l);
  // The built-in rules: recall/precision beside secretlint and gitleaks' rules, linearity, precision on history.
  await benchRules();
  // The language server (alone: npm run bench:lsp).
  console.log('');
  for (const l of await lspTable(RUNS)) console.log(l);
}

await main();
