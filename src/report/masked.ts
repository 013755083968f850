// What every report shows of a review: the same result with each secret the rules know cut to its first characters
// (maskSecret), in file names as in text. A name like `notes-ghp_….md` is a leak wherever it is printed, and model
// messages, warnings and reasons may quote repository content. Reports render this, never the raw result; a file
// whose name holds a secret is therefore reported under its masked name.

import { maskSecretsInLine } from '../rules/scan.js';
import type { ChangeSummary, Finding, FileReport, ReviewResult } from '../types.js';

export function maskedResult(result: ReviewResult): ReviewResult {
  return {
    ...result,
    verdict: { ...result.verdict, reasons: result.verdict.reasons.map((r) => masked(r)), rules: result.verdict.rules.map((r) => masked(r)) },
    findings: result.findings.map(maskFinding),
    files: result.files.map(maskFile),
    providerReason: masked(result.providerReason),
    errors: result.errors.map((e) => masked(e)),
    ...(result.summary ? { summary: maskSummary(result.summary) } : {}),
    ...(result.summaryError !== undefined ? { summaryError: masked(result.summaryError) } : {}),
    ...(result.suppressions
      ? { suppressions: result.suppressions.map((s) => ({ ...s, finding: maskFinding(s.finding), reason: masked(s.reason, s.finding.file) })) }
      : {}),
    ...(result.dropped
      ? { dropped: result.dropped.map((d) => ({ reason: masked(d.reason), ...(d.title !== undefined ? { title: masked(d.title) } : {}) })) }
      : {}),
  };
}

function maskSummary(s: ChangeSummary): ChangeSummary {
  const out: ChangeSummary = { ...s, overview: masked(s.overview), files: s.files.map((f) => ({ path: masked(f.path, f.path), note: masked(f.note, f.path) })) };
  if (s.riskReason !== undefined) out.riskReason = masked(s.riskReason);
  return out;
}

/** Every line of `text` with its secrets masked; `path` decides rules that apply to some files only. */
export function masked(text: string, path = ''): string {
  if (text === '') return text;
  return text
    .split('\n')
    .map((line) => maskSecretsInLine(line, path))
    .join('\n');
}

function maskFinding(f: Finding): Finding {
  const out: Finding = { ...f, file: masked(f.file, f.file), title: masked(f.title, f.file), message: masked(f.message, f.file) };
  if (f.suggestion !== undefined) out.suggestion = masked(f.suggestion, f.file);
  if (f.code !== undefined) out.code = masked(f.code, f.file);
  if (f.explanation !== undefined) out.explanation = masked(f.explanation, f.file);
  // A fix is shown whole or not at all: masked, it would be a wrong change (validate.ts refuses secrets anyway).
  if (f.fix !== undefined && (masked(f.fix.replacement, f.file) !== f.fix.replacement || masked(f.fix.original ?? '', f.file) !== (f.fix.original ?? ''))) {
    delete out.fix;
  }
  return out;
}

function maskFile(f: FileReport): FileReport {
  const out: FileReport = { ...f, path: masked(f.path, f.path) };
  if (f.oldPath !== undefined) out.oldPath = masked(f.oldPath, f.oldPath);
  if (f.skipped !== undefined) out.skipped = masked(f.skipped, f.path);
  if (f.partial !== undefined) out.partial = masked(f.partial, f.path);
  return out;
}
