import { describe, expect, it } from 'vitest';
import { runBuiltinRules } from '../../src/rules/scan.js';
import { applySuppressions, parseIgnoreDirectives } from '../../src/review/suppress.js';
import { fingerprint } from '../../src/review/fingerprint.js';
import { CATEGORIES, type Finding } from '../../src/types.js';
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
  it('reads bare and rule-scoped directives in any comment syntax', () => {
    expect(parseIgnoreDirectives('x(); // codeai-ignore false positive')).toEqual([{ rules: null }]);
    expect(parseIgnoreDirectives('# codeai-ignore: console-log, Debugger-Statement left on purpose')).toEqual([
      { rules: ['console-log', 'debugger-statement'] },
    ]);
    expect(parseIgnoreDirectives('-- codeai-ignore:security')).toEqual([{ rules: ['security'] }]);
    expect(parseIgnoreDirectives('/* codeai-ignore: sql-injection */')).toEqual([{ rules: ['sql-injection'] }]);
    expect(parseIgnoreDirectives('<!-- codeai-ignore -->')).toEqual([{ rules: null }]);
    expect(parseIgnoreDirectives('codeai-ignored; codeai-ignore-next-line')).toEqual([]);
    expect(parseIgnoreDirectives('const a = 1;')).toEqual([]);
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

  it('reads context lines too, but not deleted ones', () => {
    const files = [
      diffFile('src/a.ts', [
        { kind: 'context', text: '// codeai-ignore: debugger-statement' },
        { kind: 'add', text: 'debugger;' },
        { kind: 'del', text: '// codeai-ignore' },
        { kind: 'add', text: 'debugger;' },
      ]),
    ];
    const findings = runBuiltinRules(files, ALL);
    expect(findings.map((f) => f.line)).toEqual([2, 3]);
    expect(applySuppressions(findings, files, ON).kept.map((f) => f.line)).toEqual([3]);
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
  });
});
