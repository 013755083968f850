import { escapeControl } from '../diff/quote.js';
import { confidenceRank, SEVERITIES, severityRank, type Confidence, type Finding, type Policy, type Severity, type Verdict } from '../types.js';
import { policyForFile, type FilePolicy } from './effective.js';

/** The findings one block rule caught; `rule` is the key that set it ("block.severity", "overrides[0].block.max.low"). */
interface Caught {
  rule: string;
  indexes: number[];
}

/**
 * Applies each file's effective block rules. A threshold blocks on any finding at or above it; a max blocks when
 * the findings of its severity, counted over the files where that same rule is the effective one, exceed it.
 */
export function decideVerdict(findings: Finding[], policy: Policy): Verdict {
  const filePolicies = new Map<string, FilePolicy>();
  const policyOf = (file: string): FilePolicy => {
    let effective = filePolicies.get(file);
    if (!effective) {
      effective = policyForFile(policy, file);
      filePolicies.set(file, effective);
    }
    return effective;
  };

  const thresholds = new Map<string, Caught & { threshold: Severity }>();
  const maxima = new Map<string, Caught & { severity: Severity; max: number }>();
  findings.forEach((finding, i) => {
    const effective = policyOf(finding.file);
    // Out-of-scope categories should have been dropped before; never let one block.
    if (!effective.categories.includes(finding.category)) return;
    // Shown, never blocking: neither a threshold nor a count may turn a guess into a block.
    if (!sureEnough(finding, effective.block.minConfidence)) return;

    const threshold = effective.block.severity;
    if (threshold !== 'none' && severityRank(finding.severity) >= severityRank(threshold)) {
      const rule = effective.origin.severity;
      const caught = thresholds.get(rule) ?? { rule, threshold, indexes: [] };
      caught.indexes.push(i);
      thresholds.set(rule, caught);
    }

    const max = effective.block.max[finding.severity];
    const rule = effective.origin.max[finding.severity];
    if (max !== undefined && rule !== undefined) {
      const counted = maxima.get(rule) ?? { rule, severity: finding.severity, max, indexes: [] };
      counted.indexes.push(i);
      maxima.set(rule, counted);
    }
  });

  const rules: string[] = [];
  const reasons: string[] = [];
  const blocking = new Set<number>();
  const blockedBy = (rule: string, caught: Caught) => {
    rules.push(rule);
    reasons.push(`${rule}: ${named(findings, caught)}`);
    caught.indexes.forEach((i) => blocking.add(i));
  };
  for (const caught of thresholds.values()) {
    blockedBy(`${describe(caught.indexes.map((i) => findings[i]!.severity))} at or above ${caught.threshold} (${caught.rule})`, caught);
  }
  for (const counted of maxima.values()) {
    const n = counted.indexes.length;
    if (n > counted.max) blockedBy(`${n} ${counted.severity} ${plural(n)}, more than ${counted.rule} = ${counted.max}`, counted);
  }

  return {
    blocked: reasons.length > 0,
    reasons,
    rules,
    counts: countBySeverity(findings),
    blocking: [...blocking].sort((a, b) => a - b),
  };
}

/** A finding that says nothing of its confidence (a hand-built one) is taken as sure: it blocks as it always did. */
function sureEnough(finding: Finding, minConfidence: Confidence): boolean {
  return confidenceRank(finding.confidence ?? 'high') >= confidenceRank(minConfidence);
}

/** "1 high finding", "3 findings (1 critical, 2 high)". */
function describe(severities: Severity[]): string {
  const n = severities.length;
  const distinct = SEVERITIES.filter((s) => severities.includes(s));
  if (distinct.length === 1) return `${n} ${distinct[0]} ${plural(n)}`;
  const breakdown = distinct.map((s) => `${severities.filter((x) => x === s).length} ${s}`).join(', ');
  return `${n} ${plural(n)} (${breakdown})`;
}

/** Every finding the rule caught, by name: the summary is where a user looks for what to fix. */
function named(findings: Finding[], caught: Caught): string {
  return caught.indexes
    .map((i) => findings[i]!)
    // A file name may hold a line break: the reason is one line in every report.
    .map((finding) => `${escapeControl(finding.file)}:${finding.line} ${finding.title}`)
    .join(', ');
}

function plural(n: number): string {
  return n === 1 ? 'finding' : 'findings';
}

function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}
