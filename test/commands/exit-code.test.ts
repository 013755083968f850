// exitCodeFor and onErrorLine over every combination of blocked × incomplete × onError (× command for the line), and
// the exit code against what every report says of the same result: one decision (the onError the review recorded,
// read by failsClosed), so a report never says "passed" of a run that exits 3, nor "check failed" of one that exits 0.
import { describe, expect, it } from 'vitest';
import { exitCodeFor, onErrorLine } from '../../src/commands/session.js';
import { renderAgent } from '../../src/report/agent.js';
import { renderGithub } from '../../src/report/github.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { failsClosed, verdictPhrase } from '../../src/report/format.js';
import type { OnError, ReviewResult } from '../../src/types.js';

function result(blocked: boolean, incomplete: boolean, onError?: OnError): ReviewResult {
  return {
    version: 1,
    verdict: { blocked, reasons: blocked ? ['1 finding at or above high (block.severity)'] : [], rules: blocked ? ['1 finding at or above high (block.severity)'] : [], counts: { critical: 0, high: blocked ? 1 : 0, medium: 0, low: 0, info: 0 }, blocking: blocked ? [0] : [] },
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
    ...(onError ? { onError } : {}),
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
    expect(exitCodeFor(result(blocked, incomplete, onError))).toBe(code);
  });
});

describe('onErrorLine', () => {
  it.each(['run', 'review', 'ci'] as const)('a complete review has no line (%s)', (command) => {
    for (const onError of ON_ERRORS) {
      expect(onErrorLine(result(false, false, onError), command)).toBeNull();
      expect(onErrorLine(result(true, false, onError), command)).toBeNull();
    }
  });

  it.each(['run', 'review', 'ci'] as const)('allow says nothing even when incomplete (%s)', (command) => {
    expect(onErrorLine(result(false, true, 'allow'), command)).toBeNull();
    expect(onErrorLine(result(true, true, 'allow'), command)).toBeNull();
  });

  it('block: fails closed; the --no-verify hint only for run', () => {
    const run = onErrorLine(result(false, true, 'block'), 'run');
    expect(run).toMatch(/fails closed \(onError: block\)/);
    expect(run).toContain('git commit --no-verify');
    for (const command of ['review', 'ci'] as const) {
      const line = onErrorLine(result(false, true, 'block'), command);
      expect(line).toMatch(/fails closed \(onError: block\)/);
      expect(line).not.toContain('--no-verify');
    }
  });

  it.each(['run', 'review', 'ci'] as const)('warn: the built-in verdict stands, no skip hint (%s)', (command) => {
    const line = onErrorLine(result(false, true, 'warn'), command);
    expect(line).toMatch(/built-in rules ran and their verdict stands \(onError: warn\)/);
    expect(line).not.toContain('--no-verify');
  });
});

describe('one decision for the exit code and the reports', () => {
  const combos = [false, true].flatMap((blocked) => [false, true].flatMap((incomplete) => [...ON_ERRORS, undefined].map((onError) => result(blocked, incomplete, onError))));

  it.each(combos.map((r) => [r.verdict.blocked, r.incomplete, r.onError ?? '(none)', r] as const))(
    'blocked=%s incomplete=%s onError=%s: exit 3 exactly when the reports say it fails closed',
    (_blocked, _incomplete, _onError, r) => {
      const code = exitCodeFor(r);
      expect(code === 3).toBe(failsClosed(r));
      // The plain sentence of ci and review, the agent's result line, the PR comment and the annotations.
      expect(verdictPhrase(r).startsWith('check failed')).toBe(code !== 0);
      expect(renderAgent(r, { command: 'ci' })).toContain(code === 0 ? 'result: change passed' : `BLOCKED (exit ${code})`);
      expect(renderMarkdown(r, {}).includes('request changes')).toBe(code !== 0);
      expect(renderGithub(r).includes('::error')).toBe(code !== 0);
    },
  );

  it('a result that recorded no onError (never from a review session) does not fail closed, as every report reads it', () => {
    expect(exitCodeFor(result(false, true))).toBe(0);
    expect(onErrorLine(result(false, true), 'ci')).toBeNull();
  });
});
