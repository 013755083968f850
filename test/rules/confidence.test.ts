import { describe, expect, it } from 'vitest';
import { ruleConfidence, withRuleConfidence } from '../../src/rules/confidence.js';
import { runBuiltinRules } from '../../src/rules/scan.js';
import { parseDiff } from '../../src/diff/parse.js';

describe('built-in rules declare their confidence', () => {
  it('a rule that matches its problem exactly is sure; one that infers it from the look of a line is medium', () => {
    expect(ruleConfidence('aws-access-key-id')).toBe('high');
    expect(ruleConfidence('conflict-marker')).toBe('high');
    expect(ruleConfidence('sql-injection')).toBe('medium');
    expect(ruleConfidence('generic-secret')).toBe('medium');
  });

  it('a rule not listed (a new one) is high, and no built-in rule is low: none stops blocking under the default', () => {
    expect(ruleConfidence('some-new-rule')).toBe('high');
    expect(ruleConfidence(undefined)).toBe('high');
    expect(ruleConfidence('constructor')).toBe('high');
  });

  it('is set on the findings the rules make, and never overrides one already stated', () => {
    const diff = [
      'diff --git a/a.js b/a.js',
      '--- a/a.js',
      '+++ b/a.js',
      '@@ -1,0 +1,2 @@',
      '+db.query("SELECT * FROM users WHERE id = " + id);',
      '+<<<<<<< HEAD',
      '',
    ].join('\n');
    const found = runBuiltinRules(parseDiff(diff), { disabled: [], categories: ['bug', 'security'] }).map(withRuleConfidence);
    expect(found.map((f) => [f.rule, f.confidence])).toEqual([
      ['sql-injection', 'medium'],
      ['conflict-marker', 'high'],
    ]);
    expect(withRuleConfidence({ ...found[0]!, confidence: 'low' }).confidence).toBe('low');
  });
});
