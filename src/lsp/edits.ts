// The text edits behind the code actions: a finding's fix, and a `codeai-ignore` comment above its line. Both are
// computed on the buffer the finding was reviewed in and sent as a WorkspaceEdit for the editor to apply; the
// server writes nothing itself.

import type { Range, TextEdit } from 'vscode-languageserver';
import { applyFixes, splitLines } from '../fix/lines.js';
import type { Finding, Fix } from '../types.js';
import type { CommentSyntax } from './comments.js';

/** The edit that replaces the fix's lines with its replacement, ends of lines kept as fix/lines.ts keeps them. */
export function fixEdit(text: string, fix: Fix): TextEdit {
  const lines = splitLines(text);
  const start = offsetOfLine(lines, fix.startLine - 1);
  const end = offsetOfLine(lines, fix.endLine);
  const fixed = applyFixes(text, [fix]);
  const newText = fixed.slice(start, fixed.length - (text.length - end));
  return { range: rangeOf(lines, fix.startLine - 1, fix.endLine), newText };
}

/** The reason written after the rule id, for the author to replace with their own. */
const IGNORE_REASON = '<why this is fine>';

/**
 * A `codeai-ignore: <id> <reason>` comment for the finding. On a line of its own above the finding's line, indented
 * like it, it covers that line once the two are committed together (review/suppress.ts); after a shebang on line 1,
 * which must stay first, it goes at the end of the line instead. A secret's rule id is always named: a bare
 * codeai-ignore never hides a secret. Model findings are named by their category.
 */
export function ignoreEdit(text: string, finding: Finding, syntax: CommentSyntax): TextEdit {
  const lines = splitLines(text);
  const at = Math.min(Math.max(finding.line, 1), Math.max(lines.length, 1)) - 1;
  const line = lines[at] ?? { text: '', eol: '' };
  const id = finding.rule ?? finding.category;
  const comment = `${syntax.open} codeai-ignore: ${id} ${IGNORE_REASON}${syntax.close ? ` ${syntax.close}` : ''}`;
  if (at === 0 && line.text.startsWith('#!')) {
    const end = { line: 0, character: line.text.length };
    return { range: { start: end, end }, newText: ` ${comment}` };
  }
  const indent = /^\s*/.exec(line.text)?.[0] ?? '';
  const eol = lines.find((l) => l.eol !== '')?.eol ?? '\n';
  const start = { line: at, character: 0 };
  return { range: { start, end: start }, newText: `${indent}${comment}${eol}` };
}

function offsetOfLine(lines: { text: string; eol: string }[], index: number): number {
  let offset = 0;
  for (let i = 0; i < index && i < lines.length; i++) offset += lines[i]!.text.length + lines[i]!.eol.length;
  return offset;
}

/** Lines [from, to) as a range: to the start of line `to`, or to the end of a last line without a terminator. */
function rangeOf(lines: { text: string; eol: string }[], from: number, to: number): Range {
  const start = { line: from, character: 0 };
  const last = lines[to - 1];
  if (to >= lines.length && last && last.eol === '') return { start, end: { line: to - 1, character: last.text.length } };
  return { start, end: { line: to, character: 0 } };
}
