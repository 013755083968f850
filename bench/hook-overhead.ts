// What a commit gains from the hook, against the floor of any Node hook: a husky hook that runs `node -e 0`.
// Every set-up is a real repository with husky wired by the real installer; each round commits once in each, in a
// rotated order, so drift and other work on the machine hit every set-up alike. The extra time of a set-up in a round
// is its commit time minus that round's commit without any hook; the table gives the median of those and its ratio to
// the `node -e 0` hook's.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestRepo } from '../test/e2e/harness.js';
import { startFakeAnthropic, startFakeOllama, startFakeOpenAI, type FakeServer } from '../test/fakes/index.js';
import { median } from './stats.js';

export interface SetUpResult {
  name: string;
  /** Median over rounds of (this commit − the round's commit without a hook). */
  extraMs: number;
  /** extraMs ÷ the `node -e 0` hook's extraMs. */
  ratio: number;
  /** Median commit time. */
  commitMs: number;
  /** The target for the ratio, when it has one. */
  target?: number;
}

export interface HookOverhead {
  rounds: number;
  plainMs: number;
  rows: SetUpResult[];
  loadBefore: number[];
  loadAfter: number[];
}

interface SetUp {
  name: string;
  target?: number;
  repo: TestRepo;
  env: NodeJS.ProcessEnv;
  /** Stages the change of round i (untimed). */
  stage: (i: number) => void;
  args?: string[];
  /** Throws when the set-up did not do what its row says (a model call per commit, none for a cache hit). */
  verify?: (rounds: number) => void;
}

const KEY = 'sk-bench-0123456789abcdefghijklmnopqrstuvwxyz';

/** A hook that only spawns `git diff --cached`, collects its output and ends with git's exit code. */
const STAGED_DIFF_READER =
  "const c=require('node:child_process').spawn('git',['diff','--cached'],{stdio:['ignore','pipe','inherit']});" +
  "const b=[];c.stdout.on('data',d=>b.push(d));c.on('close',x=>process.exit(x))";

/**
 * A hook that reads the staged diff as above, posts it to Ollama's /api/chat in one `node:http` request and reads the
 * answer: the least any Node hook that asks a model about the change can do.
 */
function stagedDiffToOllama(url: string): string {
  return (
    "const h=require('node:http');" +
    "const c=require('node:child_process').spawn('git',['diff','--cached'],{stdio:['ignore','pipe','inherit']});" +
    "const b=[];c.stdout.on('data',d=>b.push(d));c.on('close',()=>{" +
    `const r=h.request('${url}/api/chat',{method:'POST',headers:{'content-type':'application/json'}},` +
    "s=>{s.resume();s.on('end',()=>process.exit(s.statusCode===200?0:1))});" +
    "r.end(JSON.stringify({model:'bench-model',stream:false,messages:[{role:'user',content:Buffer.concat(b).toString()}]}))})"
  );
}

function commit(setUp: SetUp, i: number): Promise<number> {
  setUp.stage(i);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['commit', '-q', '-m', `chore: ${i}`, ...(setUp.args ?? [])], {
      cwd: setUp.repo.dir,
      env: { ...setUp.repo.env, ...setUp.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${setUp.name}: commit exited ${code}: ${stderr}`))));
  });
}

function changeCounter(repo: TestRepo, i: number): void {
  repo.write('counter.js', `export const n = ${i};\n`);
  repo.git('add', 'counter.js');
}

function calls(fake: FakeServer, route: string): number {
  return fake.requests.filter((r) => r.method === 'POST' && r.path === route).length;
}

function hooked(name: string, config: string, target: number | undefined, env: NodeJS.ProcessEnv = {}): SetUp {
  const repo = TestRepo.installed({ config });
  const cache = mkdtempSync(path.join(os.tmpdir(), 'codeai-bench-cache-'));
  return { name, target, repo, env: { CODEAI_CACHE_DIR: cache, ...env }, stage: (i) => changeCounter(repo, i) };
}

function modelSetUp(name: string, fake: FakeServer, route: string, config: string, target: number | undefined, env: NodeJS.ProcessEnv = {}): SetUp {
  const setUp = hooked(name, config, target, env);
  const before = calls(fake, route);
  setUp.verify = (rounds) => {
    const made = calls(fake, route) - before;
    if (made < rounds) throw new Error(`${name}: expected a model call per commit, got ${made} for ${rounds} commits`);
  };
  return setUp;
}

export async function benchHookOverhead(rounds: number): Promise<HookOverhead> {
  const ollama = await startFakeOllama({ models: ['bench-model'] });
  const openai = await startFakeOpenAI();
  const anthropic = await startFakeAnthropic();
  const askerOllama = await startFakeOllama({ models: ['bench-model'] });
  const setUps: SetUp[] = [];
  try {
    const plainRepo = new TestRepo();
    plainRepo.write('a.txt', 'a\n');
    plainRepo.git('add', '.');
    plainRepo.git('commit', '-q', '-m', 'start');
    setUps.push({ name: 'no hook', repo: plainRepo, env: {}, stage: (i) => changeCounter(plainRepo, i) });

    const node = hooked('`node -e 0` in a husky hook', 'provider: builtin\n', undefined);
    writeFileSync(path.join(node.repo.dir, '.husky', 'pre-commit'), 'node -e 0\n');
    setUps.push(node);

    // The floor of any Node hook that reads the staged change at all: Node starts one git and reads its answer.
    // Not a target: it shows how much of a set-up's time is the Node process and one git, which no hook avoids.
    const reader = hooked('`node` reading `git diff --cached` in a husky hook', 'provider: builtin\n', undefined);
    writeFileSync(path.join(reader.repo.dir, '.husky', 'pre-commit'), `node -e "${STAGED_DIFF_READER}"\n`);
    setUps.push(reader);

    const ollamaConfig = `provider: ollama\nmodel: bench-model\nbaseURL: ${ollama.url}\n`;
    // The same for a hook that also sends the change to a model: the floor under the model rows' targets.
    // Its own server, so the cache-hit row's count of Ollama's calls stays its own.
    const asker = modelSetUp('`node` posting `git diff --cached` to the instant Ollama', askerOllama, '/api/chat', 'provider: builtin\n', undefined);
    writeFileSync(path.join(asker.repo.dir, '.husky', 'pre-commit'), `node -e "${stagedDiffToOllama(askerOllama.url)}"\n`);
    setUps.push(asker);

    setUps.push(hooked('codeai-hook, built-in rules only', 'provider: builtin\n', 1.15));
    setUps.push(modelSetUp('codeai-hook, instant Ollama', ollama, '/api/chat', ollamaConfig, 1.3));
    setUps.push(modelSetUp('codeai-hook, instant OpenAI', openai, '/v1/chat/completions', `provider: openai\nmodel: bench-model\nbaseURL: ${openai.url}\n`, 1.3, { OPENAI_API_KEY: KEY }));
    setUps.push(modelSetUp('codeai-hook, instant Anthropic', anthropic, '/v1/messages', `provider: anthropic\nmodel: bench-model\nbaseURL: ${anthropic.url}\n`, 1.4, { ANTHROPIC_API_KEY: KEY }));

    // A commit retried after a block: the same staged change again, its review read from the cache.
    const cached = hooked('codeai-hook, cache hit (Ollama)', ollamaConfig, 1.15);
    const callsBeforeCache = calls(ollama, '/api/chat');
    cached.stage = (i) => {
      if (i >= 0) cached.repo.git('reset', '-q', '--soft', 'HEAD~1');
      else changeCounter(cached.repo, -1);
    };
    setUps.push(cached);

    // Only files the policy excludes are staged: nothing for the rules or the model.
    const excluded = hooked('codeai-hook, only excluded files staged', `${ollamaConfig}exclude: ['docs/**']\n`, 1.15);
    excluded.stage = (i) => {
      excluded.repo.write('docs/notes.md', `note ${i}\n`);
      excluded.repo.git('add', 'docs/notes.md');
    };
    setUps.push(excluded);

    // Nothing staged at all (git commit --allow-empty): the diff is empty and git prints nothing.
    const empty = hooked('codeai-hook, nothing staged (--allow-empty)', ollamaConfig, 1.15);
    empty.stage = () => undefined;
    empty.args = ['--allow-empty'];
    setUps.push(empty);

    const loadBefore = os.loadavg();
    // Warm the file system cache (and the cache hit's entry) once everywhere.
    for (const s of setUps) await commit(s, -1);
    const times = new Map(setUps.map((s) => [s, [] as number[]]));
    for (let round = 0; round < rounds; round++) {
      // Rotated order: no set-up always runs first or right after another.
      for (let k = 0; k < setUps.length; k++) {
        const s = setUps[(round + k) % setUps.length]!;
        times.get(s)!.push(await commit(s, round));
      }
    }
    const loadAfter = os.loadavg();
    for (const s of setUps) s.verify?.(rounds);
    const cacheCalls = calls(ollama, '/api/chat') - callsBeforeCache;
    // Ollama's own rows made their calls too; the cache hit row must add none after its first commit.
    if (cacheCalls > rounds + 2 + 1) throw new Error(`cache hit: ${cacheCalls} model calls`);

    const plain = times.get(setUps[0]!)!;
    const extras = (s: SetUp) => times.get(s)!.map((t, i) => t - plain[i]!);
    const floor = median(extras(node));
    const rows = setUps.slice(1).map((s): SetUpResult => {
      const extraMs = median(extras(s));
      return { name: s.name, extraMs, ratio: extraMs / floor, commitMs: median(times.get(s)!), ...(s.target ? { target: s.target } : {}) };
    });
    return { rounds, plainMs: median(plain), rows, loadBefore, loadAfter };
  } finally {
    for (const s of setUps) s.repo.cleanup();
    await Promise.all([ollama.close(), openai.close(), anthropic.close(), askerOllama.close()]);
  }
}

/** The hook-overhead table: ms, ratio, target and whether it is met. */
export function hookOverheadTable(h: HookOverhead): string[] {
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  const lines = [
    `Hook overhead: ${h.rounds} interleaved rounds, median extra time of a commit over the same commit with no hook (${h.plainMs.toFixed(0)} ms)`,
    `load average before ${load(h.loadBefore)} · after ${load(h.loadAfter)}`,
    '',
    '| set-up | extra ms | ÷ `node -e 0` hook | target | |',
    '| --- | --: | --: | --: | --- |',
  ];
  for (const r of h.rows) {
    const target = r.target ? `≤ ${r.target.toFixed(2)}` : '';
    const met = r.target ? (r.ratio <= r.target ? 'met' : 'MISSED') : '';
    lines.push(`| ${r.name} | ${r.extraMs.toFixed(0)} | ${r.ratio.toFixed(2)} | ${target} | ${met} |`);
  }
  return lines;
}
