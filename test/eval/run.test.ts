// The eval loop (src/eval/run.ts): each case is read once, on the first model's turn, and every model reviews that one
// read (--from-history no longer reads a fix's diff again per model); models run one after another over all cases;
// a case that cannot be read is an error for each model, read once too.
import { describe, expect, it } from 'vitest';
import type { EvalCase } from '../../src/eval/cases.js';
import { runEval, type CaseReviewer } from '../../src/eval/run.js';
import type { ReviewResult } from '../../src/types.js';
import { sampleResult } from '../report/sample.js';

const cases: EvalCase[] = ['a', 'b', 'c'].map((id) => ({
  id,
  language: 'javascript',
  source: {},
  change: { kind: 'commits', from: `fix-${id}`, to: `parent-${id}` },
  bug: [{ file: 'x.js', lines: [1] }],
  evidence: [{ file: 'x.js', lines: [1] }],
}));

interface Read {
  id: string;
}

function recorder(unreadable: string[] = []) {
  const reads: string[] = [];
  const reviews: string[] = [];
  const reviewer: CaseReviewer<string, Read> = {
    read: async (c) => {
      reads.push(c.id);
      if (unreadable.includes(c.id)) throw new Error(`git cannot read ${c.id}\nsecond line`);
      return { id: c.id };
    },
    review: async (input, model): Promise<ReviewResult> => {
      reviews.push(`${model}:${input.id}`);
      return { ...sampleResult(), incomplete: false, errors: [] };
    },
  };
  return { reads, reviews, reviewer };
}

const run = (reviewer: CaseReviewer<string, Read>, signal = new AbortController().signal) =>
  runEval(cases, ['m1', 'm2', 'm3'], (m) => m, reviewer, { signal });

describe('runEval', () => {
  it('reads each case once and hands that read to every model, one model after another', async () => {
    const { reads, reviews, reviewer } = recorder();
    const reports = await run(reviewer);
    expect(reads).toEqual(['a', 'b', 'c']);
    expect(reviews).toEqual(['m1:a', 'm1:b', 'm1:c', 'm2:a', 'm2:b', 'm2:c', 'm3:a', 'm3:b', 'm3:c']);
    expect(reports.map((r) => [r.model, r.cases.length, r.errors])).toEqual([['m1', 3, 0], ['m2', 3, 0], ['m3', 3, 0]]);
  });

  it('a case that cannot be read is read once and is an error (its first line) for every model', async () => {
    const { reads, reviews, reviewer } = recorder(['b']);
    const reports = await run(reviewer);
    expect(reads).toEqual(['a', 'b', 'c']);
    expect(reviews).not.toContain('m1:b');
    for (const report of reports) {
      expect(report.errors).toBe(1);
      expect(report.cases.find((c) => c.id === 'b')).toMatchObject({ error: 'git cannot read b', score: { caught: false } });
    }
  });

  it('stops when the user interrupts, reading no more', async () => {
    const controller = new AbortController();
    const { reads, reviewer } = recorder();
    const review = reviewer.review;
    reviewer.review = async (input, model) => {
      if (input.id === 'b') controller.abort();
      return review(input, model);
    };
    await expect(run(reviewer, controller.signal)).rejects.toThrow('eval interrupted');
    expect(reads).toEqual(['a', 'b']);
  });
});
