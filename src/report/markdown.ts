// The pull-request review in GitHub-flavoured Markdown: what changed, what was found (worst first), what to do, and
// a recommendation that follows the verdict.
//
// File names, titles and messages come from the diff and the model, so every piece of them is escaped: a '|' must not
// split a table row, a backtick or '*' must not start code or emphasis, '<' must not open HTML. Code is shown in
// <code> rather than in backticks because backslash escapes (needed for '|' inside a table) do not work inside a
// backtick span.

import { suggestionBlock } from '../fix/suggestion.js';
import type { Finding, Fix, ReviewResult } from '../types.js';
import {
  blockingSet,
  bySeverity,
  droppedPhrase,
  encodeUriPath,
  failsClosed,
  FAILED_CLOSED,
  plural,
  policyNote,
  providerPhrase,
  suppressedPhrase,
  visibleText,
} from './format.js';

export interface MarkdownOptions {
  /** e.g. "https://github.com/owner/repo"; with `ref`, file locations become links. */
  repoUrl?: string;
  /** A commit SHA (stable links) or a branch name. */
  ref?: string;
}

export function renderMarkdown(result: ReviewResult, opts: MarkdownOptions = {}): string {
  const link = linker(opts);
  const sections = [
    '## codeai-hook review',
    changeSummary(result),
    summary(result),
    changedFiles(result),
    findingsTable(result, link),
    suggestions(result, link),
    fixes(result, link),
    skippedFiles(result),
    suppressed(result),
    dropped(result),
    warnings(result),
    recommendation(result),
  ];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

/** Inline text: one line, Markdown and HTML characters made literal, '|' escaped the way GFM tables read it. */
export function escapeInline(s: string): string {
  return visibleText(s.replace(/\r\n|\r|\n/g, ' '))
    .replace(/[\\`*_[\]~|$&<>]/g, (c) => {
      if (c === '&') return '&amp;';
      if (c === '<') return '&lt;';
      if (c === '>') return '&gt;';
      return `\\${c}`;
    });
}

function code(s: string): string {
  return `<code>${escapeInline(s)}</code>`;
}

type Linker = (f: Pick<Finding, 'file' | 'line' | 'endLine'>) => string | null;

function linker({ repoUrl, ref }: MarkdownOptions): Linker {
  if (!repoUrl || !ref) return () => null;
  // Characters that would end a Markdown link destination or a table cell.
  const base = repoUrl
    .replace(/\/+$/, '')
    .replace(/[ \t\r\n()<>|]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return (f) => {
    const end = f.endLine !== undefined && f.endLine > f.line ? `-L${f.endLine}` : '';
    const anchor = f.line >= 1 ? `#L${f.line}${end}` : '';
    return `${base}/blob/${encodeUriPath(ref)}/${encodeUriPath(f.file)}${anchor}`;
  };
}

/** The model's summary heads the review: what and why, the risk, one line per file (folded when there are many). */
function changeSummary(result: ReviewResult): string {
  const s = result.summary;
  if (!s) return '';
  const risk = s.risk ? `\n\n**Risk: ${s.risk}**${s.riskReason ? ` — ${escapeInline(s.riskReason)}` : ''}` : '';
  const notes = s.files.map((f) => `- ${code(f.path)}: ${escapeInline(f.note)}`);
  const files = notes.length === 0 ? '' : notes.length > 10 ? `\n\n${details(`What changed, file by file (${notes.length})`, notes)}` : `\n\n${notes.join('\n')}`;
  return `### Summary\n\n${escapeInline(s.overview)}${risk}${files}`;
}

function summary(result: ReviewResult): string {
  const added = result.files.reduce((n, f) => n + f.added, 0);
  const removed = result.files.reduce((n, f) => n + f.removed, 0);
  const reviewed = result.files.filter((f) => f.reviewed).length;
  return [
    `**${plural(result.files.length, 'file')} changed** (+${added} -${removed}), ${reviewed} reviewed`,
    escapeInline(providerPhrase(result)),
    plural(result.units, 'unit'),
  ].join(' · ');
}

function changedFiles(result: ReviewResult): string {
  if (result.files.length === 0) return '';
  const items = result.files.map((f) => {
    const from = f.oldPath !== undefined ? ` from ${code(f.oldPath)}` : '';
    return `- ${code(f.path)} ${f.status}${from}, +${f.added} -${f.removed}`;
  });
  return details(`Changed files (${result.files.length})`, items);
}

function findingsTable(result: ReviewResult, link: Linker): string {
  if (result.findings.length === 0) return '### Findings\n\nNo findings.';
  const blocking = blockingSet(result);
  const rows = result.findings
    .map((f, index) => ({ f, blocks: blocking.has(index) }))
    .sort((a, b) => bySeverity(a.f, b.f))
    .map(({ f, blocks }) => {
      const href = link(f);
      const file = href ? `[${code(f.file)}](${href})` : code(f.file);
      const line = f.endLine !== undefined && f.endLine > f.line ? `${f.line}–${f.endLine}` : String(f.line);
      const rule = f.rule ? ` (${code(f.rule)})` : '';
      const what = `**${escapeInline(f.title)}**${rule} — ${escapeInline(f.message)}`;
      const sure = f.confidence === 'low' ? ' · low confidence' : '';
      return row([`**${f.severity}**${blocks ? ' · blocks' : ''}${sure}`, file, line, f.category, what]);
    });
  return [
    `### Findings (${result.findings.length})`,
    '',
    row(['Severity', 'File', 'Line', 'Category', 'Finding']),
    row(['---', '---', '---:', '---', '---']),
    ...rows,
  ].join('\n');
}

function suggestions(result: ReviewResult, link: Linker): string {
  const items = [...result.findings]
    .sort(bySeverity)
    .filter((f) => f.suggestion)
    .map((f) => {
      const where = code(`${f.file}:${f.line}`);
      const href = link(f);
      return `- ${href ? `[${where}](${href})` : where}: ${escapeInline(f.suggestion ?? '')}`;
    });
  return items.length > 0 ? ['### Suggestions', '', ...items].join('\n') : '';
}

/**
 * Each fix as a GitHub suggestion block under the exact lines it replaces: posted as a review comment on those lines
 * (start_line..line), it is a suggestion the author commits from the pull request page.
 */
function fixes(result: ReviewResult, link: Linker): string {
  const fixed = [...result.findings].sort(bySeverity).filter((f): f is Finding & { fix: Fix } => f.fix !== undefined);
  if (fixed.length === 0) return '';
  const items = fixed.map((f) => {
    const { startLine, endLine } = f.fix;
    const lines = startLine === endLine ? `line ${startLine}` : `lines ${startLine}–${endLine}`;
    const href = link({ file: f.file, line: startLine, endLine });
    const where = href ? `[${code(f.file)} ${lines}](${href})` : `${code(f.file)} ${lines}`;
    return `**${escapeInline(f.title)}** — ${where}:\n\n${suggestionBlock(f.fix)}`;
  });
  return [`### Fixes (${fixed.length})`, '', ...items.flatMap((item) => [item, ''])].join('\n').trimEnd();
}

function skippedFiles(result: ReviewResult): string {
  const skipped = result.files.filter((f) => f.skipped !== undefined);
  if (skipped.length === 0) return '';
  return details(
    `Skipped files (${skipped.length})`,
    skipped.map((f) => `- ${code(f.path)}: ${escapeInline(f.skipped ?? '')}`),
  );
}

/** The count, then each suppressed finding with the reason its comment gave (or "baseline"). */
function suppressed(result: ReviewResult): string {
  const phrase = suppressedPhrase(result);
  if (!phrase) return '';
  const items = (result.suppressions ?? []).map(({ finding: f, kind, reason }) => {
    const why = kind === 'baseline' ? 'baseline' : reason ? `codeai-ignore: ${escapeInline(reason)}` : 'codeai-ignore (no reason given)';
    return `- ${code(`${f.file}:${f.line}`)} ${escapeInline(f.title)}${f.rule ? ` (${code(f.rule)})` : ''} — ${why}`;
  });
  return items.length > 0 ? `${phrase}.\n\n${details(`Suppressed findings (${items.length})`, items)}` : `${phrase}.`;
}

/** Model findings refused because they point outside the diff: counted, so nothing is dropped unseen. */
function dropped(result: ReviewResult): string {
  const list = result.dropped ?? [];
  if (list.length === 0) return '';
  const items = list.map((d) => `- ${escapeInline(d.reason)}${d.title ? ` (${escapeInline(d.title)})` : ''}`);
  return details(`${droppedPhrase(list)}`, items);
}

function warnings(result: ReviewResult): string {
  const note = policyNote(result);
  const items = [...(note ? [`Policy: ${note}`] : []), ...result.errors];
  if (items.length === 0) return '';
  return ['### Warnings', '', ...items.map((e) => `- ${escapeInline(e)}`)].join('\n');
}

function recommendation(result: ReviewResult): string {
  if (result.verdict.blocked) {
    return `**Recommendation: request changes** — ${escapeInline(result.verdict.reasons.join('; '))}`;
  }
  if (failsClosed(result)) return `**Recommendation: request changes** — ${FAILED_CLOSED}; see warnings`;
  const incomplete = result.incomplete ? '; the model review was incomplete (see warnings)' : '';
  return `**Recommendation: approve** — no blocking findings${incomplete}`;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** A blank line after <summary> lets GitHub render the Markdown inside the block. */
function details(title: string, items: string[]): string {
  return [`<details>`, `<summary>${escapeInline(title)}</summary>`, '', ...items, '', '</details>'].join('\n');
}
