import { describe, expect, it } from 'vitest';
import { policyForFile } from '../../src/policy/effective.js';
import { validatePolicy } from '../../src/policy/validate.js';

const policy = validatePolicy(
  {
    block: { severity: 'high', max: { medium: 5, low: 20 } },
    instructions: 'Team rules.',
    overrides: [
      { files: ['test/**', '**/*.test.ts'], block: { severity: 'critical', max: { medium: 50 } }, instructions: 'Tests may be repetitive.' },
      { files: ['src/db/**'], block: { max: { low: 0 } }, categories: ['security', 'bug'], instructions: 'Queries are parameterised.' },
      { files: ['src/db/legacy/**'], block: { severity: 'none' } },
      { files: ['.github/**'], instructions: 'Workflows pin actions by SHA.' },
    ],
  },
  null,
);

describe('policyForFile', () => {
  it('gives the top-level rules to a file no override matches', () => {
    expect(policyForFile(policy, 'src/app.ts')).toEqual({
      block: { severity: 'high', max: { medium: 5, low: 20 }, minConfidence: 'medium' },
      categories: ['bug', 'security', 'performance', 'style', 'improvement'],
      instructions: ['Team rules.'],
      origin: { severity: 'block.severity', max: { medium: 'block.max.medium', low: 'block.max.low' }, minConfidence: 'block.minConfidence' },
    });
  });

  it('merges block key by key and accumulates instructions', () => {
    expect(policyForFile(policy, 'test/unit/a.ts')).toEqual({
      block: { severity: 'critical', max: { medium: 50, low: 20 }, minConfidence: 'medium' },
      categories: ['bug', 'security', 'performance', 'style', 'improvement'],
      instructions: ['Team rules.', 'Tests may be repetitive.'],
      origin: {
        severity: 'overrides[0].block.severity',
        max: { medium: 'overrides[0].block.max.medium', low: 'block.max.low' },
        minConfidence: 'block.minConfidence',
      },
    });
  });

  it('applies every matching override in order, the later winning', () => {
    const effective = policyForFile(policy, 'src/db/legacy/query.test.ts');
    expect(effective.block).toEqual({ severity: 'none', max: { medium: 50, low: 0 }, minConfidence: 'medium' });
    expect(effective.categories).toEqual(['security', 'bug']);
    expect(effective.instructions).toEqual(['Team rules.', 'Tests may be repetitive.', 'Queries are parameterised.']);
    expect(effective.origin.severity).toBe('overrides[2].block.severity');
  });

  it('matches dot folders and ignores a leading ./', () => {
    expect(policyForFile(policy, './.github/workflows/ci.yml').instructions).toEqual(['Team rules.', 'Workflows pin actions by SHA.']);
  });

  it('does not let a caller change the policy through the result', () => {
    policyForFile(policy, 'test/a.ts').block.max.medium = 999;
    policyForFile(policy, 'src/a.ts').categories.pop();
    expect(policy.block.max.medium).toBe(5);
    expect(policy.categories).toHaveLength(5);
  });
});
