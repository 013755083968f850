import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import type { Log, Result } from 'sarif';
import { describe, expect, it } from 'vitest';
import { renderSarif } from '../../src/report/sarif.js';
import type { ReviewResult } from '../../src/types.js';
import { finding, result, sampleResult } from './sample.js';

const SCHEMA = resolve(process.cwd(), '../shared/fixtures/sarif/sarif-schema-2.1.0.json');
const hasSchema = existsSync(SCHEMA);
if (!hasSchema) console.warn(`the shared SARIF schema fixture is absent (${SCHEMA}): schema validation is skipped`);

/** RFC 3986 characters only: what a percent-encoded URI (reference) may contain. */
const URI_CHARS = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/;

function sarif(r: ReviewResult): Log {
  return JSON.parse(renderSarif(r, { toolVersion: '1.2.3', informationUri: 'https://example.com/codeai-hook' }));
}

function results(r: ReviewResult): Result[] {
  return sarif(r).runs[0]?.results ?? [];
}

function uriOf(res: Result | undefined): string | undefined {
  return res?.locations?.[0]?.physicalLocation?.artifactLocation?.uri;
}

describe('renderSarif', () => {
  it.skipIf(!hasSchema)('validates against the official SARIF 2.1.0 schema', () => {
    // The runtime default export is the class itself; under NodeNext its type is the module, whose .default it is.
    const ajv = new AjvDraft04.default({ strict: false, allErrors: true });
    ajv.addFormat('uri', (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && URI_CHARS.test(s));
    ajv.addFormat('uri-reference', (s: string) => URI_CHARS.test(s));
    ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
    // The validator is live: a result without its required message, or with a line 0, is refused.
    const broken = sarif(sampleResult());
    delete (broken.runs[0]?.results?.[0] as Partial<Result>).message;
    expect(validate(broken)).toBe(false);
    const lineZero = sarif(sampleResult());
    lineZero.runs[0]!.results![0]!.locations![0]!.physicalLocation!.region!.startLine = 0;
    expect(validate(lineZero)).toBe(false);
    const awkward = finding({ file: 'docs/my file ü (1).md', line: 0, endLine: 3 });
    for (const r of [sampleResult(), result([]), result([awkward], { errors: ['unit 1 failed'], incomplete: true })]) {
      const ok = validate(sarif(r));
      expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('describes the tool and one rule per built-in rule id and per model category, sorted by id', () => {
    const log = sarif(sampleResult());
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    const driver = log.runs[0]?.tool.driver;
    expect(driver).toMatchObject({ name: 'codeai-hook', version: '1.2.3', informationUri: 'https://example.com/codeai-hook' });
    expect(driver?.rules?.map((r) => r.id)).toEqual([
      'aws-access-key',
      'codeai/bug',
      'codeai/improvement',
      'codeai/performance',
      'codeai/security',
      'codeai/style',
      'console-log', // only a suppressed finding uses it
    ]);
    expect(driver?.rules?.[0]).toEqual({
      id: 'aws-access-key',
      shortDescription: { text: 'AWS access key in source' },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security'], 'security-severity': '9.5' },
    });
    const security = driver?.rules?.find((r) => r.id === 'codeai/security');
    expect(security?.properties).toEqual({ tags: ['security'], 'security-severity': '8.0' });
    expect(driver?.rules?.find((r) => r.id === 'codeai/bug')?.properties).toEqual({ tags: ['bug'] });
  });

  it('scores security rules by their worst finding, as GitHub reads security-severity', () => {
    const score = (severity: 'critical' | 'high' | 'medium' | 'low' | 'info') =>
      sarif(result([finding({ category: 'security', severity })])).runs[0]?.tool.driver.rules?.[0]?.properties?.[
        'security-severity'
      ];
    expect([score('critical'), score('high'), score('medium'), score('low'), score('info')]).toEqual([
      '9.5',
      '8.0',
      '5.5',
      '3.0',
      undefined,
    ]);
    const mixed = result([finding({ category: 'security', severity: 'low' }), finding({ category: 'security', severity: 'high', line: 20 })]);
    expect(sarif(mixed).runs[0]?.tool.driver.rules?.[0]).toMatchObject({
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '8.0' },
    });
  });

  it('gives each finding a result with rule, level, message, location, fingerprint and properties', () => {
    const log = sarif(sampleResult());
    const rules = log.runs[0]?.tool.driver.rules ?? [];
    const res = (log.runs[0]?.results ?? []).filter((r) => !r.suppressions);
    expect(res).toHaveLength(6);
    for (const r of res) expect(rules[r.ruleIndex ?? -1]?.id).toBe(r.ruleId);
    expect(res.map((r) => r.level)).toEqual(['error', 'note', 'error', 'note', 'warning', 'note']);
    expect(res[1]).toMatchObject({
      ruleId: 'codeai/performance',
      message: {
        text: 'Users fetched one at a time\n\nEach id costs one round trip.\n\nSuggestion: Fetch all ids with one WHERE id = ANY($1) query.',
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'src/api/users.ts', uriBaseId: '%SRCROOT%' },
            region: { startLine: 57, endLine: 60 },
          },
        },
      ],
      properties: { severity: 'low', category: 'performance', source: 'model' },
    });
    expect(res[0]?.locations?.[0]?.physicalLocation?.region).toEqual({ startLine: 42 });
    expect(res[2]).toMatchObject({ ruleId: 'aws-access-key', properties: { source: 'builtin' } });
    expect(res[5]?.message.text).toBe('Error swallowed\n\nThe last error is lost.\n\nSuggestion: Rethrow the last error after the final attempt.');
  });

  it('keeps fingerprints stable across renders and when the code moves to another line', () => {
    const before = results(sampleResult()).map((r) => r.partialFingerprints?.['codeai/v1']);
    expect(before.every((fp) => typeof fp === 'string' && /^[0-9a-f]{32}$/.test(fp))).toBe(true);
    expect(new Set(before).size).toBe(before.length);
    expect(results(sampleResult()).map((r) => r.partialFingerprints?.['codeai/v1'])).toEqual(before);

    const shifted = sampleResult();
    shifted.findings = shifted.findings.map((f) => ({ ...f, line: f.line + 7, endLine: f.endLine && f.endLine + 7 }));
    const after = results(shifted);
    expect(after.map((r) => r.partialFingerprints?.['codeai/v1'])).toEqual(before);
    expect(after[0]?.locations?.[0]?.physicalLocation?.region?.startLine).toBe(49);

    const edited = sampleResult();
    edited.findings[0] = { ...edited.findings[0]!, code: 'const q = sql`SELECT 1`;' };
    expect(results(edited)[0]?.partialFingerprints?.['codeai/v1']).not.toBe(before[0]);
  });

  it('percent-encodes paths as RFC 3986 URI references, keeping /', () => {
    const uri = (file: string) => uriOf(results(result([finding({ file })]))[0]);
    expect(uri('docs/my file.md')).toBe('docs/my%20file.md');
    expect(uri('src/ünïcödé/日本.ts')).toBe('src/%C3%BCn%C3%AFc%C3%B6d%C3%A9/%E6%97%A5%E6%9C%AC.ts');
    expect(uri('a/100%#1?.ts')).toBe('a/100%25%231%3F.ts');
    // A first segment with a colon must not read as a scheme.
    expect(uri('c:x/y.ts')).toBe('c%3Ax/y.ts');
    expect(decodeURIComponent(uri('docs/my file ü (1).md') ?? '')).toBe('docs/my file ü (1).md');
    // A badly decoded name (a lone surrogate) is replaced, not a crash.
    expect(uri('bad\uD800name.ts')).toBe('bad%EF%BF%BDname.ts');
  });

  it('puts a whole-file finding on line 1, and leaves out an end line before the start', () => {
    const res = results(result([finding({ line: 0 }), finding({ line: 5, endLine: 2 })]));
    expect(res[0]?.locations?.[0]?.physicalLocation?.region).toEqual({ startLine: 1 });
    expect(res[1]?.locations?.[0]?.physicalLocation?.region).toEqual({ startLine: 5 });
  });

  it('marks an incomplete review as not successful and carries its errors as notifications', () => {
    const run = sarif(sampleResult()).runs[0];
    expect(run?.invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          {
            level: 'warning',
            message: {
              text: 'unit 3 (src/util/retry.ts): ollama timed out after 60000 ms at http://127.0.0.1:11434; built-in rules only',
            },
          },
        ],
      },
    ]);
    expect(sarif(result([])).runs[0]?.invocations).toEqual([{ executionSuccessful: true }]);
    expect(sarif(result([])).runs[0]?.results).toEqual([]);
  });

  it('is byte-identical for equal input', () => {
    const opts = { toolVersion: '1.2.3' };
    expect(renderSarif(sampleResult(), opts)).toBe(renderSarif(sampleResult(), opts));
    expect(renderSarif(sampleResult(), opts).endsWith('}\n')).toBe(true);
  });

  it('lists suppressed findings as results with suppressions and their justification', () => {
    const res = results(sampleResult());
    const marked = res.filter((r) => r.suppressions);
    expect(marked.map((r) => [r.ruleId, r.suppressions])).toEqual([
      ['console-log', [{ kind: 'inSource', justification: 'the CLI prints on purpose' }]],
      ['codeai/bug', [{ kind: 'inSource', justification: 'codeai-ignore without a reason' }]],
      ['codeai/bug', [{ kind: 'external', justification: 'listed in the baseline' }]],
    ]);
    const ids = sarif(sampleResult()).runs[0]?.tool.driver.rules?.map((r) => r.id) ?? [];
    for (const r of marked) expect(ids[r.ruleIndex ?? -1]).toBe(r.ruleId);
  });
});
