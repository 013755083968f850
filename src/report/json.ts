// The machine-readable report: what was reviewed as well as what was found (DESIGN.md, "Reports").
// Every object is rebuilt key by key so the bytes depend only on the values, never on how the input was built.

import { SEVERITIES } from '../types.js';
import type { ChangeSummary, FileReport, Finding, Fix, ReviewResult, SuppressedFinding, Verdict } from '../types.js';
import { fingerprint } from '../review/fingerprint.js';
import { runnerSafeJson } from './runner-safe.js';

export interface JsonOptions {
  /**
   * Run statistics (model calls, cache hits, timings) differ run to run: a re-run answered from the cache makes no
   * calls. Left out unless asked, so two runs on the same change give the same bytes.
   */
  timings?: boolean;
}

export function renderJson(result: ReviewResult, opts: JsonOptions = {}): string {
  const report = {
    version: result.version,
    verdict: verdictJson(result.verdict),
    findings: result.findings.map(findingJson),
    files: result.files.map(fileJson),
    suppressed: { inline: result.suppressed.inline, baseline: result.suppressed.baseline },
    suppressions: (result.suppressions ?? []).map(suppressionJson),
    dropped: (result.dropped ?? []).map((d) => ({ reason: d.reason, title: d.title })),
    provider: result.provider,
    model: result.model,
    providerReason: result.providerReason,
    units: result.units,
    ...(result.policy ? { policy: { file: result.policy.file, from: result.policy.from, changed: [...result.policy.changed] } } : {}),
    errors: [...result.errors],
    incomplete: result.incomplete,
    ...(result.summary ? { summary: summaryJson(result.summary) } : {}),
    ...(result.summaryError ? { summaryError: result.summaryError } : {}),
    droppedFixes: (result.droppedFixes ?? []).map((d) => ({ file: d.file, line: d.line, reason: d.reason })),
    ...(opts.timings
      ? {
          tokens: result.tokens,
          calls: result.calls,
          cached: result.cached,
          timings: {
            prepareMs: result.timings.prepareMs,
            reviewMs: result.timings.reviewMs,
            totalMs: result.timings.totalMs,
          },
        }
      : {}),
  };
  // Same values; `##[` and invisible characters \u-escaped so no CI runner takes a line for a command.
  return `${runnerSafeJson(JSON.stringify(report, null, 2))}\n`;
}

function summaryJson(s: ChangeSummary) {
  return { overview: s.overview, files: s.files.map((f) => ({ path: f.path, note: f.note })), risk: s.risk, riskReason: s.riskReason };
}

function verdictJson(v: Verdict) {
  return {
    blocked: v.blocked,
    reasons: [...v.reasons],
    counts: Object.fromEntries(SEVERITIES.map((s) => [s, v.counts[s] ?? 0])),
    blocking: [...v.blocking],
  };
}

// Optional keys stay undefined, which JSON.stringify leaves out.
function findingJson(f: Finding) {
  return {
    file: f.file,
    line: f.line,
    endLine: f.endLine,
    severity: f.severity,
    category: f.category,
    title: f.title,
    message: f.message,
    suggestion: f.suggestion,
    fix: f.fix ? fixJson(f.fix) : undefined,
    source: f.source,
    rule: f.rule,
    code: f.code,
    confidence: f.confidence,
    fingerprint: fingerprint(f),
  };
}

function suppressionJson(s: SuppressedFinding) {
  return { ...findingJson(s.finding), suppressedBy: s.kind, reason: s.reason };
}

function fixJson(fix: Fix) {
  return { startLine: fix.startLine, endLine: fix.endLine, replacement: fix.replacement, original: fix.original };
}

function fileJson(f: FileReport) {
  return {
    path: f.path,
    oldPath: f.oldPath,
    status: f.status,
    added: f.added,
    removed: f.removed,
    reviewed: f.reviewed,
    skipped: f.skipped,
    partial: f.partial,
  };
}
