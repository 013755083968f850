// GitLab Code Quality (`artifacts:reports:codequality`): the subset of the CodeClimate issue format GitLab reads, so
// findings show in the merge request's Code Quality widget and on its diff. GitLab requires, per issue:
// description, check_name, fingerprint (unique: issues with the same one are merged), severity (info, minor, major,
// critical, blocker), location.path (relative to the repository) and location.lines.begin.

import { createHash } from 'node:crypto';
import type { Finding, ReviewResult, Severity } from '../types.js';
import { fingerprint } from '../review/fingerprint.js';
import { bySeverity, visibleText } from './format.js';

export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

const SEVERITY: Record<Severity, CodeQualitySeverity> = {
  critical: 'blocker',
  high: 'critical',
  medium: 'major',
  low: 'minor',
  info: 'info',
};

export interface CodeQualityIssue {
  type: 'issue';
  check_name: string;
  description: string;
  content: { body: string };
  categories: string[];
  fingerprint: string;
  severity: CodeQualitySeverity;
  location: { path: string; lines: { begin: number; end?: number } };
}

/** Worst first, one issue per finding; two findings that would share a fingerprint get distinct ones. */
export function renderCodeQuality(result: ReviewResult): string {
  const seen = new Map<string, number>();
  const issues = [...result.findings].sort(bySeverity).map((f) => {
    const base = fingerprint(f);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return issue(f, n === 0 ? base : createHash('sha256').update(`${base}#${n}`).digest('hex').slice(0, 32));
  });
  return `${JSON.stringify(issues, null, 2)}\n`;
}

function issue(f: Finding, id: string): CodeQualityIssue {
  const begin = Math.max(1, f.line);
  const end = f.endLine !== undefined && f.endLine > begin ? f.endLine : undefined;
  const body = [f.message, f.suggestion ? `Suggestion: ${f.suggestion}` : ''].filter(Boolean).join('\n\n');
  return {
    type: 'issue',
    check_name: `codeai-hook/${f.rule ?? f.category}`,
    description: visibleText(`${f.title}${f.rule ? ` [${f.rule}]` : ''}`).replace(/\s+/g, ' ').trim(),
    content: { body: visibleText(body) },
    categories: [CATEGORY[f.category]],
    fingerprint: id,
    severity: SEVERITY[f.severity],
    location: { path: f.file, lines: end === undefined ? { begin } : { begin, end } },
  };
}

// CodeClimate's categories, which GitLab passes through.
const CATEGORY: Record<Finding['category'], string> = {
  bug: 'Bug Risk',
  security: 'Security',
  performance: 'Performance',
  style: 'Style',
  improvement: 'Clarity',
};
