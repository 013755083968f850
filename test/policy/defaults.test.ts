import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, POLICY_KEYS, resolveOnError } from '../../src/policy/defaults.js';

describe('defaults', () => {
  it('lists every policy key once, in POLICY_KEYS', () => {
    expect([...POLICY_KEYS].sort()).toEqual(Object.keys(DEFAULT_POLICY).sort());
  });

  it('cannot be changed by a caller', () => {
    expect(() => DEFAULT_POLICY.include.push('x')).toThrow(TypeError);
    expect(() => {
      DEFAULT_POLICY.block.max.medium = 1;
    }).toThrow(TypeError);
  });

  it('leaves onError to the command: warn at the hook and on demand, block in ci', () => {
    expect(resolveOnError(DEFAULT_POLICY, 'run')).toBe('warn');
    expect(resolveOnError(DEFAULT_POLICY, 'review')).toBe('warn');
    expect(resolveOnError(DEFAULT_POLICY, 'explain')).toBe('warn');
    expect(resolveOnError(DEFAULT_POLICY, 'ci')).toBe('block');
    expect(resolveOnError({ ...DEFAULT_POLICY, onError: 'allow' }, 'ci')).toBe('allow');
    expect(resolveOnError({ ...DEFAULT_POLICY, onError: 'block' }, 'run')).toBe('block');
  });
});
