// Every rule against its corpus: true positives must be found, look-alikes must not. Secrets found must also come
// out masked in findings and redacted by `redact`.
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/diff/redact.js';
import { builtinRuleIds, runBuiltinRules } from '../../src/rules/scan.js';
import { SECRET_FILE_RULES, secretRules } from '../../src/rules/secrets.js';
import { CATEGORIES } from '../../src/types.js';
import { addedFile, loadCorpus } from './fixtures/make-diff.js';

const ALL = { disabled: [], categories: [...CATEGORIES] };
const corpus = loadCorpus();
const secretLineRules = new Set(secretRules().map((r) => r.id));

const cases = corpus.flatMap((file) =>
  file.cases.map((lines, i) => ({ ...file, lines, name: `${file.rule} ${file.expect}: ${file.path} case ${i + 1}` })),
);

describe('rule corpus', () => {
  it('names only real rules, each with hits and misses (every rule has examples in examples.test.ts)', () => {
    const ids = new Set(builtinRuleIds());
    for (const rule of new Set(corpus.map((f) => f.rule))) {
      expect(ids.has(rule), rule).toBe(true);
      expect(corpus.some((f) => f.rule === rule && f.expect === 'hit'), `${rule} hits`).toBe(true);
      expect(corpus.some((f) => f.rule === rule && f.expect === 'miss'), `${rule} misses`).toBe(true);
    }
  });

  it.each(cases.filter((c) => c.expect === 'hit'))('$name', ({ rule, path, lines }) => {
    const found = runBuiltinRules([addedFile(path, lines)], ALL).filter((f) => f.rule === rule);
    expect(found.length, lines.join('\n')).toBeGreaterThan(0);
  });

  it.each(cases.filter((c) => c.expect === 'miss'))('$name', ({ rule, path, lines }) => {
    const found = runBuiltinRules([addedFile(path, lines)], ALL).filter((f) => f.rule === rule);
    expect(found.map((f) => `${f.line}: ${f.message}`)).toEqual([]);
  });
});

describe('secrets in the corpus', () => {
  const secretHits = cases.filter((c) => c.expect === 'hit' && secretLineRules.has(c.rule));

  it.each(secretHits)('never shows the secret: $name', ({ rule, path, lines }) => {
    const findings = runBuiltinRules([addedFile(path, lines)], ALL).filter((f) => f.rule === rule);
    for (const f of findings) {
      const original = lines[f.line - 1] ?? '';
      expect(f.code).not.toBe(original);
      // long key-like runs of the original line (mixed case and digits, unlike identifiers and paths) must not survive
      const keyLike = (original.match(/[A-Za-z0-9+/=_-]{16,}/g) ?? []).filter((t) => /\d/.test(t) && /[a-z]/.test(t) && /[A-Z]/.test(t));
      for (const token of keyLike) {
        expect(f.message).not.toContain(token);
        expect(f.code).not.toContain(token);
      }
      // and what is shown is no longer detectable as that secret
      const shown = runBuiltinRules([addedFile(path, [f.code ?? '', f.message])], ALL).filter((g) => g.rule === rule);
      expect(shown).toEqual([]);
    }
  });

  it.each(secretHits)('is redacted: $name', ({ rule, path, lines }) => {
    const { files, redactions } = redact([addedFile(path, lines)]);
    expect(redactions.some((r) => r.rule === rule)).toBe(true);
    const text = files[0]!.hunks[0]!.lines.map((l) => l.text);
    expect(text.join('\n')).toContain(`[REDACTED:`);
    expect(runBuiltinRules(files, ALL).filter((f) => secretLineRules.has(f.rule ?? ''))).toEqual([]);
  });

  it('judges .env files by content, line by line, so what it finds is also redacted', () => {
    expect(secretRules().map((r) => r.id)).toContain('env-file');
    expect(SECRET_FILE_RULES.map((r) => r.id)).not.toContain('env-file');
  });
});
