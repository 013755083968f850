import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCases, parseCase } from '../../src/eval/cases.js';

const SHIPPED = path.join(import.meta.dirname, '../../eval/cases');

const valid = [
  'id: demo-1',
  'language: JavaScript',
  'file: src/a.js',
  'bug: [2]',
  'evidence: [1, 2]',
  'fixed: |',
  '  let a = [];',
  '  use(a);',
  'buggy: |',
  '  let a = null;',
  '  use(a.length);',
  '',
].join('\n');

describe('parseCase', () => {
  it('reads a case: its change, the bug and the evidence on the buggy side', () => {
    expect(parseCase(valid, 'c.yaml')).toEqual({
      id: 'demo-1',
      language: 'javascript',
      source: {},
      change: { kind: 'files', path: 'src/a.js', fixed: 'let a = [];\nuse(a);\n', buggy: 'let a = null;\nuse(a.length);\n' },
      bug: [{ file: 'src/a.js', lines: [2] }],
      evidence: [{ file: 'src/a.js', lines: [1, 2] }],
    });
  });

  it.each([
    ['id: demo-1\nid2: x', /^c\.yaml: unknown key "id2"; allowed: /],
    [valid.replace('id: demo-1', 'id: "../x"'), /^c\.yaml: id is "\.\.\/x"; expected letters/],
    [valid.replace('file: src/a.js', 'file: ../etc/passwd'), /^c\.yaml: file is "\.\.\/etc\/passwd"; expected a relative path/],
    [valid.replace('file: src/a.js', 'file: /abs.js'), /^c\.yaml: file is "\/abs\.js"/],
    [valid.replace('bug: [2]', 'bug: [3]'), /^c\.yaml: bug is \[3\]; expected a list of line numbers of buggy, from 1 to 2$/],
    [valid.replace('bug: [2]', 'bug: []'), /^c\.yaml: bug is \[\]/],
    [valid.replace('evidence: [1, 2]', 'evidence: [0]'), /^c\.yaml: evidence is \[0\]/],
    [valid.replace('buggy: |\n  let a = null;\n  use(a.length);', 'buggy: |\n  let a = [];\n  use(a);'), /^c\.yaml: fixed and buggy are the same text/],
    ['- a\n- b\n', /^c\.yaml: a case is a mapping/],
    ['id: [unclosed', /^c\.yaml: not valid YAML: /],
    [`${valid}source: { repo: a/b, stars: 5 }\n`, /^c\.yaml: unknown key "source\.stars"/],
  ])('refuses %j in one line naming the file and key', (text, message) => {
    expect(() => parseCase(text, 'c.yaml')).toThrow(message);
  });
});

describe('the shipped set', () => {
  it('has at least 40 cases in at least 4 languages, each with its source, commit, licence and evidence', async () => {
    const cases = await loadCases(SHIPPED);
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const languages = new Set(cases.map((c) => c.language));
    expect(languages.size).toBeGreaterThanOrEqual(4);
    for (const c of cases) {
      expect(c.source.repo, c.id).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(c.source.commit, c.id).toMatch(/^[0-9a-f]{40}$/);
      expect(c.source.url, c.id).toBe(`https://github.com/${c.source.repo}/commit/${c.source.commit}`);
      expect(['MIT', 'Apache-2.0', 'BSD-3-Clause'], c.id).toContain(c.source.license);
      expect(c.description, c.id).toBeTruthy();
      // The evidence holds the bug lines and more than them or not, but never fewer.
      for (const n of c.bug[0]!.lines) expect(c.evidence[0]!.lines, c.id).toContain(n);
      // An excerpt, not a whole file.
      if (c.change.kind === 'files') expect(c.change.buggy.split('\n').length, c.id).toBeLessThan(150);
    }
  });

  it('refuses a folder with two cases of one id, and an empty or missing folder', async () => {
    await expect(loadCases(path.join(SHIPPED, 'no-such-folder'))).rejects.toThrow(/--cases .*no-such-folder: not a folder that can be read/);
    await expect(loadCases(path.join(import.meta.dirname))).rejects.toThrow(/no \.yaml case files there/);
  });
});
