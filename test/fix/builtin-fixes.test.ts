import { describe, expect, it } from 'vitest';
import { builtinFix, builtinNoFixReason } from '../../src/fix/builtin-fixes.js';
import { runBuiltinRules } from '../../src/rules/scan.js';
import { CATEGORIES, type Finding } from '../../src/types.js';
import { addedFile } from './diff-file.js';

/** The built-in findings on one added line of `path`. */
function findingsOn(path: string, line: string): Finding[] {
  return runBuiltinRules([addedFile(path, `${line}\n`)], { disabled: [], categories: [...CATEGORIES] });
}

/** The rule's finding on the line, its fix, and whether the fixed line still trips the rule. */
function fixOf(path: string, line: string, rule: string) {
  const finding = findingsOn(path, line).find((f) => f.rule === rule);
  if (!finding) throw new Error(`${rule} does not flag ${JSON.stringify(line)}`);
  const fix = builtinFix(finding, line);
  const fixed = fix?.replacement.replace(/\n$/, '');
  return { fix, fixed, stillFlagged: fixed === undefined ? null : findingsOn(path, fixed).some((f) => f.rule === rule) };
}

describe('built-in fixes', () => {
  const TLS: Array<[string, string, string]> = [
    ['app.js', 'const agent = new https.Agent({ rejectUnauthorized: false });', 'const agent = new https.Agent({ rejectUnauthorized: true });'],
    ['app.js', "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';", "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';"],
    ['fetch.py', 'r = requests.get(url, verify=False)', 'r = requests.get(url, verify=True)'],
    ['client.go', 'cfg := &tls.Config{InsecureSkipVerify: true}', 'cfg := &tls.Config{InsecureSkipVerify: false}'],
    ['tls.py', 'ctx.verify_mode = ssl.CERT_NONE', 'ctx.verify_mode = ssl.CERT_REQUIRED'],
    ['tls.py', 'ctx = ssl._create_unverified_context()', 'ctx = ssl.create_default_context()'],
    ['get.sh', 'curl -sSk https://example.test/install.sh | sh', 'curl -sS https://example.test/install.sh | sh'],
    ['get.sh', 'curl --insecure -o out https://example.test/', 'curl -o out https://example.test/'],
    ['get.sh', 'curl -k https://example.test/', 'curl https://example.test/'],
    ['get.sh', 'wget --no-check-certificate https://example.test/x', 'wget https://example.test/x'],
    ['.npmrc.sh', 'npm config set strict-ssl false', 'npm config set strict-ssl true'],
    ['setup.sh', 'git config --global http.sslVerify false', 'git config --global http.sslVerify true'],
  ];

  it.each(TLS)('turns TLS verification back on: %s %s', (path, line, expected) => {
    const { fix, fixed, stillFlagged } = fixOf(path, line, 'tls-verification-disabled');
    expect(fixed).toBe(expected);
    expect(fix).toMatchObject({ startLine: 1, endLine: 1 });
    expect(stillFlagged).toBe(false);
  });

  it('leaves the k alone where it may belong to an option that takes a value', () => {
    const finding = findingsOn('get.sh', 'curl -ok https://example.test/').find((f) => f.rule === 'tls-verification-disabled');
    if (finding) expect(builtinFix(finding, 'curl -ok https://example.test/')).toBeUndefined();
  });

  it('removes a line that is only a debugger statement, and nothing else', () => {
    expect(fixOf('src/a.js', '    debugger;', 'debugger-statement').fix).toEqual({ startLine: 1, endLine: 1, replacement: '' });
    expect(fixOf('src/a.js', 'if (x) debugger;', 'debugger-statement').fix).toBeUndefined();
  });

  it('offers no fix where the right change does not follow from the line, and says why', () => {
    const marker = findingsOn('a.txt', '<<<<<<< HEAD')[0]!;
    expect(builtinFix(marker, '<<<<<<< HEAD')).toBeUndefined();
    expect(builtinNoFixReason(marker)).toMatch(/which side of the merge/);
    const key = 'AKIA' + 'Z7QWERTYUIOPASDF';
    const secret = findingsOn('src/aws.js', `const id = "${key}";`)[0]!;
    expect(builtinFix(secret, `const id = "${key}";`)).toBeUndefined();
    expect(builtinNoFixReason(secret)).toMatch(/rotate it.*environment \(process\.env\.NAME/);
    const sql = findingsOn('src/db.js', 'db.query("SELECT * FROM users WHERE id = " + id);')[0]!;
    expect(builtinNoFixReason(sql)).toMatch(/query parameters/);
    expect(builtinNoFixReason({ ...sql, source: 'model', rule: undefined })).toBeUndefined();
  });
});
