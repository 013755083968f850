// SARIF 2.1.0 for GitHub code scanning (and any other SARIF viewer).
// GitHub matches alerts across runs by ruleId + file + partialFingerprints, so rule ids and fingerprints must not
// depend on line numbers or on the order findings arrive in; rules are sorted by id for byte-stable output.

import type { Fix as SarifFix, Log, ReportingDescriptor, Result } from 'sarif';
import { severityRank } from '../types.js';
import type { Category, Finding, Fix, ReviewResult, Severity } from '../types.js';
import { lineRange } from '../fix/lines.js';
import { fingerprint } from '../review/fingerprint.js';
import { compareText, encodeUriPath, policyNote } from './format.js';
import { inertText, runnerSafeJson } from './runner-safe.js';

export interface SarifOptions {
  toolVersion: string;
  informationUri?: string;
}

const SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** GitHub reads `security-severity` (a number as a string, 0.0–10.0) to bucket security alerts; info has none. */
const SECURITY_SEVERITY: Partial<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

const CATEGORY_DESCRIPTION: Record<Category, string> = {
  bug: 'Likely bug found by the model review',
  security: 'Security issue found by the model review',
  performance: 'Performance issue found by the model review',
  style: 'Style issue found by the model review',
  improvement: 'Improvement suggested by the model review',
};

export function renderSarif(result: ReviewResult, opts: SarifOptions): string {
  const suppressed = result.suppressions ?? [];
  const policy = policyNote(result);
  const notes = [...(policy ? [`policy: ${policy}`] : []), ...result.errors];
  const rules = rulesOf([...result.findings, ...suppressed.map((s) => s.finding)]);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const log: Log = {
    $schema: SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'codeai-hook',
            version: opts.toolVersion,
            ...(opts.informationUri ? { informationUri: opts.informationUri } : {}),
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: !result.incomplete,
            ...(notes.length > 0
              ? { toolExecutionNotifications: notes.map((text) => ({ level: 'warning' as const, message: { text: inertText(text) } })) }
              : {}),
          },
        ],
        results: [
          ...result.findings.map((f) => {
            const id = ruleIdOf(f);
            return resultOf(f, id, ruleIndex.get(id) ?? 0);
          }),
          // Suppressed findings are results too, marked so that viewers (GitHub code scanning) close them and show
          // the justification the code gave.
          ...suppressed.map((s) => {
            const id = ruleIdOf(s.finding);
            return {
              ...resultOf(s.finding, id, ruleIndex.get(id) ?? 0),
              suppressions: [
                {
                  kind: s.kind === 'inline' ? ('inSource' as const) : ('external' as const),
                  justification: inertText(s.reason || 'codeai-ignore without a reason'),
                },
              ],
            };
          }),
        ],
      },
    ],
  };
  return `${runnerSafeJson(JSON.stringify(log, null, 2))}\n`;
}

/** A built-in rule keeps its own id; a model finding is grouped under its category. */
function ruleIdOf(f: Finding): string {
  return f.source === 'builtin' && f.rule ? f.rule : `codeai/${f.category}`;
}

function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  if (s === 'critical' || s === 'high') return 'error';
  return s === 'medium' ? 'warning' : 'note';
}

/** One rule per id used, described by the worst of its findings (the default level GitHub shows for the rule). */
function rulesOf(findings: Finding[]): ReportingDescriptor[] {
  const worst = new Map<string, Finding>();
  for (const f of findings) {
    const id = ruleIdOf(f);
    const seen = worst.get(id);
    if (!seen || severityRank(f.severity) > severityRank(seen.severity)) worst.set(id, f);
  }
  return [...worst.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([id, f]) => {
      const securitySeverity = f.category === 'security' ? SECURITY_SEVERITY[f.severity] : undefined;
      return {
        id,
        shortDescription: { text: id.startsWith('codeai/') ? CATEGORY_DESCRIPTION[f.category] : f.title },
        defaultConfiguration: { level: sarifLevel(f.severity) },
        properties: {
          tags: [f.category],
          ...(securitySeverity ? { 'security-severity': securitySeverity } : {}),
        },
      };
    });
}

function resultOf(f: Finding, ruleId: string, ruleIndex: number): Result {
  const text = [f.title, f.message, f.suggestion ? `Suggestion: ${f.suggestion}` : '']
    .filter((part) => part.length > 0)
    .join('\n\n');
  // The schema wants lines from 1; a finding about the whole file is placed on its first line.
  const startLine = Math.max(1, f.line);
  return {
    ruleId,
    ruleIndex,
    level: sarifLevel(f.severity),
    // Viewers show it as it is: control characters (raw ESC, BEL) shown as symbols.
    message: { text: inertText(text) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeUriPath(f.file), uriBaseId: '%SRCROOT%' },
          region: {
            startLine,
            ...(f.endLine !== undefined && f.endLine >= startLine ? { endLine: f.endLine } : {}),
          },
        },
      },
    ],
    partialFingerprints: { 'codeai/v1': fingerprint(f) },
    ...(f.fix ? { fixes: [fixOf(f, f.fix)] } : {}),
    properties: { severity: f.severity, category: f.category, source: f.source, ...(f.confidence ? { confidence: f.confidence } : {}) },
  };
}

/**
 * The fix as one replacement. Whole lines with their terminators run from column 1 of startLine to column 1 of the
 * line after endLine (after a final newline that is the empty last line SARIF counts); a last line without a
 * terminator ends at its own end, and the new text then goes without its final "\n". Columns count UTF-16 units,
 * SARIF's default.
 */
function fixOf(f: Finding, fix: Fix): SarifFix {
  const original = fix.original ?? '';
  const openEnd = original !== '' && !original.endsWith('\n');
  const lastLine = original.slice(original.lastIndexOf('\n') + 1);
  const deletedRegion = openEnd
    ? { startLine: fix.startLine, startColumn: 1, endLine: fix.endLine, endColumn: lastLine.length + 1 }
    : { startLine: fix.startLine, startColumn: 1, endLine: fix.endLine + 1, endColumn: 1 };
  // An empty new last line keeps its terminator: without one it would be no line at all (as applyFixes has it).
  const endsEmpty = fix.replacement === '\n' || fix.replacement.endsWith('\n\n');
  const text = openEnd && !endsEmpty ? fix.replacement.replace(/\n$/, '') : fix.replacement;
  const lines = lineRange(fix.startLine, fix.endLine);
  return {
    description: { text: inertText(`${fix.replacement === '' ? 'Delete' : 'Replace'} ${lines}: ${f.title}`) },
    artifactChanges: [
      {
        artifactLocation: { uri: encodeUriPath(f.file), uriBaseId: '%SRCROOT%' },
        replacements: [{ deletedRegion, insertedContent: { text } }],
      },
    ],
  };
}
