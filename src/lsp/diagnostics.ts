// A review's findings as the editor's diagnostics: one per finding on its lines, the severity mapped, the rule id
// (or the model's category) as the code, the message with the suggestion, a link to the rules' documentation for
// a built-in rule, and whether it would block a commit. Pure: the text is the masked result's (report/masked.ts),
// as in every report, since editors log what servers send.

import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { packageRoot } from '../package-root.js';
import type { Finding, Severity } from '../types.js';

export const SOURCE = 'codeai-hook';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  critical: DiagnosticSeverity.Error,
  high: DiagnosticSeverity.Error,
  medium: DiagnosticSeverity.Warning,
  low: DiagnosticSeverity.Information,
  info: DiagnosticSeverity.Hint,
};

/** What a code action needs to find the finding again: the document version it was published for, and its index. */
export interface FindingRef {
  version: number;
  index: number;
}

/** The built-in rules' table in the README that ships with the package. */
function rulesDocs(): string {
  return `${pathToFileURL(path.join(packageRoot(), 'README.md')).href}#built-in-rules`;
}

/**
 * `lines`: the buffer's lines the finding was placed on, for the range (from the first non-blank character to the
 * end of the last line). `blocking`: the verdict's reason when this finding would block a commit.
 */
export function toDiagnostic(f: Finding, ref: FindingRef, lines: readonly string[], blocking: string | null): Diagnostic {
  const first = Math.max(f.line, 1) - 1;
  const last = Math.max(f.endLine ?? f.line, f.line) - 1;
  const startText = lines[first] ?? '';
  // A message that starts with its title (most do) is said once.
  const text = [f.message.trim() === '' ? f.title : f.message.toLowerCase().startsWith(f.title.toLowerCase()) ? f.message : `${f.title}: ${f.message}`];
  if (f.suggestion) text.push(`Suggestion: ${f.suggestion}`);
  if (blocking) text.push(`Would block a commit (${blocking}).`);
  return {
    range: {
      start: { line: first, character: Math.min(/^\s*/.exec(startText)?.[0].length ?? 0, startText.length) },
      end: { line: last, character: (lines[last] ?? '').length },
    },
    severity: SEVERITY[f.severity],
    source: SOURCE,
    code: f.rule ?? f.category,
    ...(f.source === 'builtin' && f.rule ? { codeDescription: { href: rulesDocs() } } : {}),
    message: text.join('\n'),
    data: ref,
  };
}
