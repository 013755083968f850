import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { renderAgent } from '../../src/report/agent.js';
import { AGENT_SIGNALS, detectAgent, peopleFormat } from '../../src/report/agents.js';
import { finding, result, sampleResult } from './sample.js';

describe('renderAgent', () => {
  it('says the commit was blocked, what to do, and gives one block per finding, worst first', () => {
    const text = renderAgent(sampleResult(), { command: 'run' });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^result: commit BLOCKED \(exit 1\); the commit did not happen: 2 blocking, 6 findings/);
    expect(lines[1]).toMatch(/^do: fix each finding marked BLOCKING below, stage the fixed files with git add, then run the same git commit again\. Do not skip the check \(no --no-verify/);
    const heads = lines.filter((l) => l.startsWith('finding '));
    expect(heads.map((l) => l.replace(/^finding \d+: /, '').replace(/ (rule=\S+ )?at .*$/, ''))).toEqual([
      'BLOCKING critical security',
      'BLOCKING high security',
      'not blocking medium bug',
      'not blocking low performance',
      'not blocking low improvement',
      'not blocking info style',
    ]);
    expect(heads[0]).toContain('at src/config.ts:3');
  });

  it('a blocking finding has problem, fix and an exact next step naming the file to stage', () => {
    const r = result([finding({ file: 'src/db.js', line: 12, severity: 'high', title: 'SQL built by concatenation', suggestion: 'Use a parameterised query.' })], { blocking: [0] });
    const text = renderAgent(r, { command: 'run' });
    expect(text).toContain('finding 1: BLOCKING high bug at src/db.js:12');
    expect(text).toContain('problem: SQL built by concatenation');
    expect(text).toContain('fix: Use a parameterised query.');
    expect(text).toContain('next: apply the fix above at src/db.js:12, git add src/db.js, and commit again.');
  });

  it('a secret found by a rule says to remove it and to have it rotated', () => {
    const r = result([finding({ severity: 'critical', category: 'security', source: 'builtin', rule: 'aws-access-key-id', file: 'cfg.js', line: 1 })], { blocking: [0] });
    expect(renderAgent(r, { command: 'run' })).toMatch(/next: remove the secret from cfg\.js:1 .*git add cfg\.js, and commit again; if it was ever pushed, tell the user to rotate it\./);
  });

  it('passing: says so, with nothing to do; review says review, not commit', () => {
    const text = renderAgent(result([finding({ severity: 'low' })]), { command: 'review' });
    expect(text.split('\n')[0]).toBe('result: change passed: 1 finding (1 low)');
    expect(text).not.toContain('do: ');
    expect(text).toContain('next: optional: ');
  });

  it('an incomplete review that onError block fails is BLOCKED (exit 3), never "passed"', () => {
    const incomplete = result([], { errors: ['ollama not answering'], incomplete: true, onError: 'block' });
    expect(renderAgent(incomplete, { command: 'run' }).split('\n')[0]).toBe(
      'result: commit BLOCKED (exit 3); the commit did not happen: the model review did not complete (onError: block); no findings',
    );
    expect(renderAgent({ ...incomplete, onError: 'warn' }, { command: 'ci' }).split('\n')[0]).toMatch(/^result: change passed/);
  });

  it('has no colour or decoration, and no line starts with text from the diff or the model', () => {
    const hostile = finding({ title: '::error::pwned\n##[warning]x', message: 'line one\n::set-output name=x::y\x1b[31m', file: 'a.ts' });
    const text = renderAgent(result([hostile], { blocking: [0], errors: ['model down\n::error::x'] }), { command: 'run' });
    expect(text).not.toMatch(/\x1b/);
    expect(text).not.toMatch(/[│┃━─✖✔⚠]/);
    for (const line of text.split('\n').filter(Boolean)) expect(line).toMatch(/^[a-z][a-z-]*( \d+)?: /);
    expect(text).not.toContain('##[');
  });
});

describe('detectAgent and peopleFormat', () => {
  it.each(AGENT_SIGNALS.flatMap((s) => s.variables.map((v) => [s.name, v] as const)))('%s via %s', (name, variable) => {
    const env = { [variable]: variable === 'AI_AGENT' ? 'my-bot' : '1' };
    expect(detectAgent(env)).toEqual({ name: name === 'AI_AGENT' ? 'my-bot' : name, variable });
    expect(peopleFormat(env)).toBe('agent');
  });

  it('Aider, by the "(aider)" it appends to the author or committer name', () => {
    expect(detectAgent({ GIT_AUTHOR_NAME: 'Ada Lovelace (aider)' })).toEqual({ name: 'Aider', variable: 'GIT_AUTHOR_NAME' });
    expect(detectAgent({ GIT_COMMITTER_NAME: 'Ada (aider)' })?.name).toBe('Aider');
    expect(detectAgent({ GIT_AUTHOR_NAME: 'Aider Fan' })).toBeNull();
  });

  it('a person (or a variable set to 0/false/empty, or a Cursor terminal a person types in) gets the terminal report', () => {
    expect(peopleFormat({})).toBe('terminal');
    expect(peopleFormat({ CLAUDECODE: '0', GEMINI_CLI: 'false', OPENCODE: '', CURSOR_TRACE_ID: 'abc' })).toBe('terminal');
  });

  it('CODEAI_OUTPUT decides either way; any other value is a usage error naming the allowed ones', () => {
    expect(peopleFormat({ CODEAI_OUTPUT: 'agent' })).toBe('agent');
    expect(peopleFormat({ CODEAI_OUTPUT: 'terminal', CLAUDECODE: '1' })).toBe('terminal');
    expect(() => peopleFormat({ CODEAI_OUTPUT: 'json' })).toThrow(UsageError);
    expect(() => peopleFormat({ CODEAI_OUTPUT: 'json' })).toThrow(/CODEAI_OUTPUT is 'json'; allowed: agent, terminal/);
  });
});
