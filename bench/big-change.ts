// A very large staged change through the built CLI: 1,000 new files of 1,000 lines (1M changed lines) reviewed by
// `codeai-hook run` with an instant fake Ollama, and with the built-in rules only. Peak RSS is the CLI process's own,
// written by a preloaded module on exit (peak-rss.cjs); time per changed line is the wall time of the run divided by
// the changed lines. The repository is built once, outside the timing.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeOllama } from '../test/fakes/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(here, '..', 'dist', 'bin.js');

export interface BigChangeRow {
  name: string;
  changedLines: number;
  peakRssMb: number;
  ms: number;
  usPerLine: number;
  calls: number;
}

function stageBigChange(dir: string, files: number, lines: number): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('config', 'user.email', 'bench@example.invalid');
  git('config', 'user.name', 'bench');
  git('config', 'commit.gpgsign', 'false');
  writeFileSync(path.join(dir, 'README.md'), 'bench\n');
  git('add', '.');
  git('commit', '-q', '-m', 'start');
  for (let f = 0; f < files; f++) {
    const out: string[] = [];
    for (let i = 0; i < lines; i++) out.push(`export const value${f}_${i} = compute(${i}, 'item-${(i * 7919) % 1000}');`);
    const folder = path.join(dir, 'src', `part${f % 20}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `file${f}.js`), out.join('\n') + '\n');
  }
  git('add', '.');
}

function runOnce(dir: string, env: NodeJS.ProcessEnv): Promise<{ ms: number; rssMb: number; code: number; stderr: string }> {
  const rssFile = path.join(dir, '..', `rss-${process.hrtime.bigint()}`);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'run'], {
      cwd: dir,
      env: { ...process.env, ...env, NODE_OPTIONS: `--require ${path.join(here, 'peak-rss.cjs')}`, CODEAI_PEAK_RSS_FILE: rssFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      try {
        resolve({ ms, rssMb: Number(readFileSync(rssFile, 'utf8')) / 1024, code: code ?? 1, stderr });
      } catch (error) {
        reject(new Error(`no peak RSS written (${String(error)}): ${stderr}`));
      }
    });
  });
}

export async function benchBigChange(opts: { files: number; lines: number }): Promise<BigChangeRow[]> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'codeai-bench-big-'));
  const dir = path.join(home, 'repo');
  mkdirSync(dir);
  const fake = await startFakeOllama({ models: ['bench-model'] });
  fake.setDefault({ findings: [] });
  const changedLines = opts.files * opts.lines;
  try {
    stageBigChange(dir, opts.files, opts.lines);
    const rows: BigChangeRow[] = [];
    const cases = [
      { name: 'instant Ollama', config: `provider: ollama\nmodel: bench-model\nbaseURL: ${fake.url}\n` },
      { name: 'rules only', config: 'provider: builtin\n' },
    ];
    for (const c of cases) {
      // The policy is untracked: only the staged change is reviewed. A fresh cache: every unit goes to the model.
      writeFileSync(path.join(dir, '.codeairc.yml'), c.config);
      const before = fake.requests.length;
      const r = await runOnce(dir, { CODEAI_CACHE_DIR: mkdtempSync(path.join(home, 'cache-')), NO_COLOR: '1' });
      if (r.code !== 0) throw new Error(`big change (${c.name}): exit ${r.code}: ${r.stderr.slice(0, 400)}`);
      rows.push({ name: c.name, changedLines, peakRssMb: r.rssMb, ms: r.ms, usPerLine: (r.ms * 1000) / changedLines, calls: fake.requests.length - before });
    }
    return rows;
  } finally {
    await fake.close();
    rmSync(home, { recursive: true, force: true });
  }
}
