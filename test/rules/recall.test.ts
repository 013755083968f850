// Recall and precision of the secrets rules on a generated corpus (test/rules/fixtures/secret-corpus.ts): every
// kind the issue lists, in realistic files, beside look-alikes. Targets: 99 % and 99 %, and every planted secret
// redacted before a model could see it. Time is measured by the bench, not here.
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/diff/redact.js';
import { runBuiltinRules } from '../../src/rules/scan.js';
import { SECRET_FILE_RULES, secretRules } from '../../src/rules/secrets.js';
import { CATEGORIES } from '../../src/types.js';
import { score } from './fixtures/corpus-score.js';
import { addedFile } from './fixtures/make-diff.js';
import { buildSecretCorpus } from './fixtures/secret-corpus.js';

const ALL = { disabled: [], categories: [...CATEGORIES] };
const SECRET_IDS = new Set([...secretRules(), ...SECRET_FILE_RULES].map((r) => r.id));
const corpus = buildSecretCorpus();
const files = corpus.map((f) => addedFile(f.path, f.text.split('\n')));

describe('secrets corpus', () => {
  const reports = files.flatMap((file, i) =>
    runBuiltinRules([file], ALL)
      .filter((f) => SECRET_IDS.has(f.rule ?? ''))
      .map((f) => ({ file: i, line: f.line })),
  );
  const result = score(corpus, reports);
  const detail = JSON.stringify({ missed: [...result.missed], falseBy: [...result.falseBy] });

  it('holds hundreds of planted secrets and look-alikes', () => {
    expect(result.planted).toBeGreaterThan(400);
    expect(corpus.filter((f) => f.lookAlike).length).toBeGreaterThan(200);
  });

  it('finds at least 99 % of the planted secrets', () => {
    expect(result.recall, detail).toBeGreaterThanOrEqual(0.99);
  });

  it('is right at least 99 % of the times it reports a secret', () => {
    expect(result.precision, detail).toBeGreaterThanOrEqual(0.99);
  });

  it('redacts at least 99 % of the planted secrets before anything is sent', () => {
    const leaked = corpus.flatMap((f, i) => {
      const text = redact([files[i]!]).files[0]!.hunks.flatMap((h) => h.lines.map((l) => l.text)).join('\n');
      // every long piece of the value (each line of a PEM key) must be gone
      const pieces = (v: string) => v.split(/\n|\\n/).filter((p) => p.length >= 16 && !p.startsWith('-----'));
      return f.secrets.filter((s) => pieces(s.value).some((p) => text.includes(p)) || text.includes(s.value)).map((s) => s.kind);
    });
    expect(1 - leaked.length / result.planted, leaked.join(', ')).toBeGreaterThanOrEqual(0.99);
  });
});
