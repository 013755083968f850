// Cases 3 and 4 of the bench: the review pipeline against a fake Ollama with a fixed latency per request.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderUnit } from '../src/diff/render.js';
import { estimateTokens } from '../src/diff/tokens.js';
import { DEFAULT_POLICY } from '../src/policy/defaults.js';
import { reviewDiff } from '../src/pipeline.js';
import { createProvider } from '../src/providers/create.js';
import { openCache, type FindingsCache } from '../src/review/cache.js';
import type { DiffFile, Policy } from '../src/types.js';
import { startFakeOllama } from '../test/fakes/index.js';
import { median } from './stats.js';

/**
 * N files of 60 added lines each, and a budget of 1.5 files: two never share a unit, one always fits, so the chunker
 * makes exactly N units whatever the token estimate's calibration.
 */
function unitsWorkload(n: number, seed: string): { files: DiffFile[]; budget: number } {
  const files = filesForUnits(n, seed);
  const one = estimateTokens(renderUnit([{ path: files[0]!.path, status: 'added', hunks: files[0]!.hunks }]), 'bench-model');
  return { files, budget: Math.ceil(one * 1.5) };
}

function filesForUnits(n: number, seed: string): DiffFile[] {
  return Array.from({ length: n }, (_, f) => {
    const lines = Array.from({ length: 60 }, (_, i) => ({
      kind: 'add' as const,
      text: `export const value_${seed}_${f}_${i} = compute(${i}, "${seed}-${f}") + offset_${i % 7};`,
      newLine: i + 1,
    }));
    return {
      path: `src/module_${f}.ts`,
      status: 'added' as const,
      binary: false,
      hunks: [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: lines.length, heading: '', lines }],
      added: lines.length,
      removed: 0,
    };
  });
}

async function reviewOnce(files: DiffFile[], policy: Policy, cache: FindingsCache | null) {
  const provider = createProvider(policy, {});
  const started = performance.now();
  const result = await reviewDiff(files, {
    policy,
    chooseProvider: async () => ({ provider, reason: 'bench: fake ollama' }),
    cache,
    userSignal: new AbortController().signal,
    baseline: null,
    suppress: true,
  });
  return { ms: performance.now() - started, result };
}

export async function benchConcurrency(opts: { units: number; latencyMs: number; concurrency: number; runs: number }) {
  const fake = await startFakeOllama({ models: ['bench-model'] });
  fake.setDefault({ findings: [], delayMs: opts.latencyMs });
  try {
    const times: number[] = [];
    let units = 0;
    for (let r = 0; r < opts.runs; r++) {
      const work = unitsWorkload(opts.units, `c${r}`);
      const policy: Policy = { ...DEFAULT_POLICY, provider: 'ollama', model: 'bench-model', baseURL: fake.url, concurrency: opts.concurrency, maxDiffTokens: work.budget };
      const { ms, result } = await reviewOnce(work.files, policy, null);
      units = result.units;
      if (result.incomplete) throw new Error(`bench review incomplete: ${result.errors[0]}`);
      times.push(ms);
    }
    if (units !== opts.units) throw new Error(`expected ${opts.units} units, the chunker made ${units}`);
    return { ...opts, units, medianMs: median(times), boundMs: Math.ceil(opts.units / opts.concurrency) * opts.latencyMs };
  } finally {
    await fake.close();
  }
}

export async function benchSecondRun(opts: { units: number; latencyMs: number; runs: number }) {
  const fake = await startFakeOllama({ models: ['bench-model'] });
  fake.setDefault({ findings: [], delayMs: opts.latencyMs });
  const firsts: number[] = [];
  const seconds: number[] = [];
  let secondCalls = 0;
  try {
    for (let r = 0; r < opts.runs; r++) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'codeai-bench-cache-'));
      try {
        const { files, budget } = unitsWorkload(opts.units, `s${r}`);
        const policy: Policy = { ...DEFAULT_POLICY, provider: 'ollama', model: 'bench-model', baseURL: fake.url, maxDiffTokens: budget };
        firsts.push((await reviewOnce(files, policy, openCache(dir))).ms);
        const second = await reviewOnce(files, policy, openCache(dir));
        seconds.push(second.ms);
        secondCalls += second.result.calls;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return { calls: secondCalls, firstMs: median(firsts), secondMs: median(seconds) };
  } finally {
    await fake.close();
  }
}
