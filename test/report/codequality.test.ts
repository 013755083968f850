import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { renderCodeQuality } from '../../src/report/codequality.js';
import { finding, result, sampleResult } from './sample.js';

// GitLab's Code Quality report format, written from its documentation (docs.gitlab.com, "Code Quality", section
// "Code Quality report format"): a JSON array; each issue needs a description, a check_name, a fingerprint that
// is unique in the report, a severity of info/minor/major/critical/blocker, a location.path relative to the
// repository, and a line as location.lines.begin (or location.positions.begin.line).
const GITLAB_CODE_QUALITY_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    required: ['description', 'check_name', 'fingerprint', 'severity', 'location'],
    properties: {
      description: { type: 'string', minLength: 1 },
      check_name: { type: 'string', minLength: 1 },
      fingerprint: { type: 'string', minLength: 1 },
      severity: { enum: ['info', 'minor', 'major', 'critical', 'blocker'] },
      location: {
        type: 'object',
        required: ['path'],
        properties: {
          path: { type: 'string', minLength: 1, not: { pattern: '^(/|\\./)' } },
          lines: {
            type: 'object',
            required: ['begin'],
            properties: { begin: { type: 'integer', minimum: 1 }, end: { type: 'integer', minimum: 1 } },
          },
          positions: { type: 'object' },
        },
        anyOf: [{ required: ['lines'] }, { required: ['positions'] }],
      },
    },
  },
} as const;

const validate = new Ajv.default({ allErrors: true, strict: true, strictRequired: false }).compile(GITLAB_CODE_QUALITY_SCHEMA);

function parse(text: string): Array<Record<string, any>> {
  return JSON.parse(text) as Array<Record<string, any>>;
}

describe('renderCodeQuality', () => {
  it("matches GitLab's documented format, one issue per finding", () => {
    const report = parse(renderCodeQuality(sampleResult()));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report).toHaveLength(sampleResult().findings.length);
  });

  it('maps severities critical→blocker, high→critical, medium→major, low→minor, info→info, worst first', () => {
    const report = parse(renderCodeQuality(sampleResult()));
    expect(report.map((i) => i.severity)).toEqual(['blocker', 'critical', 'major', 'minor', 'minor', 'info']);
  });

  it('gives location, lines, check name and description from the finding', () => {
    const r = result([finding({ file: 'src/db.ts', line: 12, endLine: 14, source: 'builtin', rule: 'sql-injection', title: 'SQL built from strings', severity: 'high', category: 'security', suggestion: 'Bind it.' })]);
    const [issue] = parse(renderCodeQuality(r));
    expect(issue).toMatchObject({
      check_name: 'codeai-hook/sql-injection',
      description: 'SQL built from strings [sql-injection]',
      severity: 'critical',
      categories: ['Security'],
      location: { path: 'src/db.ts', lines: { begin: 12, end: 14 } },
    });
    expect(issue!.content.body).toContain('Suggestion: Bind it.');
    const [model] = parse(renderCodeQuality(result([finding({ category: 'performance' })])));
    expect(model!.check_name).toBe('codeai-hook/performance');
  });

  it('fingerprints are unique in a report, even for two findings on identical lines, and stable across runs', () => {
    const twin = { file: 'a.ts', code: 'eval(x)', title: 'eval', source: 'builtin' as const, rule: 'code-injection' };
    const r = result([finding({ ...twin, line: 3 }), finding({ ...twin, line: 9 })]);
    const first = parse(renderCodeQuality(r));
    expect(validate(first)).toBe(true);
    expect(new Set(first.map((i) => i.fingerprint)).size).toBe(2);
    expect(renderCodeQuality(r)).toBe(renderCodeQuality(r));
  });

  it('an empty review is an empty array (GitLab then shows no issues, not an error)', () => {
    expect(renderCodeQuality(result([]))).toBe('[]\n');
  });

  it('keeps control characters out of descriptions', () => {
    const [issue] = parse(renderCodeQuality(result([finding({ title: 'bad\x1b[2Jtitle\nnext' })])));
    expect(issue!.description).not.toMatch(/[\x00-\x1f]/);
  });
});
