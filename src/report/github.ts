// GitHub Actions workflow commands (`::error file=…,line=…::message`), which GitHub turns into annotations on the
// pull request's diff, and the Markdown for the job summary.
//
// The runner reads commands line by line from the step's output, so any newline left in a value would start a new
// line that could pose as a command of its own. Escaping follows the runner: in data, % CR LF become %25 %0D %0A;
// in property values also : and , (which would end the key or the property list) become %3A and %2C. '%' goes
// first so text that already looks escaped ("%0A") stays literal. Every other control character (ESC, BEL…) and
// every character a .NET comparison may skip is shown as a symbol first (runner-safe.ts): nothing reaches the
// annotation raw.

import type { Finding, ReviewResult, Severity } from '../types.js';
import { blockingSet, bySeverity, failsClosed, policyNote, verdictPhrase } from './format.js';
import { renderMarkdown } from './markdown.js';
import { inertText } from './runner-safe.js';
import type { MarkdownOptions } from './markdown.js';

type AnnotationLevel = 'error' | 'warning' | 'notice';

/** GitHub shows at most this many annotations of each level per step and drops the rest. */
const ANNOTATIONS_PER_LEVEL = 10;

/**
 * The verdict first, then one command per finding, worst first: when GitHub's per-step cap drops annotations it
 * drops the last ones, so the verdict and the worst findings are the ones that stay.
 */
export function renderGithub(result: ReviewResult): string {
  const blocking = blockingSet(result);
  const findings = result.findings
    .map((f, index) => ({ f, blocks: blocking.has(index) }))
    .sort((a, b) => bySeverity(a.f, b.f));
  const note = policyNote(result);
  const lines = [
    verdictCommand(result),
    ...(note ? [command('warning', [['title', 'codeai-hook policy']], note)] : []),
    ...findings.map(({ f, blocks }) => findingCommand(f, blocks)),
  ];
  return `${lines.join('\n')}\n`;
}

/** The job summary ($GITHUB_STEP_SUMMARY) is the pull-request review in Markdown. */
export function renderJobSummary(result: ReviewResult, opts: MarkdownOptions = {}): string {
  return renderMarkdown(result, opts);
}

export function escapeData(s: string): string {
  // A line break stays one (%0A); a lone CR is a control character like any other, shown as a symbol.
  return inertText(s.replace(/\r\n/g, '\n')).replace(/%/g, '%25').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(level: AnnotationLevel, properties: [string, string][], message: string): string {
  const props = properties.map(([key, value]) => `${key}=${escapeProperty(value)}`).join(',');
  return `::${level}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

function annotationLevel(s: Severity): AnnotationLevel {
  if (s === 'critical' || s === 'high') return 'error';
  return s === 'medium' ? 'warning' : 'notice';
}

function findingCommand(f: Finding, blocks: boolean): string {
  const properties: [string, string][] = [['file', f.file]];
  if (f.line >= 1) properties.push(['line', String(f.line)]);
  if (f.line >= 1 && f.endLine !== undefined && f.endLine >= f.line) properties.push(['endLine', String(f.endLine)]);
  properties.push(['title', f.title]);
  const about = [f.severity, f.category, f.rule, blocks ? 'blocking' : undefined].filter(Boolean).join(' · ');
  const message = [`${about}: ${f.message}`, f.suggestion ? `Suggestion: ${f.suggestion}` : '']
    .filter(Boolean)
    .join('\n');
  return command(annotationLevel(f.severity), properties, message);
}

function verdictCommand(result: ReviewResult): string {
  const level: AnnotationLevel = result.verdict.blocked || failsClosed(result) ? 'error' : 'notice';
  const perLevel = new Map<AnnotationLevel, number>([[level, 1]]);
  for (const f of result.findings) {
    const l = annotationLevel(f.severity);
    perLevel.set(l, (perLevel.get(l) ?? 0) + 1);
  }
  const capped = [...perLevel.values()].some((n) => n > ANNOTATIONS_PER_LEVEL);
  const note = capped
    ? ` (GitHub shows ${ANNOTATIONS_PER_LEVEL} annotations of each level per step; the job summary lists all)`
    : '';
  return command(level, [['title', 'codeai-hook']], `${verdictPhrase(result)}${note}`);
}
