// How a model's answer carries a fix: parseFindings reads its shape only (validate.ts checks the rest).
import { describe, expect, it } from 'vitest';
import { parseFindings } from '../../src/review/findings.js';
import { FINDINGS_SCHEMA } from '../../src/review/schema.js';
import { oneHunkUnit } from '../review/unit.js';

const unit = oneHunkUnit('src/a.ts', 1, 1, [' const a = 1;', '-const b = 2;', '+const b = 3;', '+const c = b / 0;', ' export { a };']);
const base = { file: 'src/a.ts', line: 3, severity: 'high', category: 'bug', title: 'Division by zero', message: 'b / 0 is Infinity.' };

function fixOf(extra: Record<string, unknown>) {
  return parseFindings(JSON.stringify({ findings: [{ ...base, ...extra }] }), unit).findings[0]?.fix;
}

describe('parseFindings: fix', () => {
  it('reads the fix the schema asks for, numbers given as strings too', () => {
    expect(fixOf({ fix: { startLine: 3, endLine: 3, replacement: 'const c = b / 1;' } })).toEqual({ startLine: 3, endLine: 3, replacement: 'const c = b / 1;' });
    expect(fixOf({ fix: { startLine: '3', endLine: 'L4', replacement: '' } })).toEqual({ startLine: 3, endLine: 4, replacement: '' });
    expect(fixOf({ fix: { lines: '2-3', code: 'x' } })).toEqual({ startLine: 2, endLine: 3, replacement: 'x' });
  });

  it('takes a fix without lines for the finding’s own line, only when the finding was not moved', () => {
    expect(fixOf({ fix: { replacement: 'const c = 0;' } })).toEqual({ startLine: 3, endLine: 3, replacement: 'const c = 0;' });
    expect(fixOf({ line: 5, fix: { replacement: 'x' } })).toBeUndefined();
  });

  it('keeps a prose "fix" as the suggestion, and ignores a fix without text', () => {
    const [f] = parseFindings(JSON.stringify({ findings: [{ ...base, fix: 'Divide by a non-zero value.' }] }), unit).findings;
    expect(f?.suggestion).toBe('Divide by a non-zero value.');
    expect(f?.fix).toBeUndefined();
    expect(fixOf({ fix: { startLine: 3, endLine: 3 } })).toBeUndefined();
    expect(fixOf({ fix: { startLine: 3, endLine: 3, replacement: 'x'.repeat(20_001) } })).toBeUndefined();
  });

  it('asks for the fix in the schema, optional', () => {
    const finding = (FINDINGS_SCHEMA.properties as { findings: { items: { properties: Record<string, unknown>; required: string[] } } }).findings.items;
    expect(Object.keys(finding.properties)).toContain('fix');
    expect(finding.required).not.toContain('fix');
  });
});

describe('the review prompt asks for fixes', () => {
  it('only where local and certain, never on redacted lines', async () => {
    const { buildPrompt } = await import('../../src/review/prompt.js');
    const { system } = buildPrompt(unit, { categories: ['bug'], instructions: [] });
    expect(system).toContain('# Fixes');
    expect(system).toMatch(/only when the fix is local and certain/);
    expect(system).toMatch(/Never put a fix on a line where a secret was masked/);
  });
});
