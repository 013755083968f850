import { describe, expect, it } from 'vitest';
import { redact } from '../../src/diff/redact.js';
import type { DiffFile } from '../../src/types.js';
import { FAKE_AWS_KEY_ID, FAKE_GITHUB_TOKEN, PEM_BODY, pemLines } from './fixtures/fakes.js';
import { addedFile, diffFile } from './fixtures/make-diff.js';

const GHP = FAKE_GITHUB_TOKEN;
const AKIA = FAKE_AWS_KEY_ID;

const texts = (f: DiffFile) => f.hunks.flatMap((h) => h.lines.map((l) => l.text));

describe('redact', () => {
  it('replaces secrets on added, deleted and context lines, keeping everything around them', () => {
    const file = diffFile('src/a.ts', [
      { kind: 'context', text: `  const old = "${AKIA}"; // keep me` },
      { kind: 'del', text: `\tconst token = '${GHP}';  ` },
      { kind: 'add', text: `\tconst token = process.env.GITHUB_TOKEN;  ` },
      { kind: 'add', text: `x(${GHP}, ${AKIA}) \u00e9\r` },
    ]);
    const { files, redactions } = redact([file]);
    expect(texts(files[0]!)).toEqual([
      '  const old = "[REDACTED:aws-access-key-id]"; // keep me',
      "\tconst token = '[REDACTED:github-token]';  ",
      '\tconst token = process.env.GITHUB_TOKEN;  ',
      'x([REDACTED:github-token], [REDACTED:aws-access-key-id]) \u00e9\r',
    ]);
    expect(redactions).toEqual([
      { file: 'src/a.ts', line: 1, rule: 'aws-access-key-id' },
      { file: 'src/a.ts', rule: 'github-token' },
      { file: 'src/a.ts', line: 3, rule: 'github-token' },
      { file: 'src/a.ts', line: 3, rule: 'aws-access-key-id' },
    ]);
  });

  it('leaves the input untouched and copies only what it redacts', () => {
    const file = addedFile('a.env', [`TOKEN=${GHP}`, 'PLAIN=1']);
    const plain = addedFile('b.ts', ['const a = 1;']);
    const before = structuredClone([file, plain]);
    const { files } = redact([file, plain]);
    expect([file, plain]).toEqual(before);
    expect(files[0]).not.toBe(file);
    expect(files[0]!.hunks[0]).not.toBe(file.hunks[0]);
    expect(files[0]!.hunks[0]!.lines[0]).not.toBe(file.hunks[0]!.lines[0]);
    // A line, or a hunk, without a secret is shared: a large change without secrets is not held twice.
    expect(files[0]!.hunks[0]!.lines[1]).toBe(file.hunks[0]!.lines[1]);
    expect(files[1]).not.toBe(plain);
    expect(files[1]!.hunks[0]).toBe(plain.hunks[0]);
  });

  it('leaves files without secrets equal to the input', () => {
    const file = diffFile('src/a.ts', [
      { kind: 'context', text: 'const a = 1;' },
      { kind: 'del', text: 'console.log(a);' },
      { kind: 'add', text: 'const password = process.env.DB_PASSWORD;' },
    ]);
    const { files, redactions } = redact([file]);
    expect(files).toEqual([file]);
    expect(redactions).toEqual([]);
  });

  it('redacts every line of a private key block, on either side of the diff', () => {
    const key = pemLines('RSA ', PEM_BODY);
    const file = diffFile('deploy/id_rsa', [
      { kind: 'context', text: '# deploy key' },
      ...key.map((text) => ({ kind: 'del' as const, text })),
      ...key.map((text) => ({ kind: 'add' as const, text })),
      { kind: 'add', text: 'next = 1' },
    ]);
    const { files, redactions } = redact([file]);
    const out = texts(files[0]!);
    expect(out[0]).toBe('# deploy key');
    expect(out.slice(1, 9)).toEqual(Array(8).fill('[REDACTED:private-key]'));
    expect(out[9]).toBe('next = 1');
    expect(redactions.map((r) => r.rule)).toEqual(['private-key', 'private-key']);
  });

  it('redacts a one-line key in JSON and keys built by string concatenation', () => {
    const [begin, body, end] = pemLines('', [PEM_BODY[0]!]);
    const json = `  "private_key": "${begin}\\n${body}\\n${end}\\n",`;
    const [ecBegin, ecEnd] = pemLines('EC ', []);
    const concat = [`const key = '${ecBegin}\\n' +`, `  '${PEM_BODY[0]}\\n' +`, `  '${ecEnd}';`, 'export default key;'];
    const { files } = redact([addedFile('sa.json', [json]), addedFile('src/key.ts', concat)]);
    expect(texts(files[0]!)).toEqual(['  "private_key": "[REDACTED:private-key]\\n",']);
    expect(texts(files[1]!)).toEqual(["const key = '[REDACTED:private-key]\\n' +", '[REDACTED:private-key]', "[REDACTED:private-key]';", 'export default key;']);
  });

  it('redacts the body above an END line whose BEGIN the hunk does not show', () => {
    const file = diffFile('id_rsa', [
      { kind: 'context', text: PEM_BODY[0]! },
      { kind: 'del', text: PEM_BODY[1]! },
      { kind: 'add', text: 'Zm9vYmFyYmF6cXV4MTIz==' },
      { kind: 'context', text: pemLines('RSA ', [])[1]! },
    ]);
    expect(texts(redact([file]).files[0]!)).toEqual(Array(4).fill('[REDACTED:private-key]'));
  });

  it('does not swallow the code after a line that only mentions a key header', () => {
    const lines = [`const HEADER = '${pemLines('', [])[0]}';`, 'const isKey = (s: string) => s.startsWith(HEADER);'];
    expect(texts(redact([addedFile('src/pem.ts', lines)]).files[0]!)).toEqual(["const HEADER = '[REDACTED:private-key]';", lines[1]]);
  });

  it('redacts a secret in a hunk heading (git prints the enclosing line there)', () => {
    const file = addedFile('settings.py', ['x = 1']);
    file.hunks[0]!.heading = `API_TOKEN = "${GHP}"`;
    const { files, redactions } = redact([file]);
    expect(files[0]!.hunks[0]!.heading).toBe('API_TOKEN = "[REDACTED:github-token]"');
    expect(redactions).toEqual([{ file: 'settings.py', rule: 'github-token' }]);
  });
});
