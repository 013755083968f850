// npm run bench: the speed and memory targets of codeai-hook, against FAKE model servers (test/fakes). First the hook's
// overhead, as ratios to a `node -e 0` hook measured in the same interleaved run; then the other cases, each the
// median of several runs. Prints tables; never part of `npm test`.
//
//   npm run bench                    everything (21 interleaved rounds for the hook overhead)
//   npm run bench -- --rounds 7      fewer rounds, for a quick look (also BENCH_ROUNDS)
//   npm run bench -- --only hook     the hook-overhead table alone (also --hook-only)
//   npm run bench -- --only big      the 1M-changed-line change alone (BENCH_BIG_FILES × 1,000 lines, default 1,000)
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startFakeOllama } from '../test/fakes/index.js';
import { benchBigChange } from './big-change.js';
import { benchEvidenceCoverage, percent } from './evidence-coverage.js';
import { benchHookOverhead, hookOverheadTable } from './hook-overhead.js';
import { benchPrepare } from './prepare.js';
import { benchScopeCost } from './scope-cost.js';
import { lspTable } from './lsp.js';
import { benchConcurrency, benchSecondRun } from './review.js';
import { benchRules } from './rules.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const args = parseArgs({ options: { rounds: { type: 'string' }, 'hook-only': { type: 'boolean' }, only: { type: 'string' } } }).values;
const ONLY = args['hook-only'] ? 'hook' : args.only;
if (ONLY !== undefined && ONLY !== 'hook' && ONLY !== 'big') throw new Error(`--only ${ONLY}: use --only hook or --only big`);
const BIG_FILES = Number(process.env.BENCH_BIG_FILES ?? 1000);
const ROUNDS = Number(args.rounds ?? process.env.BENCH_ROUNDS ?? 21);

function peakMemoryOfPrepare(): number {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'prepare-once.ts')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`prepare-once failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

function row(cells: string[]): string {
  const widths = [44, 16, 16, 8];
  return `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 10)).join(' | ')} |`;
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const git = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim().replace(/^git version /, '');
  return `node ${process.version} · git ${git} · ${os.cpus().length} × ${cpu} · ${Math.round(os.totalmem() / 2 ** 30)} GiB · ${os.platform()} ${os.release()}`;
}

async function main() {
  console.log(`codeai-hook bench · ${machine()} · fake model servers\n`);
  if (ONLY !== 'big') {
    const hook = await benchHookOverhead(ROUNDS);
    for (const l of hookOverheadTable(hook)) console.log(l);
    console.log('');
  }
  if (ONLY === 'hook') return;
  if (ONLY === 'big') {
    for (const l of bigChangeTable(await benchBigChange({ files: BIG_FILES, lines: 1000 }))) console.log(l);
    return;
  }

  const fake = await startFakeOllama({ models: ['bench-model'] });
  fake.setDefault({ findings: [] });
  const lines: string[] = [];
  const ok = (pass: boolean) => (pass ? 'ok' : 'MISSED');
  try {
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
    for (const r of await benchBigChange({ files: BIG_FILES, lines: 1000 })) {
      const target = r.calls > 0 ? r.peakRssMb < 400 : true;
      lines.push(row([`8. ${r.changedLines.toLocaleString('en')} lines, ${r.name}`, `${r.peakRssMb.toFixed(0)} MB · ${r.usPerLine.toFixed(1)} µs/line`, r.calls > 0 ? 'RSS < 400 MB' : '', r.calls > 0 ? ok(target) : '']));
    }
  } finally {
    await fake.close();
  }
  console.log(`Other cases: median of ${RUNS} runs (BENCH_RUNS) · load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  console.log(row(['case', 'measured', 'target', '']));
  console.log(row(['-'.repeat(44), '-'.repeat(16), '-'.repeat(16), '-'.repeat(8)]));
  for (const l of lines) console.log(l);
  // The built-in rules: recall/precision beside secretlint and gitleaks' rules, linearity, precision on history.
  await benchRules();
  // The language server (alone: npm run bench:lsp).
  console.log('');
  for (const l of await lspTable(RUNS)) console.log(l);
}

/** Case 8 alone (--only big). */
function bigChangeTable(rows: Awaited<ReturnType<typeof benchBigChange>>): string[] {
  return [
    '| large staged change through `codeai-hook run` | peak RSS | ms | µs per changed line | model calls |',
    '| --- | --: | --: | --: | --: |',
    ...rows.map((r) => `| ${r.changedLines} lines, ${r.name} | ${r.peakRssMb.toFixed(0)} MB | ${r.ms.toFixed(0)} | ${r.usPerLine.toFixed(1)} | ${r.calls} |`),
  ];
}

await main();
