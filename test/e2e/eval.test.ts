// `codeai-hook eval` through the built CLI against a fake Ollama that answers per case: the table, the JSON, several
// models, --from-history on a real history, and the one-line errors.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeServer, type RecordedRequest } from '../fakes/index.js';
import { TestRepo } from './harness.js';

const CASES: Record<string, string> = {
  'js.yaml': [
    'id: js-null-length',
    'language: javascript',
    'source: { repo: example/js, commit: "0000000000000000000000000000000000000001", license: MIT }',
    'file: a/app.js',
    'bug: [3]',
    'fixed: |',
    '  function count(list) {',
    '    if (!list) return 0;',
    '    return list.length;',
    '  }',
    'buggy: |',
    '  function count(list) {',
    '    let n = 0;',
    '    return list.length + n;',
    '  }',
    '',
  ].join('\n'),
  'py.yaml': [
    'id: py-off-by-one',
    'language: python',
    'file: b/app.py',
    'bug: [10]',
    'fixed: |',
    '  import os',
    '',
    '',
    '  def first(items):',
    '      return items[0]',
    '',
    '',
    '  def last(items):',
    '      n = len(items)',
    '      return items[n - 1]',
    'buggy: |',
    '  import os',
    '',
    '',
    '  def first(seq):',
    '      return seq[0]',
    '',
    '',
    '  def last(items):',
    '      n = len(items)',
    '      return items[n]',
    '',
  ].join('\n'),
  'go.yaml': [
    'id: go-ignored-error',
    'language: go',
    'file: c/main.go',
    'bug: [4]',
    'fixed: |',
    '  package main',
    '',
    '  func run() error {',
    '  \treturn do()',
    '  }',
    'buggy: |',
    '  package main',
    '',
    '  func run() error {',
    '  \tdo()',
    '  \treturn nil',
    '  }',
    '',
  ].join('\n'),
};

/** The fake's answer to a review request: by the file in the prompt, as a model good at some cases and not others. */
function answerFor(req: RecordedRequest) {
  const body = req.body as { model: string; messages: { content: string }[] };
  const prompt = body.messages.map((m) => m.content).join('\n');
  if (body.model === 'weak') return { findings: [] };
  const at = (file: string, line: number, confidence: string) => ({
    findings: [{ file, line, severity: 'high', category: 'bug', title: 'bug here', message: 'A bug.', confidence }],
  });
  if (prompt.includes('File: a/app.js')) return at('a/app.js', 3, 'high'); // caught
  if (prompt.includes('File: b/app.py')) return at('b/app.py', 5, 'high'); // on a harmless change: a false block
  if (prompt.includes('File: c/main.go')) return at('c/main.go', 4, 'low'); // on the bug, but too unsure to block
  if (prompt.includes('File: src/user.js')) return at('src/user.js', 2, 'high');
  return { findings: [] };
}

describe('codeai-hook eval', () => {
  let ollama: FakeServer;
  let repo: TestRepo;
  let casesDir: string;

  beforeAll(async () => {
    ollama = await startFakeOllama({ models: ['m', 'weak'] });
    ollama.setDefault(answerFor);
    repo = new TestRepo();
    repo.write('.codeairc.yaml', `provider: ollama\nmodel: m\nbaseURL: ${ollama.url}\n`);
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'start');
    casesDir = path.join(repo.home, 'cases');
    mkdirSync(path.join(casesDir, 'more'), { recursive: true });
    for (const [name, text] of Object.entries(CASES)) writeFileSync(path.join(casesDir, name === 'go.yaml' ? 'more/go.yaml' : name), text);
  });
  afterAll(async () => {
    repo?.cleanup();
    await ollama.close();
  });

  it('prints, per model, recall, found, false findings, tokens and time', async () => {
    const r = await repo.cliAsync(['eval', '--cases', casesDir, '--model', 'ollama/m,ollama/weak']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^codeai-hook eval · 3 cases from .*cases \((go 1, javascript 1, python 1)\) · block\.severity high, minConfidence medium$/);
    expect(lines[2]).toMatch(/^model\s+recall\s+found\s+false\/change\s+false blocks\s+tokens\/case\s+time\/case\s+errors$/);
    expect(lines[4]).toMatch(/^ollama m\s+33\.3 %\s+66\.7 %\s+0\.33\s+0\.33\s+\d+\s+\d+ (ms|s)\s+0$/);
    expect(lines[5]).toMatch(/^ollama weak\s+0\.0 %\s+0\.0 %\s+0\.00\s+0\.00\s+\d+\s+\d+ (ms|s)\s+0$/);
    expect(r.stderr).toContain('eval: ollama m: 3 cases reviewed');
  });

  it('--format json gives the same per case', async () => {
    const r = await repo.cliAsync(['eval', '--cases', casesDir, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.cases).toBe(3);
    const cases = Object.fromEntries(report.models[0].cases.map((c: { id: string }) => [c.id, c]));
    expect(cases['js-null-length']).toMatchObject({ caught: true, found: true, falseFindings: 0 });
    expect(cases['py-off-by-one']).toMatchObject({ caught: false, found: false, falseFindings: 1, falseBlocks: 1 });
    expect(cases['go-ignored-error']).toMatchObject({ caught: false, found: true, falseFindings: 0 });
    expect(report.models[0].recall).toBeCloseTo(1 / 3);
  });

  it('--from-history reverses this repository\'s fix commits and labels the lines each fix touched', async () => {
    const history = new TestRepo();
    try {
      history.write('.codeairc.yaml', `provider: ollama\nmodel: m\nbaseURL: ${ollama.url}\n`);
      history.write('src/user.js', 'export function name(user) {\n  return user.name;\n}\n');
      history.git('add', '.');
      history.git('commit', '-q', '-m', 'feat: user name');
      history.write('src/user.js', "export function name(user) {\n  if (!user) return '';\n  return user.name;\n}\n");
      history.git('add', '.');
      history.git('commit', '-q', '-m', 'fix: a missing user has no name');
      history.write('README.md', '# x\n');
      history.git('add', '.');
      history.git('commit', '-q', '-m', 'docs: prefix the readme'); // "prefix" is no fix
      // Two models review the one case: git's own trace shows its diff read once, for both.
      const trace = path.join(history.home, 'git-trace.txt');
      const r = await history.cliAsync(['eval', '--from-history', '5', '--format', 'json', '--model', 'ollama/m,ollama/weak'], { env: { GIT_TRACE: trace } });
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.from).toBe('the last 1 fix commits, reversed');
      expect(report.models[0].cases).toEqual([expect.objectContaining({ language: 'javascript', caught: true, falseFindings: 0 })]);
      expect(report.models[1].cases).toEqual([expect.objectContaining({ language: 'javascript', caught: false })]);
      const [fix, parent] = history.git('rev-parse', 'HEAD~1', 'HEAD~2').trim().split('\n');
      const caseDiffs = readFileSync(trace, 'utf8')
        .split('\n')
        .filter((line) => / git diff /.test(line) && line.endsWith(` ${fix} ${parent} --`) && !line.includes('--function-context'));
      expect(caseDiffs).toHaveLength(1);
      // The scratch work happens outside: the repository is as it was.
      expect(history.git('status', '--porcelain')).toBe('');
    } finally {
      history.cleanup();
    }
  });

  it.each([
    [['--cases', 'nowhere'], /^codeai-hook: --cases nowhere: not a folder that can be read/],
    [['--cases', 'x', '--from-history', '3'], /^codeai-hook: eval takes --cases DIR or --from-history N, not both/],
    [['--from-history', 'many'], /^codeai-hook: --from-history is 'many'; expected a number of commits from 1 to 1000/],
    [['--format', 'xml'], /^codeai-hook: --format has 'xml'; allowed: table, json/],
    [['--model', 'builtin/x'], /^codeai-hook: --model has 'builtin\/x'; expected \[provider\/\]model/],
  ])('%j is one line and exit 2', async (args, message) => {
    const r = await repo.cliAsync(['eval', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a broken case file is one line naming the file and key', async () => {
    const dir = path.join(repo.home, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'bad.yaml'), CASES['js.yaml']!.replace('bug: [3]', 'bug: [99]'));
    const r = await repo.cliAsync(['eval', '--cases', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^codeai-hook: .*bad\.yaml: bug is \[99\]; expected a list of line numbers of buggy, from 1 to 4$/);
  });
});
