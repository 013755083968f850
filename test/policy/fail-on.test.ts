import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { applyFailOn } from '../../src/policy/fail-on.js';
import { validatePolicy } from '../../src/policy/validate.js';

describe('CODEAI_FAIL_ON (the action fail-on input)', () => {
  it('sets the block severity when the policy does not', () => {
    const none = validatePolicy(undefined, null);
    applyFailOn(none, { CODEAI_FAIL_ON: 'medium' });
    expect(none.block.severity).toBe('medium');
    const other = validatePolicy({ block: { max: { low: 3 } } }, '.codeairc.yaml');
    applyFailOn(other, { CODEAI_FAIL_ON: 'critical' });
    expect(other.block).toEqual({ severity: 'critical', max: { low: 3 } });
  });

  it("never overrides the policy's own block.severity, stricter or looser", () => {
    for (const own of ['low', 'critical', 'none'] as const) {
      const policy = validatePolicy({ block: { severity: own } }, '.codeairc.yaml');
      applyFailOn(policy, { CODEAI_FAIL_ON: 'high' });
      expect(policy.block.severity).toBe(own);
    }
  });

  it('unset or empty changes nothing; a bad value is a usage error naming the allowed ones', () => {
    const policy = validatePolicy(undefined, null);
    applyFailOn(policy, { CODEAI_FAIL_ON: '' });
    applyFailOn(policy, {});
    expect(policy.block.severity).toBe('high');
    expect(() => applyFailOn(policy, { CODEAI_FAIL_ON: 'severe' })).toThrow(UsageError);
    expect(() => applyFailOn(policy, { CODEAI_FAIL_ON: 'severe' })).toThrow(/allowed: critical, high, medium, low, info, none/);
  });
});
