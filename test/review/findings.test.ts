import { describe, expect, it } from 'vitest';
import { AnswerFormatError, parseFindings, repairMessages } from '../../src/review/findings.js';
import { buildPrompt } from '../../src/review/prompt.js';
import { makeUnit, oneHunkUnit } from './unit.js';

// src/app.ts new side: 10 context, 11-12 added, (old 12 deleted), 13 context, 14 added, 15-17 context.
const unit = makeUnit([
  {
    path: 'src/app.ts',
    hunks: [
      {
        oldStart: 10,
        newStart: 10,
        lines: [' const a = 1;', '+const b = eval(x);', '+const d = 4;', '-const c = 2;', ' f();', '+g();', ' h();', ' i();', ' j();'],
      },
      { oldStart: 40, newStart: 41, lines: [' k();', '+l();', ' m();'] },
    ],
  },
  { path: 'lib/util/app.ts', hunks: [{ oldStart: 1, newStart: 1, lines: ['+export {};'] }] },
  { path: 'docs/old.md', status: 'deleted', hunks: [{ oldStart: 1, newStart: 0, lines: ['-gone'] }] },
]);

const base = { file: 'src/app.ts', line: 11, severity: 'high', category: 'security', title: 'eval', message: 'eval of input.' };

function parse(value: unknown) {
  return parseFindings(typeof value === 'string' ? value : JSON.stringify(value), unit);
}

function one(finding: Record<string, unknown>) {
  return parse({ findings: [{ ...base, ...finding }] });
}

describe('parseFindings: answer shapes', () => {
  const expected = { file: 'src/app.ts', line: 11, severity: 'high', category: 'security', title: 'eval', source: 'model' };
  const valid = JSON.stringify({ findings: [base] });

  it.each([
    ['plain JSON', valid],
    ['a ```json fence after prose', `Here is my review:\n\n\`\`\`json\n${valid}\n\`\`\`\nHope it helps!`],
    ['a bare ``` fence', `\`\`\`\n${valid}\n\`\`\``],
    ['prose before and after', `Sure. ${valid} Let me know {if} you need more.`],
    ['a stray [1] in the prose first', `See note [1] and {braces}: ${valid}`],
    ['trailing commas', `{"findings": [{"file": "src/app.ts", "line": 11, "severity": "high", "category": "security", "title": "eval", "message": "eval of input.",},],}`],
    ['comments', `{ // the answer\n"findings": [ /* one */ ${JSON.stringify(base)} ] }`],
    ['a BOM', `\uFEFF${valid}`],
    ['a single finding object', JSON.stringify(base)],
    ['a bare array', JSON.stringify([base])],
    ['issues', JSON.stringify({ issues: [base] })],
    ['comments key', JSON.stringify({ comments: [base] })],
    ['reviews holding one object', JSON.stringify({ reviews: base })],
    ['a wrapper object', JSON.stringify({ review: { findings: [base] } })],
    ['capitalised keys', JSON.stringify({ Findings: [{ File: 'src/app.ts', Line: 11, Severity: 'High', Category: 'Security', Title: 'eval', Message: 'x' }] })],
    ['snake_case aliases', JSON.stringify([{ file_path: 'src/app.ts', line_number: '11', level: 'high', type: 'security', summary: 'eval', description: 'x' }])],
    ['a raw newline inside a string', `{"findings": [{"file": "src/app.ts", "line": 11, "severity": "high", "category": "security", "title": "eval", "message": "two\nlines"}]}`],
  ])('reads %s', (_name, raw) => {
    const { findings, dropped } = parseFindings(raw, unit);
    expect(dropped).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject(expected);
  });

  it('reads an empty answer list as no findings', () => {
    expect(parse('{"findings": []}')).toEqual({ findings: [], dropped: [] });
    expect(parse('No problems found.\n```json\n{"findings": []}\n```')).toEqual({ findings: [], dropped: [] });
    expect(parse(' [ ] ')).toEqual({ findings: [], dropped: [] });
    expect(parse('```json\n[]\n```')).toEqual({ findings: [], dropped: [] });
  });

  it('does not take an empty array in prose for the answer', () => {
    expect(() => parse('It returns [] when the list is empty.')).toThrow(AnswerFormatError);
    expect(parse(`It returns [] on empty input. ${JSON.stringify([base])}`).findings).toHaveLength(1);
  });

  it('keeps newlines in the message', () => {
    expect(parse(`{"findings": [${JSON.stringify({ ...base, message: 'a\nb' })}]}`).findings[0]?.message).toBe('a\nb');
  });

  it.each([
    ['prose without JSON', 'The code looks good to me, no issues found.', /no usable JSON/],
    ['an empty answer', '', /empty/],
    ['whitespace only', '  \n\t', /empty/],
    ['a number', '42', /no usable JSON|expected/],
    ['an object that is not an answer', '{"status": "ok"}', /expected \{"findings": \[\.\.\.\]\} but got an object with "status"/],
    ['an unterminated answer', '{"findings": [{"file": "src/app.ts", "line": 11', /no usable JSON/],
  ])('throws AnswerFormatError on %s', (_name, raw, detail) => {
    let caught: unknown;
    try {
      parseFindings(raw, unit);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AnswerFormatError);
    expect((caught as AnswerFormatError).exitCode).toBe(3);
    expect((caught as AnswerFormatError).detail).toMatch(detail);
  });

  it('refuses a hostile answer (200 KB of brackets) without a quadratic scan', () => {
    expect(() => parse('{['.repeat(100_000))).toThrow(AnswerFormatError);
  });

  it('drops items that are not objects and keeps the rest', () => {
    const { findings, dropped } = parse({ findings: ['oops', base, 7] });
    expect(findings).toHaveLength(1);
    expect(dropped.map((d) => d.reason)).toEqual(['not a finding object: a string', 'not a finding object: a number']);
  });
});

describe('parseFindings: severities and categories', () => {
  it.each([
    ['blocker', 'critical'], ['CRITICAL', 'critical'],
    ['major', 'high'], ['error', 'high'], ['High', 'high'], ['severe', 'high'],
    ['medium', 'medium'], ['moderate', 'medium'], ['warning', 'medium'], ['warn', 'medium'],
    ['minor', 'low'], [' low ', 'low'],
    ['info', 'info'], ['information', 'info'], ['note', 'info'], ['nit', 'info'], ['suggestion', 'info'], ['trivial', 'info'],
  ])('severity %j → %s', (given, want) => {
    expect(one({ severity: given }).findings[0]?.severity).toBe(want);
  });

  it.each([
    ['bug', 'bug'], ['bugs', 'bug'], ['Correctness', 'bug'], ['logic', 'bug'], ['error', 'bug'],
    ['security', 'security'], ['vulnerability', 'security'], ['vuln', 'security'],
    ['performance', 'performance'], ['perf', 'performance'],
    ['style', 'style'], ['readability', 'style'], ['formatting', 'style'], ['naming', 'style'],
    ['improvement', 'improvement'], ['maintainability', 'improvement'], ['refactor', 'improvement'],
    ['best-practice', 'improvement'], ['Best Practice', 'improvement'], ['best_practice', 'improvement'], ['design', 'improvement'],
  ])('category %j → %s', (given, want) => {
    expect(one({ category: given }).findings[0]?.category).toBe(want);
  });

  it.each([
    ['severity', 'urgent', 'unknown severity "urgent"'],
    ['severity', 'constructor', 'unknown severity "constructor"'],
    ['severity', 3, 'unknown severity 3'],
    ['severity', undefined, 'unknown severity (missing)'],
    ['category', 'testing', 'unknown category "testing"'],
    ['category', 'toString', 'unknown category "toString"'],
  ])('drops an unknown %s %j instead of guessing', (key, value, reason) => {
    const { findings, dropped } = one({ [key]: value });
    expect(findings).toEqual([]);
    expect(dropped).toEqual([{ reason, title: 'eval' }]);
  });
});

describe('parseFindings: fields', () => {
  it('accepts numeric strings and ranges for line', () => {
    expect(one({ line: '11' }).findings[0]?.line).toBe(11);
    expect(one({ line: 'L11' }).findings[0]?.line).toBe(11);
    expect(one({ line: '11-12' }).findings[0]).toMatchObject({ line: 11, endLine: 12 });
  });

  it.each([[0], [-3], [11.5], ['eleven'], [null], [[11]]])('drops line %j', (line) => {
    expect(one({ line }).dropped[0]?.reason).toMatch(/^no usable line number/);
  });

  it('falls back to the first sentence of the message for a missing title', () => {
    expect(one({ title: undefined, message: 'Eval runs user input. Use JSON.parse.' }).findings[0]?.title).toBe('Eval runs user input');
    const long = `${'word '.repeat(40)}end.`;
    const title = one({ title: '  ', message: long }).findings[0]?.title ?? '';
    expect(title.length).toBeLessThanOrEqual(80);
    expect(title.endsWith('…')).toBe(true);
  });

  it('requires a non-empty message', () => {
    expect(one({ message: '   ' }).dropped).toEqual([{ reason: 'no message', title: 'eval' }]);
    expect(one({ message: 42 }).dropped[0]?.reason).toBe('no message');
  });

  it('caps title, message and suggestion', () => {
    const f = one({ title: 't'.repeat(500), message: 'm'.repeat(5000), suggestion: 's'.repeat(5000) }).findings[0];
    expect(f?.title).toHaveLength(200);
    expect(f?.message).toHaveLength(2000);
    expect(f?.suggestion).toHaveLength(2000);
    expect(f?.message.endsWith('…')).toBe(true);
  });

  it('does not split a surrogate pair when capping', () => {
    const f = one({ title: `${'t'.repeat(198)}😀😀` }).findings[0];
    expect(f?.title).toBe(`${'t'.repeat(198)}…`);
  });

  it('folds the title to one line and keeps an optional suggestion', () => {
    const f = one({ title: 'eval\n  of input', suggestion: ' Use JSON.parse. ' }).findings[0];
    expect(f?.title).toBe('eval of input');
    expect(f?.suggestion).toBe('Use JSON.parse.');
    expect(one({}).findings[0]).not.toHaveProperty('suggestion');
  });

  it('fills code from the new-side line and marks the source', () => {
    expect(one({}).findings[0]).toMatchObject({ code: 'const b = eval(x);', source: 'model' });
    expect(one({}).findings[0]).not.toHaveProperty('rule');
  });
});

describe('parseFindings: location check', () => {
  const at = (file: string, line: number | string, extra: Record<string, unknown> = {}) => one({ file, line, ...extra });

  it('keeps an added line', () => {
    for (const line of [11, 12, 14, 42]) expect(at('src/app.ts', line).findings[0]?.line).toBe(line);
  });

  it('moves a context line to the nearest added line, the earlier on a tie', () => {
    expect(at('src/app.ts', 10).findings[0]?.line).toBe(11);
    expect(at('src/app.ts', 13).findings[0]).toMatchObject({ line: 12, code: 'const d = 4;' }); // 12 and 14 tie
    expect(at('src/app.ts', 17).findings[0]?.line).toBe(14); // context at the hunk's end
    expect(at('src/app.ts', 43).findings[0]?.line).toBe(42);
  });

  it('moves a line within 3 of an added line even outside the hunks', () => {
    expect(at('src/app.ts', 8).findings[0]?.line).toBe(11);
    expect(at('src/app.ts', 45).findings[0]?.line).toBe(42);
  });

  it('drops a line far from the diff, naming it', () => {
    expect(at('src/app.ts', 500)).toEqual({ findings: [], dropped: [{ reason: 'line 500 of src/app.ts is not in the diff', title: 'eval' }] });
    expect(at('src/app.ts', 7).dropped[0]?.reason).toBe('line 7 of src/app.ts is not in the diff');
    expect(at('src/app.ts', 25).dropped).toHaveLength(1);
  });

  it('drops an unknown file and a deleted file', () => {
    expect(at('src/other.ts', 11).dropped[0]?.reason).toBe('file src/other.ts is not in the diff');
    expect(at('docs/old.md', 1).dropped[0]?.reason).toMatch(/docs\/old\.md is deleted/);
  });

  it('matches a path by a/, b/, ./ prefixes, backslashes and a unique suffix', () => {
    for (const name of ['b/src/app.ts', 'a/src/app.ts', './src/app.ts', 'src\\app.ts', '/home/me/repo/src/app.ts']) {
      expect(at(name, 11).findings[0]?.file).toBe('src/app.ts');
    }
    expect(at('util/app.ts', 1).findings[0]?.file).toBe('lib/util/app.ts');
    expect(at('app.ts', 11).dropped[0]?.reason).toBe('file app.ts matches several files in the diff');
  });

  it('prefers an exact path over stripping a/ when the repo has an "a" folder', () => {
    const u = makeUnit([
      { path: 'a/x.ts', hunks: [{ oldStart: 1, newStart: 1, lines: ['+one'] }] },
      { path: 'x.ts', hunks: [{ oldStart: 1, newStart: 1, lines: ['+two'] }] },
    ]);
    const answer = (file: string) => JSON.stringify({ findings: [{ ...base, file, line: 1 }] });
    expect(parseFindings(answer('a/x.ts'), u).findings[0]?.file).toBe('a/x.ts');
    expect(parseFindings(answer('x.ts'), u).findings[0]?.file).toBe('x.ts');
  });

  it('accepts the old path of a renamed file', () => {
    const u = makeUnit([{ path: 'src/new.ts', oldPath: 'src/old.ts', status: 'renamed', hunks: [{ oldStart: 3, newStart: 3, lines: ['+x'] }] }]);
    const r = parseFindings(JSON.stringify([{ ...base, file: 'src/old.ts', line: 3 }]), u);
    expect(r.findings[0]).toMatchObject({ file: 'src/new.ts', line: 3 });
  });

  it('uses the only file of a unit when the file is missing', () => {
    const u = oneHunkUnit('a.py', 1, 1, ['+x = 1']);
    expect(parseFindings(JSON.stringify([{ ...base, file: undefined, line: 1 }]), u).findings[0]?.file).toBe('a.py');
    expect(at('', 11).dropped[0]?.reason).toBe('no file named');
  });

  it('anchors a deletion-only hunk next to the removed lines', () => {
    const u = oneHunkUnit('src/del.ts', 20, 20, [' a', ' b', ' c', '-gone1', '-gone2', ' d', ' e']);
    const r = (line: number) => parseFindings(JSON.stringify([{ ...base, file: 'src/del.ts', line }]), u);
    // new side: a=20 b=21 c=22 d=23 e=24; the removed lines sat just before d.
    expect(r(23).findings[0]).toMatchObject({ line: 23, code: 'd' });
    expect(r(20).findings[0]?.line).toBe(23);
    expect(r(26).findings[0]?.line).toBe(23);
    expect(r(27).dropped[0]?.reason).toBe('line 27 of src/del.ts is not in the diff');
  });

  it('anchors a deletion without context at the header new start, at least 1', () => {
    const top = oneHunkUnit('x.ts', 1, 0, ['-a', '-b']);
    expect(parseFindings(JSON.stringify([{ ...base, file: 'x.ts', line: 1 }]), top).findings[0]).toMatchObject({ line: 1 });
    const mid = oneHunkUnit('x.ts', 5, 4, ['-a']);
    const f = parseFindings(JSON.stringify([{ ...base, file: 'x.ts', line: 5 }]), mid).findings[0];
    expect(f?.line).toBe(4);
    expect(f).not.toHaveProperty('code');
  });

  it('anchors a deletion-only hunk in a file that also adds lines elsewhere', () => {
    const u = makeUnit([{ path: 'm.ts', hunks: [
      { oldStart: 1, newStart: 1, lines: ['+new'] },
      { oldStart: 50, newStart: 51, lines: [' p', '-q', ' r'] },
    ] }]);
    expect(parseFindings(JSON.stringify([{ ...base, file: 'm.ts', line: 52 }]), u).findings[0]?.line).toBe(52);
  });

  it('keeps endLine only inside the same hunk and not before line', () => {
    expect(at('src/app.ts', 11, { endLine: 14 }).findings[0]?.endLine).toBe(14);
    expect(at('src/app.ts', 11, { endLine: 11 }).findings[0]?.endLine).toBe(11);
    expect(at('src/app.ts', 12, { endLine: 11 }).findings[0]).not.toHaveProperty('endLine');
    expect(at('src/app.ts', 11, { endLine: 42 }).findings[0]).not.toHaveProperty('endLine');
    expect(at('src/app.ts', 11, { endLine: 'x' }).findings[0]).not.toHaveProperty('endLine');
  });

  it('drops findings in a file whose part of the diff has no changed lines', () => {
    const u = makeUnit([{ path: 'r.ts', status: 'renamed', oldPath: 'q.ts', hunks: [] }]);
    expect(parseFindings(JSON.stringify([{ ...base, file: 'r.ts', line: 1 }]), u).dropped[0]?.reason).toBe(
      'r.ts has no changed lines in this part of the diff',
    );
  });
});

describe('parseFindings: duplicates', () => {
  it('keeps the first of identical (file, line, title), including after a move', () => {
    const { findings, dropped } = parse({
      findings: [
        base,
        { ...base, severity: 'low', title: 'EVAL' },
        { ...base, line: 10 }, // moved to 11: same place
        { ...base, title: 'other' },
        { ...base, line: 12 },
      ],
    });
    expect(findings.map((f) => `${f.line} ${f.title} ${f.severity}`)).toEqual(['11 eval high', '11 other high', '12 eval high']);
    expect(dropped).toHaveLength(2);
    expect(dropped[0]?.reason).toBe('duplicate of an earlier finding at src/app.ts:11');
  });
});

describe('repairMessages', () => {
  const request = buildPrompt(unit, { categories: ['bug'], instructions: [], boundary: 'abcdef012345' });

  it('appends the bad answer and a correction, leaving the rest alone', () => {
    const error = new AnswerFormatError('the answer contains no usable JSON');
    const fixed = repairMessages(request, 'Looks fine!', error);
    expect(fixed.system).toBe(request.system);
    expect(fixed.schema).toBe(request.schema);
    expect(fixed.messages.slice(0, 1)).toEqual(request.messages);
    expect(fixed.messages.slice(1).map((m) => m.role)).toEqual(['assistant', 'user']);
    expect(fixed.messages[1]?.content).toBe('Looks fine!');
    expect(fixed.messages[2]?.content).toContain('the answer contains no usable JSON');
    expect(fixed.messages[2]?.content).toContain('Answer again with JSON only, matching the schema');
    expect(request.messages).toHaveLength(1);
  });

  it('truncates a long bad answer and never sends an empty assistant turn', () => {
    const error = new AnswerFormatError('x');
    expect(repairMessages(request, 'y'.repeat(10_000), error).messages[1]?.content.length).toBe(2000);
    expect(repairMessages(request, '  ', error).messages[1]?.content).toBe('(empty answer)');
  });
});

describe('parseFindings: confidence', () => {
  it.each([
    ['high', 'high'],
    ['Medium', 'medium'],
    ['low', 'low'],
    ['certain', 'high'],
    ['likely', 'medium'],
    ['uncertain', 'low'],
    [0.9, 'high'],
    [0.6, 'medium'],
    [0.2, 'low'],
    ['85%', 'high'],
    [40, 'low'],
  ])('reads %j as %s', (given, expected) => {
    expect(one({ confidence: given }).findings[0]?.confidence).toBe(expected);
  });

  it('takes a finding that states no confidence, or an unreadable one, at medium (it blocks as before)', () => {
    for (const extra of [{}, { confidence: 'banana' }, { confidence: -3 }, { confidence: 1000 }, { confidence: null }]) {
      expect(one(extra).findings[0]?.confidence).toBe('medium');
    }
  });

  it('reads the certainty alias', () => {
    expect(one({ certainty: 'low' }).findings[0]?.confidence).toBe('low');
  });
});
