import { describe, expect, it } from 'vitest';
import { LARGE_FILE_LINES } from '../../src/rules/code.js';
import { maskSecret, replaceRanges } from '../../src/rules/mask.js';
import { builtinRuleIds, lineRules, runBuiltinRules, shannonEntropy } from '../../src/rules/scan.js';
import { wakeRules } from '../../src/rules/wake.js';
import { CATEGORIES, type DiffFile } from '../../src/types.js';
import { FAKE_AWS_KEY_ID, FAKE_GITHUB_TOKEN, FAKE_PASSWORD } from './fixtures/fakes.js';
import { addedFile, diffFile } from './fixtures/make-diff.js';

const ALL = { disabled: [], categories: [...CATEGORIES] };
const GHP = FAKE_GITHUB_TOKEN;
const AKIA = FAKE_AWS_KEY_ID;

describe('maskSecret', () => {
  it('keeps 4 characters of a key, 2 of a short password, none of a tiny one', () => {
    expect(maskSecret(GHP)).toBe('ghp_…');
    expect(maskSecret(FAKE_PASSWORD)).toBe('Tr…');
    expect(maskSecret('s3cr3t')).toBe('…');
  });

  it('replaceRanges keeps text outside the ranges byte for byte, whatever their order', () => {
    const text = 'a=SECRET1; b=SECRET2 ';
    const out = replaceRanges(text, [{ start: 13, end: 20 }, { start: 2, end: 9 }], () => '#');
    expect(out).toBe('a=#; b=# ');
  });
});

describe('shannonEntropy', () => {
  it('is 0 for one repeated character and log2(n) for n distinct ones', () => {
    expect(shannonEntropy('aaaaaaaa')).toBe(0);
    expect(shannonEntropy('abcdefgh')).toBeCloseTo(3);
  });
});

describe('runBuiltinRules', () => {
  it('reports a secret with its rule, line, hint and the line masked', () => {
    const file = addedFile('src/client.ts', ['import x from "y";', `const auth = '${GHP}'; // ${AKIA}`], 40);
    const found = runBuiltinRules([file], ALL);
    expect(found.map((f) => [f.rule, f.line, f.severity, f.category, f.source])).toEqual([
      ['aws-access-key-id', 41, 'critical', 'security', 'builtin'],
      ['github-token', 41, 'critical', 'security', 'builtin'],
    ]);
    const gh = found.find((f) => f.rule === 'github-token')!;
    expect(gh.message).toBe('GitHub token in an added line: ghp_…');
    expect(gh.code).toBe("const auth = 'ghp_…'; // AKIA…");
    expect(gh.suggestion).toMatch(/Revoke the token on GitHub/);
  });

  it('reports each of several secrets on one line, and a specific rule wins over the generic one', () => {
    const found = runBuiltinRules([addedFile('a.py', [`token = "${GHP}"; password = "${FAKE_PASSWORD}"`])], ALL);
    expect(found.map((f) => f.rule)).toEqual(['github-token', 'generic-secret']);
    expect(found[0]!.code).toBe('token = "ghp_…"; password = "Tr…"');
  });

  it('masks a secret inside a code finding too', () => {
    // codeai-ignore: command-injection a sample for the rule under test
    const line = `exec("curl -H 'Authorization: token ${GHP}' " + url);`;
    const found = runBuiltinRules([addedFile('src/a.ts', [line])], { disabled: ['github-token'], categories: [...CATEGORIES] });
    const cmd = found.find((f) => f.rule === 'command-injection')!;
    expect(cmd.code).not.toContain(GHP);
    expect(cmd.message).not.toContain(GHP);
    expect(cmd.message).toMatch(/^Shell command built from a value: `exec\(/);
  });

  it('reads only added lines', () => {
    const file = diffFile('src/a.ts', [
      { kind: 'context', text: `const a = '${GHP}';` },
      { kind: 'del', text: 'debugger;' },
      { kind: 'add', text: 'debugger;' },
    ]);
    expect(runBuiltinRules([file], ALL).map((f) => [f.rule, f.line])).toEqual([['debugger-statement', 2]]);
  });

  it('skips disabled rules and categories not asked for', () => {
    const file = addedFile('src/a.ts', [`const k = '${AKIA}';`, 'console.log(k);', '<<<<<<< HEAD']);
    const rules = (opts: { disabled: string[]; categories: (typeof CATEGORIES)[number][] }) => runBuiltinRules([file], opts).map((f) => f.rule);
    expect(rules(ALL)).toEqual(['aws-access-key-id', 'console-log', 'conflict-marker']);
    expect(rules({ disabled: ['aws-access-key-id', 'console-log'], categories: [...CATEGORIES] })).toEqual(['conflict-marker']);
    expect(rules({ disabled: [], categories: ['bug'] })).toEqual(['conflict-marker']);
    expect(rules({ disabled: [], categories: ['security', 'style'] })).toEqual(['aws-access-key-id', 'console-log']);
    expect(rules({ disabled: [], categories: [] })).toEqual([]);
  });

  it('sorts by file, line and rule table order, whatever the input order', () => {
    const a = addedFile('b/z.ts', ['debugger;', `const k = '${AKIA}';`]);
    const b = addedFile('a/y.ts', ['console.log(1); debugger;']);
    const forward = runBuiltinRules([a, b], ALL);
    expect(forward.map((f) => `${f.file}:${f.line}:${f.rule}`)).toEqual([
      'a/y.ts:1:debugger-statement',
      'a/y.ts:1:console-log',
      'b/z.ts:1:debugger-statement',
      'b/z.ts:2:aws-access-key-id',
    ]);
    expect(runBuiltinRules([b, a], ALL)).toEqual(forward);
  });

  it('counts ======= only near another conflict marker', () => {
    const far = addedFile('notes.txt', ['<<<<<<< HEAD', ...Array.from({ length: 600 }, (_, i) => `line ${i}`), '=======']);
    expect(runBuiltinRules([far], ALL).map((f) => f.rule)).toEqual(['conflict-marker']);
    const close = addedFile('notes.txt', ['<<<<<<< HEAD', 'a', '=======']);
    expect(runBuiltinRules([close], ALL).map((f) => f.rule)).toEqual(['conflict-marker', 'conflict-separator']);
  });

  it('flags a very large added file once, but not lockfiles, binaries or files at the limit', () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `export const v${i} = ${i};`);
    const big = runBuiltinRules([addedFile('src/data.ts', lines(LARGE_FILE_LINES + 1))], ALL);
    expect(big.map((f) => [f.rule, f.line, f.severity, f.category, f.message])).toEqual([
      ['large-file', 1, 'info', 'improvement', `Very large added file: ${LARGE_FILE_LINES + 1} added lines`],
    ]);
    expect(runBuiltinRules([addedFile('src/data.ts', lines(LARGE_FILE_LINES))], ALL)).toEqual([]);
    expect(runBuiltinRules([addedFile('package-lock.json', lines(LARGE_FILE_LINES + 1))], ALL)).toEqual([]);
    const binary: DiffFile = { ...addedFile('img.png', []), binary: true, added: LARGE_FILE_LINES + 1 };
    expect(runBuiltinRules([binary], ALL)).toEqual([]);
  });

  it('flags a staged .env that sets a credential, not one of public defaults, its deletion or a pure rename', () => {
    const env = addedFile('.env', ['DB_HOST=localhost', `DB_PASSWORD=${FAKE_PASSWORD}`]);
    expect(runBuiltinRules([env], ALL).map((f) => [f.rule, f.line, f.code])).toContainEqual(['env-file', 2, 'DB_PASSWORD=Tr…']);
    const defaults = addedFile('playground/.env.development', ['VITE_API_URL=https://api.example.com', 'DB_HOST=localhost']);
    expect(runBuiltinRules([defaults], ALL)).toEqual([]);
    const gone = diffFile('.env', [{ kind: 'del', text: `DB_PASSWORD=${FAKE_PASSWORD}` }], { status: 'deleted' });
    expect(runBuiltinRules([gone], ALL)).toEqual([]);
    const moved: DiffFile = { path: 'app/.env', oldPath: '.env', status: 'renamed', similarity: 100, binary: false, hunks: [], added: 0, removed: 0 };
    expect(runBuiltinRules([moved], ALL)).toEqual([]);
  });

  it('lowers a name-based secret in a comment or a test, never a provider key', () => {
    const src = addedFile('lib/request.js', ["  *    // => { username: 'tobi', password: 'ferret' }", `  // old key: ${GHP}`]);
    expect(runBuiltinRules([src], ALL).map((f) => [f.rule, f.severity])).toEqual([
      ['password-literal', 'low'],
      ['github-token', 'critical'],
    ]);
    const test = addedFile('test/auth.test.ts', [`const password = '${FAKE_PASSWORD}';`, `const auth = '${GHP}';`]);
    expect(runBuiltinRules([test], ALL).map((f) => [f.rule, f.severity])).toEqual([
      ['generic-secret', 'low'],
      ['github-token', 'critical'],
    ]);
  });

  it('has unique rule ids and lower-case ASCII keywords (lines are lower-cased before the prefilter)', () => {
    const ids = builtinRuleIds();
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of lineRules()) {
      expect(rule.keywords.length, rule.id).toBeGreaterThan(0);
      for (const k of rule.keywords) {
        expect(k, rule.id).toBe(k.toLowerCase());
        // the prefilter reads keywords as ASCII characters (prefilter.ts)
        expect(k, rule.id).toMatch(/^[\x20-\x7e]+$/);
      }
    }
  });

  it('wakes a rule whose keyword sits inside a longer keyword of another rule', () => {
    const woken = wakeRules(`key = 'sk-ant-api03-abc'`).map((r) => r.id);
    expect(woken).toContain('anthropic-api-key');
    expect(woken).toContain('openai-api-key');
    expect(wakeRules('const total = 1;').length).toBe(0);
  });
});

describe('large input', () => {
  // Lines that wake many prefilters (token, key, select, update, exec, ://, password) without being findings.
  const SAMPLE = [
    '  const token = await getToken(request.headers.authorization);',
    "  const rows = await db.query('SELECT id, name FROM users WHERE org = $1', [org]);",
    '  state.update(user, { lastSeen: Date.now() });',
    "  const url = new URL('https://api.acme.local/v1/items?page=' + page);",
    '  if (!password || password.length < 12) throw new Error("password too short");',
    '  for (const key of Object.keys(apiKeyCache)) delete apiKeyCache[key];',
    '  const match = /^(\\d+)-(\\d+)$/.exec(line);',
    '  return items.filter((item) => item.selected).map((item) => item.id);',
    '  // TODO: move the secret lookup to the vault client',
    '  export function formatAccessKeyLabel(accessKey: string): string { return accessKey.slice(0, 4); }',
  ];

  // Time is measured by `npm run bench` (rules section: throughput and a 10 MB line), never asserted here: these
  // check the result on inputs a backtracking pattern would not finish (the test timeout is the only clock).
  it('finds the one key among 100,000 added lines that wake many prefilters', () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => SAMPLE[i % SAMPLE.length]!);
    lines[50_000] = `const leaked = '${GHP}';`;
    const files = Array.from({ length: 100 }, (_, f) => addedFile(`src/m${f}.ts`, lines.slice(f * 1000, f * 1000 + 1000)));
    expect(runBuiltinRules(files, ALL).map((f) => [f.rule, f.file, f.line])).toEqual([['github-token', 'src/m50.ts', 1]]);
  });

  it('reads a 10 MB line that wakes every prefilter and opens every pattern, and finds the key at its end', () => {
    const unit = 'token=ghp_ eyJeyJ.eyJ AKIA sk- xoxb- -----BEGIN PRIVATE KEY----- "select " + a exec(` ${x} eval(y) password: "ab" ';
    const line = unit.repeat(Math.ceil((10 << 20) / unit.length)) + `k="${GHP}"`;
    const found = runBuiltinRules([addedFile('src/bundle.js', [line])], ALL);
    expect(found.filter((f) => f.rule === 'github-token').length).toBe(1);
  });

  it('reads a 200 KB minified line full of quotes and keywords, and a key at its end', () => {
    const line = `"select",'update ',"WHERE a = ",token:"x",exec(a),`.repeat(4000) + `k="${GHP}"`;
    expect(runBuiltinRules([addedFile('dist/app.js', [line])], ALL).map((f) => f.rule)).toContain('github-token');
  });
});
