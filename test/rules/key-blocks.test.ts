// A private key rotated in place changes only body lines. The whole file shows where each key block is; every diff
// line inside one is redacted, on both sides, and the change is flagged. File names are redacted like lines.
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/diff/redact.js';
import { keyBlockFindings, keyBlockLines, mayBeKeyMaterial } from '../../src/rules/key-blocks.js';
import type { DiffFile } from '../../src/types.js';
import { diffFile } from './fixtures/make-diff.js';
import { checksummedToken } from './fixtures/fakes.js';

// Built at run time: no key-shaped literal sits in this file.
const BEGIN = '-----BEGIN ' + 'RSA PRIVATE KEY-----';
const END = '-----END ' + 'RSA PRIVATE KEY-----';
const body = (seed: string) => Array.from({ length: 4 }, (_, i) => `${seed}${i}`.repeat(64).slice(0, 64));
const OLD = body('MIIEowIBAAKCAQEAold');
const NEW = body('MIIEpAIBAAKCAQEAnew');

describe('keyBlockLines', () => {
  it('finds BEGIN…END blocks, and body runs next to a BEGIN or END left alone', () => {
    expect(keyBlockLines(['x = 1', BEGIN, ...NEW, END, 'y = 2'].join('\n'))).toEqual([2, 3, 4, 5, 6, 7]);
    expect(keyBlockLines([BEGIN, ...NEW, 'not base64 at all!'].join('\n'))).toEqual([1, 2, 3, 4, 5]);
    expect(keyBlockLines(['code();', ...NEW, END].join('\n'))).toEqual([2, 3, 4, 5, 6]);
    // Quoted and joined in code, with CRLF endings.
    const quoted = [`const k = "${BEGIN}\\n" +`, ...NEW.map((l) => `  "${l}\\n" +`), `  "${END}";`].join('\r\n');
    expect(keyBlockLines(quoted)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(keyBlockLines(['const pem = "-----BEGIN PUBLIC KEY-----";', ...NEW].join('\n'))).toEqual([]);
  });

  it('mayBeKeyMaterial is true for body lines and PEM markers only', () => {
    expect(mayBeKeyMaterial(NEW[0]!)).toBe(true);
    expect(mayBeKeyMaterial(END)).toBe(true);
    expect(mayBeKeyMaterial('const total = items.reduce((a, b) => a + b, 0);')).toBe(false);
  });
});

describe('a key rotated in place', () => {
  // contextLines 0: only the body lines changed, no BEGIN or END in the diff.
  const rotated = (): DiffFile => ({
    ...diffFile('deploy/key.txt', [...OLD.map((text) => ({ kind: 'del' as const, text })), ...NEW.map((text) => ({ kind: 'add' as const, text }))], { firstLine: 2 }),
    keyLines: { old: [1, 2, 3, 4, 5, 6], new: [1, 2, 3, 4, 5, 6] },
  });

  it('every changed body line is redacted, old and new, and counts as a redaction', () => {
    const { files, redactions } = redact([rotated()]);
    const texts = files[0]!.hunks.flatMap((h) => h.lines.map((l) => l.text));
    expect(new Set(texts)).toEqual(new Set(['[REDACTED:private-key]']));
    expect(redactions).toEqual([{ file: 'deploy/key.txt', rule: 'private-key' }]);
  });

  it('a hunk heading git took from the key\'s body is redacted; an ordinary heading is kept', () => {
    const headed = (heading: string, keyLines = rotated().keyLines): DiffFile => {
      const file = rotated();
      return { ...file, hunks: file.hunks.map((h) => ({ ...h, heading })), ...(keyLines ? { keyLines } : {}) };
    };
    expect(redact([headed(OLD[0]!)]).files[0]!.hunks[0]!.heading).toBe('[REDACTED:private-key]');
    expect(redact([headed('function load() {')]).files[0]!.hunks[0]!.heading).toBe('function load() {');
    // In a file that holds no key, a word-shaped heading is a heading.
    const { keyLines: _none, ...plain } = headed('main');
    expect(redact([plain]).files[0]!.hunks[0]!.heading).toBe('main');
  });

  it('is flagged as a private key on the first changed line, once per block', () => {
    const findings = keyBlockFindings([rotated()]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: 'deploy/key.txt', line: 2, endLine: 5, rule: 'private-key', severity: 'critical', source: 'builtin' });
    expect(JSON.stringify(findings)).not.toContain(NEW[0]!.slice(4, 20));
  });

  it('a block whose BEGIN line is itself added is left to the line rules (no second finding)', () => {
    const added: DiffFile = { ...diffFile('k.pem', [BEGIN, ...NEW, END].map((text) => ({ kind: 'add' as const, text })), { status: 'added' }), keyLines: { old: [], new: [1, 2, 3, 4, 5, 6] } };
    expect(keyBlockFindings([added])).toEqual([]);
  });
});

describe('file names are redacted like lines', () => {
  it('the name and the old name carry marks; two names that redact alike stay apart', () => {
    // Valid checksums: the rules, like GitHub's own push protection, ignore look-alikes.
    const token = (c: string) => checksummedToken('ghp_', `${c}7Qx2Lm9Rt4Vb8Nz3Kp6Wd1Hs5Jf0Gc`.repeat(2).slice(0, 30));
    const a = diffFile(`notes-${token('a')}.md`, [{ kind: 'add', text: 'hello' }], { status: 'added' });
    const b = { ...diffFile(`notes-${token('b')}.md`, [{ kind: 'add', text: 'hi' }]), oldPath: `old-${token('c')}.md`, status: 'renamed' as const };
    const { files, names, redactions } = redact([a, b]);
    expect(files.map((f) => f.path)).toEqual(['notes-[REDACTED:github-token].md', 'notes-[REDACTED:github-token:2].md']);
    expect(files[1]!.oldPath).toBe('old-[REDACTED:github-token].md');
    expect(names.get('notes-[REDACTED:github-token:2].md')).toBe(b.path);
    expect(JSON.stringify(files)).not.toContain('ghp_');
    expect(redactions.filter((r) => r.rule === 'github-token')).toHaveLength(3);
  });
});

describe('a model finding on a redacted name lands on the real file; reports show the name masked', () => {
  it('maps back and masks', async () => {
    const { reviewDiff } = await import('../../src/pipeline.js');
    const { DEFAULT_POLICY } = await import('../../src/policy/defaults.js');
    const { maskedResult } = await import('../../src/report/masked.js');
    const real = `docs/notes-${checksummedToken('ghp_', 'Zq7Lm2Xc9Vb4Nt8Rk3Pw6Hy1Jd5Gf0Sa'.slice(0, 30))}.md`;
    const file = diffFile(real, [{ kind: 'add', text: 'rm -rf "$DIR"/' }], { status: 'added' });
    const seen: string[] = [];
    const provider = {
      name: 'ollama' as const,
      model: 'm',
      endpoint: 'http://127.0.0.1:1',
      local: true,
      async review(request: { messages: Array<{ content: string }> }) {
        const shown = /^File: (\S+)/m.exec(request.messages[0]!.content)![1]!;
        seen.push(request.messages[0]!.content);
        return JSON.stringify({ findings: [{ file: shown, line: 1, severity: 'low', category: 'bug', title: 'Unquoted glob', message: 'm' }] });
      },
      async probe() {
        return { latencyMs: 1 };
      },
    };
    const result = await reviewDiff([file], {
      policy: { ...DEFAULT_POLICY, provider: 'ollama' },
      chooseProvider: async () => ({ provider, reason: 't' }),
      cache: null,
      userSignal: new AbortController().signal,
      baseline: null,
      suppress: true,
    });
    expect(seen.join('\n')).not.toContain('ghp_');
    expect(result.findings.map((f) => f.file)).toEqual([real]);
    const shown = maskedResult(result);
    expect(shown.findings[0]!.file).toBe('docs/notes-ghp_….md');
    expect(shown.files[0]!.path).toBe('docs/notes-ghp_….md');
    expect(JSON.stringify(shown)).not.toContain(real.slice(15, 40));
  });
});
