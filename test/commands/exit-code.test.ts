// exitCodeFor and onErrorLine over every combination of blocked × incomplete × onError (× command for the line).
import { describe, expect, it } from 'vitest';
import { exitCodeFor, onErrorLine } from '../../src/commands/session.js';
import type { OnError, ReviewResult } from '../../src/types.js';

function result(blocked: boolean, incomplete: boolean): ReviewResult {
  return {
    version: 1,
    verdict: { blocked, reasons: blocked ? ['1 finding at or above high (block.severity)'] : [], counts: { critical: 0, high: blocked ? 1 : 0, medium: 0, low: 0, info: 0 }, blocking: blocked ? [0] : [] },
    findings: [],
    suppressed: { inline: 0, baseline: 0 },
    files: [],
    provider: 'ollama',
    model: 'm',
    providerReason: 'test',
    units: 1,
    tokens: 850,
    calls: 1,
    cached: 0,
    errors: incomplete ? ['ollama not answering at http://127.0.0.1:11434'] : [],
    incomplete,
    timings: { prepareMs: 0, reviewMs: 0, totalMs: 0 },
  };
}

const ON_ERRORS: OnError[] = ['block', 'warn', 'allow'];

describe('exitCodeFor', () => {
  // [blocked, incomplete, onError, exit code]
  const table: Array<[boolean, boolean, OnError, number]> = [
    [false, false, 'block', 0],
    [false, false, 'warn', 0],
    [false, false, 'allow', 0],
    [false, true, 'block', 3],
    [false, true, 'warn', 0],
    [false, true, 'allow', 0],
    // A block names findings the user can act on: it wins over an incomplete review.
    [true, false, 'block', 1],
    [true, false, 'warn', 1],
    [true, false, 'allow', 1],
    [true, true, 'block', 1],
    [true, true, 'warn', 1],
    [true, true, 'allow', 1],
  ];
  it.each(table)('blocked=%s incomplete=%s onError=%s → %i', (blocked, incomplete, onError, code) => {
    expect(exitCodeFor(result(blocked, incomplete), onError)).toBe(code);
  });
});

describe('onErrorLine', () => {
  it.each(['run', 'review', 'ci'] as const)('a complete review has no line (%s)', (command) => {
    for (const onError of ON_ERRORS) {
      expect(onErrorLine(result(false, false), onError, command)).toBeNull();
      expect(onErrorLine(result(true, false), onError, command)).toBeNull();
    }
  });

  it.each(['run', 'review', 'ci'] as const)('allow says nothing even when incomplete (%s)', (command) => {
    expect(onErrorLine(result(false, true), 'allow', command)).toBeNull();
    expect(onErrorLine(result(true, true), 'allow', command)).toBeNull();
  });

  it('block: fails closed; the --no-verify hint only for run', () => {
    const run = onErrorLine(result(false, true), 'block', 'run');
    expect(run).toMatch(/fails closed \(onError: block\)/);
    expect(run).toContain('git commit --no-verify');
    for (const command of ['review', 'ci'] as const) {
      const line = onErrorLine(result(false, true), 'block', command);
      expect(line).toMatch(/fails closed \(onError: block\)/);
      expect(line).not.toContain('--no-verify');
    }
  });

  it.each(['run', 'review', 'ci'] as const)('warn: the built-in verdict stands, no skip hint (%s)', (command) => {
    const line = onErrorLine(result(false, true), 'warn', command);
    expect(line).toMatch(/built-in rules ran and their verdict stands \(onError: warn\)/);
    expect(line).not.toContain('--no-verify');
  });
});
