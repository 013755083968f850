// Where `ci` takes the base of the change from: the flag first, then the CI system's own variables.
import { describe, expect, it } from 'vitest';
import { ciBase } from '../../src/commands/ci.js';
import { UsageError } from '../../src/errors.js';

const github = { GITHUB_BASE_REF: 'main' };
const gitlab = { CI_MERGE_REQUEST_DIFF_BASE_SHA: '0123456789abcdef0123456789abcdef01234567' };

describe('ciBase', () => {
  it('--base wins over every variable', () => {
    expect(ciBase({ base: 'origin/release' }, { ...github, ...gitlab })).toBe('origin/release');
    expect(ciBase({ base: 'HEAD~3' }, {})).toBe('HEAD~3');
  });

  it('GITHUB_BASE_REF becomes origin/<ref>, before GitLab', () => {
    expect(ciBase({}, github)).toBe('origin/main');
    expect(ciBase({}, { GITHUB_BASE_REF: 'release/2.x', ...gitlab })).toBe('origin/release/2.x');
  });

  it('CI_MERGE_REQUEST_DIFF_BASE_SHA is used as it is', () => {
    expect(ciBase({}, gitlab)).toBe(gitlab.CI_MERGE_REQUEST_DIFF_BASE_SHA);
  });

  it('an empty flag or variable counts as absent (GitHub sets GITHUB_BASE_REF="" outside pull requests)', () => {
    expect(ciBase({ base: '' }, github)).toBe('origin/main');
    expect(ciBase({}, { GITHUB_BASE_REF: '', ...gitlab })).toBe(gitlab.CI_MERGE_REQUEST_DIFF_BASE_SHA);
    expect(() => ciBase({ base: '' }, { GITHUB_BASE_REF: '', CI_MERGE_REQUEST_DIFF_BASE_SHA: '' })).toThrow(UsageError);
  });

  it('nothing to go on: a UsageError naming --base (exit code 2)', () => {
    let caught: unknown;
    try {
      ciBase({ base: true }, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).message).toContain('--base');
    expect((caught as UsageError).exitCode).toBe(2);
  });
});
