// Small pieces more than one report needs, so that every report words the same fact the same way.

import { SEVERITIES, severityRank } from '../types.js';
import type { Finding, ReviewResult, Severity } from '../types.js';

/** Code-unit order, not localeCompare: the output must not depend on the machine's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** File, line, worst severity first, title: the order ReviewResult promises, re-applied where a report regroups. */
export function byPosition(a: Finding, b: Finding): number {
  return (
    compareText(a.file, b.file) ||
    a.line - b.line ||
    severityRank(b.severity) - severityRank(a.severity) ||
    compareText(a.title, b.title)
  );
}

/**
 * For reports grouped by file: the file holding the worst finding first, and within a file the worst first, so an
 * informational remark never sits above a critical one.
 */
export function worstFileFirst(findings: readonly Finding[]): (a: Finding, b: Finding) => number {
  const worst = new Map<string, number>();
  for (const f of findings) worst.set(f.file, Math.max(worst.get(f.file) ?? -1, severityRank(f.severity)));
  return (a, b) =>
    (worst.get(b.file) ?? 0) - (worst.get(a.file) ?? 0) ||
    compareText(a.file, b.file) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    byPosition(a, b);
}

/** Worst severity first, then by position. */
export function bySeverity(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || byPosition(a, b);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "1 high, 2 medium", worst first, zero counts left out; '' when all are zero. */
function countsPhrase(counts: Record<Severity, number>): string {
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
}

/** "no findings" or "3 findings (1 high, 2 medium)". */
export function findingsPhrase(result: ReviewResult): string {
  const n = result.findings.length;
  if (n === 0) return 'no findings';
  return `${plural(n, 'finding')} (${countsPhrase(result.verdict.counts)})`;
}

/** "3 findings suppressed (2 inline, 1 baseline)", or null when nothing was suppressed. */
export function suppressedPhrase(result: ReviewResult): string | null {
  const { inline, baseline } = result.suppressed;
  if (inline + baseline === 0) return null;
  const parts = [inline > 0 ? `${inline} inline` : '', baseline > 0 ? `${baseline} baseline` : ''].filter(Boolean);
  return `${plural(inline + baseline, 'finding')} suppressed (${parts.join(', ')})`;
}

/** "2 model findings dropped (1 outside the diff, 1 duplicate)". */
export function droppedPhrase(dropped: ReadonlyArray<{ reason: string }>): string {
  const kinds = new Map<string, number>();
  for (const d of dropped) {
    const kind = /^duplicate/.test(d.reason) ? 'duplicate' : /^(unknown|no usable)/.test(d.reason) ? 'unreadable' : 'outside the diff';
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const parts = [...kinds.entries()].map(([kind, n]) => `${n} ${kind}`).join(', ');
  return `${plural(dropped.length, 'model finding')} dropped (${parts})`;
}

/** An incomplete review that onError block turns into a failure (exit 3), though nothing blocked. */
export function failsClosed(result: ReviewResult): boolean {
  return !result.verdict.blocked && result.incomplete && result.onError === 'block';
}

export const FAILED_CLOSED = 'the model review did not complete (onError: block)';

/**
 * In ci, when the range changes a policy file: which policy the check used and what becomes of the edits. null when
 * the range changes none (or outside ci).
 */
export function policyNote(result: ReviewResult): string | null {
  const p = result.policy;
  if (!p || p.changed.length === 0) return null;
  const used = `${p.file ?? 'the default policy'} as at ${p.from}`;
  return p.from.endsWith('(--policy head)')
    ? `this change edits ${p.changed.join(', ')}; checked with ${used}, edits included`
    : `this change edits ${p.changed.join(', ')}; checked with ${used}: the edits apply after merge (--policy head checks with them)`;
}

/** The verdict of a check (ci, review) in one plain sentence: "check failed: a; b" or "passed: 2 findings (2 low)". */
export function verdictPhrase(result: ReviewResult): string {
  if (result.verdict.blocked) return `check failed: ${result.verdict.reasons.join('; ')}`;
  if (failsClosed(result)) return `check failed: ${FAILED_CLOSED}`;
  const incomplete = result.incomplete ? '; the model review was incomplete' : '';
  return `passed: ${findingsPhrase(result)}${incomplete}`;
}

/** "ollama (qwen2.5-coder:7b)" or "builtin". */
export function providerPhrase(result: ReviewResult): string {
  return result.model ? `${result.provider} (${result.model})` : result.provider;
}

export function blockingSet(result: ReviewResult): ReadonlySet<number> {
  return new Set(result.verdict.blocking);
}

/**
 * A repo-relative path as the path of a relative URI reference (RFC 3986): each segment percent-encoded as UTF-8,
 * '/' kept. encodeURIComponent also encodes ':' so a first segment such as "c:x" cannot read as a scheme; '(' and
 * ')' are encoded too so the result can sit inside a Markdown link.
 */
export function encodeUriPath(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(wellFormed(segment)).replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29')))
    .join('/');
}

/** Lone surrogates (a non-UTF-8 file name decoded badly) would make encodeURIComponent throw. */
function wellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * Text from the diff or the model made safe to show: control characters (an ESC could restyle or clear the
 * user's terminal) become their visible Control Pictures, and bidirectional overrides (the "Trojan Source"
 * trick) are named instead of applied. Newlines and tabs are left for the caller, which lays them out.
 */
export function visibleText(s: string): string {
  return wellFormed(s).replace(/[\x00-\x08\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
  });
}
