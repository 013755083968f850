import { describe, expect, it } from 'vitest';
import { runBuiltinRules } from '../../src/rules/scan.js';
import { applySuppressions, parseIgnoreDirectives } from '../../src/review/suppress.js';
import { fingerprint } from '../../src/review/fingerprint.js';
import { CATEGORIES, type Finding } from '../../src/types.js';
import { FAKE_GITHUB_TOKEN } from './fixtures/fakes.js';
import { addedFile, diffFile } from './fixtures/make-diff.js';

const ALL = { disabled: [], categories: [...CATEGORIES] };
const ON = { baseline: null, enabled: true };

/** Built-in findings for `lines` in src/a.ts, and what suppression keeps of them. */
function review(lines: string[]) {
  const files = [addedFile('src/a.ts', lines)];
  const findings = runBuiltinRules(files, ALL);
  return { findings, files, ...applySuppressions(findings, files, ON) };
}

describe('parseIgnoreDirectives', () => {
  const rules = (text: string) => parseIgnoreDirectives(text).map((d) => d.rules);
  it('reads bare and rule-scoped directives in any comment syntax', () => {
    expect(rules('x(); // codeai-ignore false positive')).toEqual([null]);
    expect(rules('# codeai-ignore: console-log, Debugger-Statement left on purpose')).toEqual([['console-log', 'debugger-statement']]);
    expect(rules('-- codeai-ignore:security')).toEqual([['security']]);
    expect(rules('/* codeai-ignore: sql-injection */')).toEqual([['sql-injection']]);
    expect(rules('<!-- codeai-ignore -->')).toEqual([null]);
    expect(rules('codeai-ignored; codeai-ignore-next-line')).toEqual([]);
    expect(rules('const a = 1;')).toEqual([]);
  });

  it('keeps the reason and tells a comment standing alone from one after code', () => {
    expect(parseIgnoreDirectives('  // codeai-ignore: console-log the CLI prints on purpose')).toEqual([
      { rules: ['console-log'], reason: 'the CLI prints on purpose', standalone: true },
    ]);
    expect(parseIgnoreDirectives('x(); /* codeai-ignore: sql-injection — checked by the ORM */')).toEqual([
      { rules: ['sql-injection'], reason: 'checked by the ORM', standalone: false },
    ]);
    expect(parseIgnoreDirectives('<!-- codeai-ignore -->')).toEqual([{ rules: null, reason: '', standalone: true }]);
    for (const alone of ['# codeai-ignore', '-- codeai-ignore', ' * codeai-ignore', '{/* codeai-ignore */}', '; codeai-ignore']) {
      expect(parseIgnoreDirectives(alone)[0]?.standalone, alone).toBe(true);
    }
  });
});

describe('applySuppressions', () => {
  it('suppresses with a comment on the same line', () => {
    const r = review(['debugger; // codeai-ignore stepping through the parser']);
    expect(r.findings).toHaveLength(1);
    expect(r.kept).toEqual([]);
    expect(r.suppressed).toEqual({ inline: 1, baseline: 0 });
  });

  it('suppresses with a comment on the line directly above, not two lines above', () => {
    expect(review(['// codeai-ignore', 'debugger;']).kept).toEqual([]);
    expect(review(['// codeai-ignore', '', 'debugger;']).kept.map((f) => f.rule)).toEqual(['debugger-statement']);
  });

  it('suppresses only the rules a scoped comment names', () => {
    const r = review(['# codeai-ignore: console-log debug output for the demo', 'console.log(x); debugger;']);
    expect(r.kept.map((f) => f.rule)).toEqual(['debugger-statement']);
    expect(r.suppressed.inline).toBe(1);
    expect(review(['console.log(x); // codeai-ignore: sql-injection']).kept.map((f) => f.rule)).toEqual(['console-log']);
  });

  it('matches a category name, which is how model findings (no rule id) are scoped', () => {
    const model: Finding = { file: 'src/a.ts', line: 2, severity: 'high', category: 'security', title: 'Unchecked redirect', message: 'm', source: 'model' };
    const files = [addedFile('src/a.ts', ['// codeai-ignore: security reviewed by the security team', 'res.redirect(req.query.next);'])];
    expect(applySuppressions([model], files, ON).kept).toEqual([]);
    const bug = { ...model, category: 'bug' as const };
    expect(applySuppressions([bug], files, ON).kept).toEqual([bug]);
  });

  it('does not let an old comment exempt a line added below it, nor a deleted one', () => {
    const files = [
      diffFile('src/a.ts', [
        { kind: 'context', text: '// codeai-ignore: debugger-statement' },
        { kind: 'add', text: 'debugger;' },
        { kind: 'del', text: '// codeai-ignore' },
        { kind: 'add', text: 'debugger;' },
        { kind: 'context', text: 'debugger; // codeai-ignore: debugger-statement still here' },
      ]),
    ];
    const findings = [...runBuiltinRules(files, ALL), { ...runBuiltinRules(files, ALL)[0]!, line: 4 }];
    expect(applySuppressions(findings, files, ON).kept.map((f) => f.line)).toEqual([2, 3]);
  });

  it('lets a trailing comment cover its own line only', () => {
    const r = review(['console.log(1); // codeai-ignore: console-log', 'console.log(2);']);
    expect(r.kept.map((f) => f.line)).toEqual([2]);
    const token = FAKE_GITHUB_TOKEN;
    const hidden = review([`debugger; // codeai-ignore`, `const t = "${token}";`]);
    expect(hidden.kept.map((f) => f.rule)).toEqual(['github-token']);
  });

  it('never hides a secret with a bare codeai-ignore; its rule id must be named', () => {
    const token = FAKE_GITHUB_TOKEN;
    expect(review([`const t = "${token}"; // codeai-ignore test fixture`]).kept.map((f) => f.rule)).toEqual(['github-token']);
    expect(review(['// codeai-ignore', `const t = "${token}";`]).kept.map((f) => f.rule)).toEqual(['github-token']);
    const named = review([`const t = "${token}"; // codeai-ignore: github-token revoked, kept as a fixture`]);
    expect(named.kept).toEqual([]);
    expect(named.suppressions).toEqual([
      { finding: expect.objectContaining({ file: 'src/a.ts', line: 1, rule: 'github-token' }), kind: 'inline', reason: 'revoked, kept as a fixture' },
    ]);
  });

  it('keeps everything and counts nothing with --no-suppress', () => {
    const r = review(['debugger; // codeai-ignore']);
    const baseline = new Set(r.findings.map(fingerprint));
    const off = applySuppressions(r.findings, r.files, { baseline, enabled: false });
    expect(off.kept).toEqual(r.findings);
    expect(off.suppressed).toEqual({ inline: 0, baseline: 0 });
  });

  it('suppresses baseline fingerprints, counting a finding silenced both ways once, as inline', () => {
    const r = review(['debugger;', 'console.log(1); // codeai-ignore', '', 'debugger; // new']);
    const baseline = new Set([fingerprint(r.findings[0]!), fingerprint(r.findings[1]!)]);
    const out = applySuppressions(r.findings, r.files, { baseline, enabled: true });
    expect(out.kept.map((f) => [f.line, f.rule])).toEqual([[4, 'debugger-statement']]);
    expect(out.suppressed).toEqual({ inline: 1, baseline: 1 });
    expect(out.suppressions.map((s) => [s.finding.line, s.kind, s.reason])).toEqual([
      [1, 'baseline', 'listed in the baseline'],
      [2, 'inline', ''],
    ]);
  });
});
