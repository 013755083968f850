import { describe, expect, it } from 'vitest';
import { validateFix, type FixTarget } from '../../src/fix/validate.js';
import { addedFile, diffFile } from './diff-file.js';

const STAGED = [
  'const a = 1;',
  'function total(items) {',
  '  let sum = 0;',
  '  for (let i = 0; i <= items.length; i++) sum += items[i];',
  '  return sum;',
  '}',
  '',
  'export { total };',
].join('\n') + '\n';

const FILE = diffFile('src/total.js', [
  {
    oldStart: 1,
    newStart: 1,
    lines: [
      ' const a = 1;',
      ' function total(items) {',
      '   let sum = 0;',
      '-  for (const item of items) sum += item;',
      '+  for (let i = 0; i <= items.length; i++) sum += items[i];',
      '   return sum;',
      ' }',
      ' ',
    ],
  },
]);

const target = (over: Partial<FixTarget> = {}): FixTarget => ({ file: FILE, content: STAGED, secretLines: new Set(), ...over });
const LOOP = '  for (let i = 0; i < items.length; i++) sum += items[i];';

async function reason(raw: unknown, over: Partial<FixTarget> = {}): Promise<string> {
  const check = await validateFix(raw, target(over));
  if ('fix' in check) throw new Error(`expected a refusal, got ${JSON.stringify(check.fix)}`);
  return check.reason;
}

describe('validateFix', () => {
  it('accepts a fix of changed or context lines of one hunk, with the staged text as its original', async () => {
    expect(await validateFix({ startLine: 4, endLine: 4, replacement: LOOP }, target())).toEqual({
      fix: { startLine: 4, endLine: 4, replacement: `${LOOP}\n`, original: `${STAGED.split('\n')[3]}\n` },
    });
    const wider = await validateFix({ startLine: 3, endLine: 5, replacement: `  let sum = 0;\n${LOOP}\n  return sum;\n` }, target());
    expect('fix' in wider).toBe(true);
    const deletion = await validateFix({ startLine: 7, endLine: 7, replacement: '' }, target());
    expect(deletion).toEqual({ fix: { startLine: 7, endLine: 7, replacement: '', original: '\n' } });
  });

  it('refuses lines the diff does not show in one hunk', async () => {
    expect(await reason({ startLine: 8, endLine: 8, replacement: 'export {};' })).toMatch(/line 8 of src\/total.js is not shown in one hunk/);
    expect(await reason({ startLine: 6, endLine: 8, replacement: '}' })).toMatch(/lines 6-8 .* are not all shown/);
  });

  it('refuses lines that no longer match the staged content, or lie past its end', async () => {
    const moved = STAGED.replace('  let sum = 0;', '  let sum = 1;');
    expect(await reason({ startLine: 3, endLine: 4, replacement: 'x' }, { content: moved })).toBe('line 3 no longer matches the staged content');
    expect(await reason({ startLine: 4, endLine: 4, replacement: 'x' }, { content: 'const a = 1;\n' })).toMatch(/past the end/);
  });

  it('refuses a malformed fix with a reason', async () => {
    expect(await reason('replace it')).toBe('the fix is not an object');
    expect(await reason({ startLine: 0, endLine: 4, replacement: 'x' })).toMatch(/no valid startLine/);
    expect(await reason({ startLine: 4.5, endLine: 4, replacement: 'x' })).toMatch(/no valid startLine/);
    expect(await reason({ startLine: 5, endLine: 4, replacement: 'x' })).toMatch(/ends \(line 4\) before it starts \(line 5\)/);
    expect(await reason({ startLine: 4, endLine: 4 })).toBe('the fix has no replacement text');
    expect(await reason({ startLine: 4, endLine: 4, replacement: 'x'.repeat(20_001) })).toMatch(/longer than 20000 characters/);
  });

  it('refuses replacement text a terminal or a reader would take for something else', async () => {
    expect(await reason({ startLine: 4, endLine: 4, replacement: 'ok\x1b[2J' })).toMatch(/control or bidirectional/);
    expect(await reason({ startLine: 4, endLine: 4, replacement: 'if (isAdmin) {\u202e } \u2066' })).toMatch(/control or bidirectional/);
    expect(await reason({ startLine: 4, endLine: 4, replacement: 'a\rb' })).toMatch(/control/);
    expect(await reason({ startLine: 4, endLine: 4, replacement: 'const k = "[REDACTED:openai-api-key]";' })).toMatch(/redaction mark/);
    // CRLF endings and tabs are ordinary text.
    expect('fix' in (await validateFix({ startLine: 4, endLine: 4, replacement: `\t${LOOP.trim()}\r\n` }, target()))).toBe(true);
  });

  it('refuses lines that hold a secret, and a fix that changes nothing', async () => {
    expect(await reason({ startLine: 3, endLine: 4, replacement: 'x' }, { secretLines: new Set([4]) })).toMatch(/hold a secret/);
    expect(await reason({ startLine: 4, endLine: 4, replacement: STAGED.split('\n')[3]! })).toBe('the replacement changes nothing');
  });

  it('refuses a file with no new side', async () => {
    expect(await reason({ startLine: 1, endLine: 1, replacement: 'x' }, { file: { ...FILE, status: 'deleted' } })).toMatch(/no text on the new side/);
    expect(await reason({ startLine: 1, endLine: 1, replacement: 'x' }, { file: { ...FILE, binary: true } })).toMatch(/no text on the new side/);
  });

  it('without the content, checks against the diff’s own lines', async () => {
    const file = addedFile('a.txt', 'one\ntwo');
    expect(await validateFix({ startLine: 2, endLine: 2, replacement: 'TWO' }, { file, secretLines: new Set() })).toEqual({
      fix: { startLine: 2, endLine: 2, replacement: 'TWO\n', original: 'two' },
    });
  });

  describe('the parse check', () => {
    const json = '{\n  "name": "app",\n  "private": true\n}\n';
    const jsonFile = addedFile('package.json', json);

    it('drops a fix that leaves JSON unparseable, keeps one that parses', async () => {
      expect(await reason({ startLine: 2, endLine: 2, replacement: '  "name": "app"' }, { file: jsonFile, content: json })).toMatch(
        /the fixed file is not valid JSON/,
      );
      const ok = await validateFix({ startLine: 2, endLine: 2, replacement: '  "name": "web",' }, { file: jsonFile, content: json, secretLines: new Set() });
      expect('fix' in ok).toBe(true);
    });

    it('does not hold a file to a parser it did not satisfy before (JSON with comments)', async () => {
      const jsonc = '{\n  // the app\n  "name": "app"\n}\n';
      const file = addedFile('tsconfig.json', jsonc);
      const ok = await validateFix({ startLine: 3, endLine: 3, replacement: '  "name": "web",,' }, { file, content: jsonc, secretLines: new Set() });
      expect('fix' in ok).toBe(true);
    });

    it('drops a fix that breaks YAML', async () => {
      const yaml = 'jobs:\n  test:\n    runs-on: ubuntu-latest\n';
      const file = addedFile('.github/workflows/ci.yml', yaml);
      expect(await reason({ startLine: 3, endLine: 3, replacement: '    runs-on: [ubuntu' }, { file, content: yaml })).toMatch(/not valid YAML/);
      const ok = await validateFix({ startLine: 3, endLine: 3, replacement: '    runs-on: ubuntu-24.04' }, { file, content: yaml, secretLines: new Set() });
      expect('fix' in ok).toBe(true);
    });
  });
});
