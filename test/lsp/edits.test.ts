// The language server's pure parts: the edits its code actions send, the comment syntax they use, the diagnostics'
// shape, and how model findings follow their lines between saves. Each edit is checked the way it will be used: the
// comment it writes must hide exactly the finding it was written for (review/suppress.ts), the fix must give the
// text fix/lines.ts gives.
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyFixes } from '../../src/fix/lines.js';
import { carryFindings, rememberFindings } from '../../src/lsp/carry.js';
import { commentSyntax } from '../../src/lsp/comments.js';
import { toDiagnostic } from '../../src/lsp/diagnostics.js';
import { fixEdit, ignoreEdit } from '../../src/lsp/edits.js';
import { applySuppressions } from '../../src/review/suppress.js';
import { wholeFileDiff } from '../../src/session/whole-file.js';
import type { DiffFile, Finding, Fix } from '../../src/types.js';

const apply = (text: string, edit: ReturnType<typeof fixEdit>) => TextDocument.applyEdits(TextDocument.create('file:///x', 'x', 1, text), [edit]);

function finding(over: Partial<Finding> = {}): Finding {
  return { file: 'src/a.js', line: 2, severity: 'critical', category: 'security', title: 'AWS access key id', message: 'AWS access key id in an added line', source: 'builtin', rule: 'aws-access-key-id', ...over };
}

describe('fixEdit', () => {
  it.each<[string, string, Fix]>([
    ['a middle line', 'a\nb\nc\n', { startLine: 2, endLine: 2, replacement: 'B\n' }],
    ['CRLF lines kept CRLF', 'a\r\nb\r\nc\r\n', { startLine: 2, endLine: 3, replacement: 'B\nC\nD\n' }],
    ['the last line without a newline', 'a\nb', { startLine: 2, endLine: 2, replacement: 'B\n' }],
    ['lines removed', 'a\nb\nc\n', { startLine: 1, endLine: 2, replacement: '' }],
    ['the unterminated last line removed', 'a\nb', { startLine: 2, endLine: 2, replacement: '' }],
    ['astral characters before the fix', '😀 x\nb\n', { startLine: 2, endLine: 2, replacement: 'B\n' }],
  ])('%s: the buffer becomes what fix/lines.ts makes of it', (_name, text, fix) => {
    expect(apply(text, fixEdit(text, fix))).toBe(applyFixes(text, [fix]));
  });
});

describe('ignoreEdit', () => {
  const key = "const key = 'AKIA…';";
  /** The finding is hidden in the diff of the edited text as a new file (all lines added, as in a change). */
  const hides = (text: string, f: Finding) => applySuppressions([f], [wholeFileDiff(f.file, text)], { baseline: null, enabled: true }).kept.length === 0;

  it.each([
    ['src/a.js', '  ', '  // codeai-ignore: aws-access-key-id <why this is fine>\n'],
    ['app.py', '    ', '    # codeai-ignore: aws-access-key-id <why this is fine>\n'],
    ['q.sql', '', '-- codeai-ignore: aws-access-key-id <why this is fine>\n'],
    ['site.css', '', '/* codeai-ignore: aws-access-key-id <why this is fine> */\n'],
    ['notes.md', '', '<!-- codeai-ignore: aws-access-key-id <why this is fine> -->\n'],
  ])('%s: a comment of its own above the line, indented like it, that hides the finding', (file, indent, comment) => {
    const f = finding({ file });
    const text = `start\n${indent}${key}\nend\n`;
    const edit = ignoreEdit(text, f, commentSyntax(file)!);
    const after = apply(text, edit);
    expect(after).toBe(`start\n${comment}${indent}${key}\nend\n`);
    expect(hides(after, f)).toBe(true);
    expect(hides(text, f)).toBe(false);
  });

  it('names a model finding by its category, and keeps the file\'s line endings', () => {
    const f = finding({ source: 'model', rule: undefined, category: 'bug', line: 1 });
    const after = apply('x = 1\r\ny = 2\r\n', ignoreEdit('x = 1\r\ny = 2\r\n', f, commentSyntax('a.py')!));
    expect(after).toBe('# codeai-ignore: bug <why this is fine>\r\nx = 1\r\ny = 2\r\n');
  });

  it('after a shebang on line 1, at the end of the line: the shebang stays first', () => {
    const text = '#!/bin/sh\necho hi\n';
    const after = apply(text, ignoreEdit(text, finding({ file: 'run.sh', line: 1 }), commentSyntax('run.sh')!));
    expect(after).toBe('#!/bin/sh # codeai-ignore: aws-access-key-id <why this is fine>\necho hi\n');
  });

  it('a file with no comments (JSON) or an unknown language has no comment syntax', () => {
    expect(commentSyntax('package.json', 'json')).toBeNull();
    expect(commentSyntax('data.xyz', '')).toBeNull();
    expect(commentSyntax('data.xyz', 'python')).toEqual({ open: '#', close: '' });
    expect(commentSyntax('.env.local')).toEqual({ open: '#', close: '' });
  });
});

describe('toDiagnostic', () => {
  it('maps each severity, names the rule, links a built-in rule to its docs, and says what blocks', () => {
    const severities = (['critical', 'high', 'medium', 'low', 'info'] as const).map((severity) => toDiagnostic(finding({ severity }), { version: 1, index: 0 }, ['a', '  b'], null).severity);
    expect(severities).toEqual([1, 1, 2, 3, 4]);
    const d = toDiagnostic(finding({ suggestion: 'Rotate it.' }), { version: 3, index: 2 }, ['a', '  b'], '1 critical finding at or above high (block.severity)');
    expect(d).toEqual({
      range: { start: { line: 1, character: 2 }, end: { line: 1, character: 3 } },
      severity: 1,
      source: 'codeai-hook',
      code: 'aws-access-key-id',
      codeDescription: { href: expect.stringMatching(/README\.md#built-in-rules$/) },
      message: 'AWS access key id in an added line\nSuggestion: Rotate it.\nWould block a commit (1 critical finding at or above high (block.severity)).',
      data: { version: 3, index: 2 },
    });
    const model = toDiagnostic(finding({ source: 'model', rule: undefined, category: 'bug', title: 'Off by one', message: 'The loop reads past the end.', endLine: 3 }), { version: 1, index: 0 }, ['a', 'b', 'ccc'], null);
    expect(model).toMatchObject({ code: 'bug', message: 'Off by one: The loop reads past the end.', range: { end: { line: 2, character: 3 } } });
    expect(model.codeDescription).toBeUndefined();
  });
});

describe('carryFindings', () => {
  const diffOf = (text: string): DiffFile => wholeFileDiff('src/a.js', text);
  const model = (line: number, fix?: Fix): Finding => finding({ source: 'model', rule: undefined, category: 'bug', line, ...(fix ? { fix } : {}) });

  it('moves a finding with its line, the fix with it; drops it when the line was edited or is no longer changed', () => {
    const reviewed = 'a\nb\nbad()\nc\n';
    const remembered = rememberFindings([model(3, { startLine: 3, endLine: 3, replacement: 'good()\n' }), finding()], reviewed.split('\n'));
    expect(remembered).toHaveLength(1); // built-in findings are found again by the rules themselves
    expect(carryFindings(remembered, diffOf(`x\ny\n${reviewed}`))).toEqual([model(5, { startLine: 5, endLine: 5, replacement: 'good()\n' })]);
    expect(carryFindings(remembered, diffOf('a\nb\nbad(1)\nc\n'))).toEqual([]);
    expect(carryFindings(remembered, undefined)).toEqual([]);
  });

  it('with the same text on several lines, the one nearest the old line', () => {
    const remembered = rememberFindings([model(4)], 'x\nx\nx\nx\nx\n'.split('\n'));
    expect(carryFindings(remembered, diffOf('x\nx\nx\ny\ny\nx\n'))[0]!.line).toBe(3);
  });
});
