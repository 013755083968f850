// The language server's two targets, measured on the built server (dist) over stdio with the real JSON-RPC client the
// tests use: the time from a `didChange` to the built-in rules' diagnostics for it on a 2,000-line file (target
// < 50 ms median; the debounce is set to 0, since it is a wait chosen, not work done), and the server's resident
// memory once idle with files open (target < 80 MB), beside a bare `node` idling in the same environment. Edits: a
// committed file with one line edited (the everyday case), and the same file new, all 2,000 lines added (every line
// scanned). Memory: with the built-in rules only, and after model reviews (a fake Ollama; the SDK is then loaded).
//
//   npm run bench:lsp          this section alone (also part of npm run bench)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { cleanEnv, TestRepo } from '../test/e2e/harness.js';
import { LspClient } from '../test/e2e/lsp-client.js';
import { startFakeOllama } from '../test/fakes/index.js';
import { median } from './stats.js';

const LINES = 2000;
const KEY = 'AKIA' + 'Z7QWERTYUIOPASDF';

/** A 2,000-line JavaScript file: small functions, as real modules are. */
function sourceFile(): string {
  const out: string[] = [];
  for (let i = 0; out.length < LINES; i++) {
    out.push(`export function total${i}(items) {`, '  let sum = 0;', `  for (const item of items) sum += item.price * ${i};`, '  return sum;', '}', '');
  }
  return out.slice(0, LINES).join('\n') + '\n';
}

export interface LspBench {
  /** Median ms from didChange sent to the diagnostics for it received. */
  editedMs: number;
  newFileMs: number;
  /** Resident memory of the server process with the files open: built-in rules only, and with a model. */
  rules: Rss;
  model: Rss;
  /** The same of a bare `node` idling in the same environment through the same run. */
  bareNodeMb: number;
}

/** Resident memory in MB, 3 s after the last work and once idle (20 s). */
export interface Rss {
  quiet3s: number;
  idle: number;
}

/** `runs` edits per case; each plants the key on a different line and waits for its diagnostic there. */
export async function benchLsp(runs: number): Promise<LspBench> {
  const base = sourceFile();
  const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { env: cleanEnv(os.tmpdir()), stdio: 'ignore' });
  try {
    return await benchServers(base, runs, () => rssMb(bare.pid!));
  } finally {
    bare.kill();
  }
}

async function benchServers(base: string, runs: number, bareNodeMb: () => number): Promise<LspBench> {
  const { editedMs, newFileMs, rules } = await withServer('provider: builtin\n', async (client) => {
    const editedMs = await timeEdits(client, 'src/big.js', base, runs);
    const newFileMs = await timeEdits(client, 'src/new.js', base, runs);
    return { editedMs, newFileMs, rules: await idleRss(client.child.pid!) };
  });
  const fake = await startFakeOllama({ models: ['m'] });
  fake.setDefault({ findings: [] });
  try {
    const model = await withServer(`provider: ollama\nmodel: m\nbaseURL: ${fake.url}\n`, async (client) => {
      // The model reviews the edited file on open and again on save (answered from the cache), then all is quiet.
      await client.open('src/big.js', base.replace('return sum;', 'return sum * 2;'));
      await client.modelReviews(1);
      await client.save('src/big.js');
      await client.modelReviews(2);
      return idleRss(client.child.pid!);
    });
    return { editedMs, newFileMs, rules, model, bareNodeMb: bareNodeMb() };
  } finally {
    await fake.close();
  }
}

/** A server started in a repository holding the 2,000-line file, committed, with this policy. */
async function withServer<T>(config: string, use: (client: LspClient) => Promise<T>): Promise<T> {
  const repo = new TestRepo();
  repo.write('.codeairc.yaml', config);
  repo.write('src/big.js', sourceFile());
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'start');
  const client = await LspClient.start(repo, { initializationOptions: { debounceMs: 0 } });
  try {
    return await use(client);
  } finally {
    await client.stop().catch(() => client.kill());
    repo.cleanup();
  }
}

/** RSS 3 s after the last work, and once idle: 20 s after (V8's memory reducer starts after 8 s of quiet). */
async function idleRss(pid: number): Promise<Rss> {
  await new Promise((r) => setTimeout(r, 3_000));
  const quiet3s = rssMb(pid);
  await new Promise((r) => setTimeout(r, 17_000));
  return { quiet3s, idle: rssMb(pid) };
}

async function timeEdits(client: LspClient, rel: string, base: string, runs: number): Promise<number> {
  const lines = base.split('\n');
  const at = (i: number) => 100 + ((i * 37) % (LINES - 200));
  const withKey = (line: number) => lines.map((l, n) => (n === line ? `const key${n} = '${KEY}';` : l)).join('\n');
  const hasKeyAt = (line: number) => (d: { code?: unknown; range: { start: { line: number } } }[]) => d.some((x) => x.code === 'aws-access-key-id' && x.range.start.line === line);
  await client.open(rel, withKey(at(-1)));
  await client.diagnostics(rel, hasKeyAt(at(-1)));
  const times: number[] = [];
  // One warm-up edit, not counted.
  for (let i = 0; i <= runs; i++) {
    const line = at(i);
    const started = performance.now();
    await client.change(rel, withKey(line));
    await client.diagnostics(rel, hasKeyAt(line));
    if (i > 0) times.push(performance.now() - started);
  }
  return median(times);
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmRSS for the server process ${pid}`);
  return Number(kb) / 1024;
}

/** The section's rows, in bench/run.ts's table shape. */
export async function lspTable(runs: number): Promise<string[]> {
  const r = await benchLsp(runs);
  const ok = (pass: boolean) => (pass ? 'ok' : 'MISSED');
  const mb = (n: number) => `${n.toFixed(0)} MB`;
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd([44, 16, 16, 8][i] ?? 10)).join(' | ')} |`;
  return [
    `Language server (codeai-hook lsp over stdio): median of ${runs} edits, debounce 0\n`,
    row(['case', 'measured', 'target', '']),
    row(['-'.repeat(44), '-'.repeat(16), '-'.repeat(16), '-'.repeat(8)]),
    row([`L1. didChange → diagnostics, ${LINES} lines`, `${r.editedMs.toFixed(1)} ms`, '< 50 ms', ok(r.editedMs < 50)]),
    row([`    same, the file new (all lines added)`, `${r.newFileMs.toFixed(1)} ms`, '< 50 ms', ok(r.newFileMs < 50)]),
    row(['L2. server RSS idle (20 s quiet), 2 files open', mb(r.rules.idle), '< 80 MB', ok(r.rules.idle < 80)]),
    row(['    same, model reviews done (fake Ollama)', mb(r.model.idle), '< 80 MB', ok(r.model.idle < 80)]),
    row(['    3 s after the last work: rules / model', `${mb(r.rules.quiet3s)} / ${mb(r.model.quiet3s)}`, '', '']),
    row(['    a bare node process, same run: idle', mb(r.bareNodeMb), '', '']),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  for (const l of await lspTable(Number(process.env.BENCH_RUNS ?? 21))) console.log(l);
}
