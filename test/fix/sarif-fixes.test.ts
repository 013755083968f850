// SARIF `fixes`: valid against the official 2.1.0 schema, and, applied the way the SARIF spec reads regions, the same
// file as applying the fix ourselves.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import type { Log, Replacement } from 'sarif';
import { describe, expect, it } from 'vitest';
import { applyFixes } from '../../src/fix/lines.js';
import { validateFix } from '../../src/fix/validate.js';
import { renderSarif } from '../../src/report/sarif.js';
import type { Finding, Fix } from '../../src/types.js';
import { finding, result } from '../report/sample.js';
import { addedFile } from './diff-file.js';

const SCHEMA = resolve(process.cwd(), '../shared/fixtures/sarif/sarif-schema-2.1.0.json');
const hasSchema = existsSync(SCHEMA);
if (!hasSchema) console.warn(`the shared SARIF schema fixture is absent (${SCHEMA}): schema validation is skipped`);
const URI_CHARS = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/;

/** Offset of (line, column) in text: lines are delimited by \n or \r\n; after a final newline an empty line follows. */
function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let n = 1; n < line; n++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) throw new Error(`line ${line} is not in the text`);
    at = nl + 1;
  }
  const end = text.indexOf('\n', at);
  const lineEnd = end < 0 ? text.length : end > at && text[end - 1] === '\r' ? end - 1 : end;
  if (at + column - 1 > lineEnd) throw new Error(`column ${column} is past the end of line ${line}`);
  return at + column - 1;
}

function applySarif(text: string, r: Replacement): string {
  const d = r.deletedRegion;
  const start = offsetOf(text, d.startLine!, d.startColumn!);
  const end = offsetOf(text, d.endLine!, d.endColumn!);
  return text.slice(0, start) + (r.insertedContent?.text ?? '') + text.slice(end);
}

async function checked(path: string, content: string, raw: Fix): Promise<Fix> {
  const check = await validateFix(raw, { file: addedFile(path, content), content, secretLines: new Set() });
  if (!('fix' in check)) throw new Error(check.reason);
  return check.fix;
}

function sarifOf(findings: Finding[]): Log {
  return JSON.parse(renderSarif(result(findings), { toolVersion: '1.0.0' }));
}

const CASES: Array<[string, string, Fix]> = [
  ['replace a middle line', 'a\nb\nc\n', { startLine: 2, endLine: 2, replacement: 'B' }],
  ['replace with more lines', 'a\nb\nc\n', { startLine: 2, endLine: 3, replacement: 'x\ny\nz\n' }],
  ['delete lines', 'a\nb\nc\n', { startLine: 1, endLine: 2, replacement: '' }],
  ['delete the last line', 'a\nb\nc\n', { startLine: 3, endLine: 3, replacement: '' }],
  ['replace an unterminated last line', 'a\nb', { startLine: 2, endLine: 2, replacement: 'B\nC' }],
  ['end an unterminated file with an empty line', 'a\nb', { startLine: 2, endLine: 2, replacement: 'B\n\n' }],
  ['empty an unterminated one-line file', 'a', { startLine: 1, endLine: 1, replacement: '\n' }],
  ['wide characters', 'const s = "日本";\n', { startLine: 1, endLine: 1, replacement: 'const s = "日本語 😀";' }],
];

describe('SARIF fixes', () => {
  it.each(CASES)('%s: the replacement gives the file applyFixes gives', async (_, content, raw) => {
    const fix = await checked('src/a.txt', content, raw);
    const log = sarifOf([finding({ file: 'src/a.txt', line: raw.startLine, fix })]);
    const fixes = log.runs[0]!.results![0]!.fixes!;
    expect(fixes).toHaveLength(1);
    const change = fixes[0]!.artifactChanges[0]!;
    expect(change.artifactLocation).toEqual({ uri: 'src/a.txt', uriBaseId: '%SRCROOT%' });
    expect(applySarif(content, change.replacements[0]!)).toBe(applyFixes(content, [fix]));
  });

  it('a finding without a fix has no fixes', () => {
    expect(sarifOf([finding()]).runs[0]!.results![0]!.fixes).toBeUndefined();
  });

  it.skipIf(!hasSchema)('validates against the official SARIF 2.1.0 schema', async () => {
    const ajv = new AjvDraft04.default({ strict: false, allErrors: true });
    ajv.addFormat('uri', (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && URI_CHARS.test(s));
    ajv.addFormat('uri-reference', (s: string) => URI_CHARS.test(s));
    ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
    const findings: Finding[] = [];
    for (const [title, content, raw] of CASES) {
      findings.push(finding({ file: 'dir/my file ü (1).txt', line: raw.startLine, title, fix: await checked('x.txt', content, raw) }));
    }
    const log = sarifOf(findings);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // The validator reads the fixes: a replacement without its deleted region is refused.
    delete (log.runs[0]!.results![0]!.fixes![0]!.artifactChanges[0]!.replacements[0] as Partial<Replacement>).deletedRegion;
    expect(validate(log)).toBe(false);
  });
});
