// Preparation throughput: parse + select + chunk of a 2,000-file, 100,000-changed-line diff (budget 24,000).
// Target: under 1 s median. The diff text is built once, outside the timing.

import { performance } from 'node:perf_hooks';
import { chunkDiff } from '../src/diff/chunk.js';
import { parseDiff } from '../src/diff/parse.js';
import { selectFiles } from '../src/diff/select.js';
import { syntheticDiff } from './synthetic.js';

const FILES = 2000;
const CHANGED_LINES = 100_000;
const BUDGET = 24_000;

export interface PrepareResult {
  medianMs: number;
  files: number;
  changedLines: number;
  units: number;
}

export async function benchPrepare(runs: number): Promise<PrepareResult> {
  const text = syntheticDiff({ files: FILES, changedLines: CHANGED_LINES, seed: 42 });
  const times: number[] = [];
  let result: Omit<PrepareResult, 'medianMs'> = { files: 0, changedLines: 0, units: 0 };
  for (let run = 0; run < Math.max(1, runs); run++) {
    const start = performance.now();
    const files = parseDiff(text);
    const { selected } = selectFiles(files, {
      include: ['**'],
      exclude: [],
      maxFileBytes: 512 * 1024,
      defaultExcludes: true,
    });
    const { units } = chunkDiff(selected, { budget: BUDGET });
    times.push(performance.now() - start);
    result = {
      files: files.length,
      changedLines: files.reduce((sum, f) => sum + f.added + f.removed, 0),
      units: units.length,
    };
    // Let timers and I/O of the caller run between runs, as they would around a real commit.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { medianMs: median(times), ...result };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
