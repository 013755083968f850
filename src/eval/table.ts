// The eval's product, on stdout: a table a team reads to pick a model, or the same figures as JSON.

import type { EvalCase } from './cases.js';
import type { ModelReport } from './run.js';

export interface EvalHeader {
  cases: readonly EvalCase[];
  /** "block.severity high, minConfidence medium" */
  gate: string;
  /** Where the cases came from: "the shipped set", a folder, "the last 20 fix commits". */
  from: string;
}

const COLUMNS = ['model', 'recall', 'found', 'false/change', 'false blocks', 'tokens/case', 'time/case', 'errors'];

export function renderEvalTable(header: EvalHeader, reports: readonly ModelReport[]): string {
  const rows = reports.map((r) => {
    const n = Math.max(1, r.cases.length);
    return [
      r.model,
      percent(r.caught, n),
      percent(r.found, n),
      (r.falseFindings / n).toFixed(2),
      (r.falseBlocks / n).toFixed(2),
      String(Math.round(r.tokens / n)),
      seconds(r.ms / n),
      String(r.errors),
    ];
  });
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [
    `codeai-hook eval · ${header.cases.length} case${header.cases.length === 1 ? '' : 's'} from ${header.from} (${languages(header.cases)}) · ${header.gate}`,
    '',
    line(COLUMNS),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    'recall: cases whose bug line got a blocking finding · found: any finding on it · false: findings elsewhere, per change',
    '',
  ].join('\n');
}

export function renderEvalJson(header: EvalHeader, reports: readonly ModelReport[]): string {
  const n = (r: ModelReport) => Math.max(1, r.cases.length);
  return `${JSON.stringify(
    {
      version: 1,
      from: header.from,
      gate: header.gate,
      cases: header.cases.length,
      models: reports.map((r) => ({
        model: r.model,
        recall: r.caught / n(r),
        found: r.found / n(r),
        falsePerChange: r.falseFindings / n(r),
        falseBlocksPerChange: r.falseBlocks / n(r),
        tokensPerCase: Math.round(r.tokens / n(r)),
        msPerCase: Math.round(r.ms / n(r)),
        errors: r.errors,
        cases: r.cases.map((c) => ({
          id: c.id,
          language: c.language,
          caught: c.score.caught,
          found: c.score.found,
          falseFindings: c.score.falseFindings,
          falseBlocks: c.score.falseBlocks,
          tokens: c.tokens,
          ms: c.ms,
          ...(c.error ? { error: c.error } : {}),
        })),
      })),
    },
    null,
    2,
  )}\n`;
}

function percent(part: number, whole: number): string {
  return `${((part / whole) * 100).toFixed(1)} %`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function languages(cases: readonly EvalCase[]): string {
  const counts = new Map<string, number>();
  for (const c of cases) counts.set(c.language, (counts.get(c.language) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([language, n]) => `${language} ${n}`)
    .join(', ');
}
