import { describe, expect, it } from 'vitest';
import { fetchAdviceFor } from '../../src/git/diff.js';

describe('fetchAdviceFor: what to run when --base is not in the clone', () => {
  it.each([
    ['origin/main', "git fetch origin main'"],
    ['refs/remotes/origin/release/1.x', "git fetch origin release/1.x'"],
    ['main', "git fetch origin main'"],
    ['3f2a9c1', "git fetch origin 3f2a9c1'"],
  ])('%s is fetched by name', (ref, advice) => {
    expect(fetchAdviceFor(ref)).toContain(advice);
  });

  it.each([
    ['HEAD~3', 4],
    ['HEAD^', 2],
    ['origin/main~2^', 4],
    ['HEAD~', 2],
  ])('%s is reached by deepening the clone, never by fetching the name', (ref, depth) => {
    const advice = fetchAdviceFor(ref);
    expect(advice).toContain(`git fetch --deepen=${depth} origin`);
    expect(advice).not.toMatch(/git fetch origin \S*[~^]/);
  });
});
