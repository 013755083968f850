import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import { validatePolicy } from '../../src/policy/validate.js';

// Files under cwd are shown relative to it, so the expected messages read as a user would see them.
const yamlFile = path.join(process.cwd(), '.codeairc.yaml');
const rcFile = path.join(process.cwd(), '.codeairc');
const packageJson = path.join(process.cwd(), 'package.json');

function errorOf(raw: unknown, file: string | null = rcFile): ConfigError {
  try {
    validatePolicy(raw, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.message).not.toContain('\n');
    expect(configError.file).toBe(file);
    return configError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(raw)}`);
}

describe('validatePolicy: merging', () => {
  it('gives the defaults for no file, an empty file and a file of nulls', () => {
    expect(validatePolicy(undefined, null)).toEqual(DEFAULT_POLICY);
    expect(validatePolicy(null, rcFile)).toEqual(DEFAULT_POLICY);
    expect(validatePolicy({ model: null, block: null, $schema: 'https://example.test/s.json' }, rcFile)).toEqual(DEFAULT_POLICY);
  });

  it('merges over the defaults, block.max key by key, and never shares the defaults', () => {
    const policy = validatePolicy(
      { provider: 'ollama', model: 'qwen2.5-coder:7b', block: { max: { medium: 5 } }, include: ['src/**'], onError: 'block' },
      rcFile,
    );
    expect(policy).toEqual({
      ...DEFAULT_POLICY,
      provider: 'ollama',
      model: 'qwen2.5-coder:7b',
      block: { severity: 'high', max: { medium: 5 }, minConfidence: 'medium' },
      include: ['src/**'],
      onError: 'block',
    });
    policy.exclude.push('dist/**');
    expect(DEFAULT_POLICY.exclude).toEqual([]);
  });

  it('keeps overrides as written, with only the keys given', () => {
    const overrides = [
      { files: ['test/**'], block: { severity: 'critical' } },
      { files: ['src/db/**'], categories: ['security', 'bug', 'security'], instructions: 'Every query is parameterised.' },
    ];
    expect(validatePolicy({ overrides }, rcFile).overrides).toEqual([
      { files: ['test/**'], block: { severity: 'critical' } },
      { files: ['src/db/**'], categories: ['security', 'bug'], instructions: 'Every query is parameterised.' },
    ]);
  });

  it('accepts every documented value at the edges of its range', () => {
    const policy = validatePolicy(
      {
        baseURL: 'https://llm.internal:8443/v1',
        block: { severity: 'none', max: { critical: 0, info: 100 }, minConfidence: 'low' },
        timeoutMs: 600_000,
        concurrency: 1,
        maxDiffTokens: 500,
        contextLines: 0,
        maxFileBytes: 1000,
        instructions: 'x'.repeat(4000),
        sendToCloud: 'redacted-only',
        commitMessage: { convention: 'conventional' },
        disableRules: ['aws-access-key-id'],
      },
      rcFile,
    );
    expect(policy.block).toEqual({ severity: 'none', max: { critical: 0, info: 100 }, minConfidence: 'low' });
    expect(policy.commitMessage).toEqual({ convention: 'conventional' });
  });
});

describe('validatePolicy: one-line errors naming file, key, value and what is allowed', () => {
  it('names an enum value and the allowed ones', () => {
    const error = errorOf({ block: { severity: 'hgh' } }, yamlFile);
    expect(error.message).toBe('.codeairc.yaml: block.severity is "hgh"; allowed: critical, high, medium, low, info, none');
    expect(error.key).toBe('block.severity');
  });

  it('suggests the nearest key for an unknown one and lists the allowed keys', () => {
    const error = errorOf({ timeout: 30000 });
    expect(error.message).toBe(
      '.codeairc: unknown key "timeout" (did you mean "timeoutMs"?); allowed keys: provider, model, baseURL, block, ' +
        'categories, include, exclude, defaultExcludes, onError, timeoutMs, concurrency, maxDiffTokens, contextLines, scopeContext, ' +
        'reviewAt, maxFileBytes, instructions, instructionFiles, overrides, disableRules, sendToCloud, skipDuringRebase, commitMessage',
    );
    expect(error.key).toBe('timeout');
  });

  it('suggests across case and separators, and nothing when nothing is close', () => {
    expect(errorOf({ max_diff_tokens: 1 }).message).toContain('(did you mean "maxDiffTokens"?)');
    expect(errorOf({ concurency: 2 }).message).toContain('(did you mean "concurrency"?)');
    expect(errorOf({ block: { sevrity: 'high' } }).message).toMatch(
      /^\.codeairc: unknown key "block\.sevrity" \(did you mean "severity"\?\); allowed keys in block: severity, max, minConfidence$/,
    );
    expect(errorOf({ reviewers: 2 }).message).toMatch(/^\.codeairc: unknown key "reviewers"; allowed keys: provider, /);
  });

  it('labels package.json by its codeai key', () => {
    expect(errorOf({ concurrency: 'four' }, packageJson).message).toBe(
      'package.json#codeai: concurrency is "four"; expected an integer from 1 to 32',
    );
  });

  it('shows an absolute path for a file outside cwd, and "policy" for no file', () => {
    expect(errorOf({ concurrency: 0 }, '/elsewhere/.codeairc').message).toBe(
      '/elsewhere/.codeairc: concurrency is 0; expected an integer from 1 to 32',
    );
    expect(errorOf({ concurrency: 0 }, null).message).toBe('policy: concurrency is 0; expected an integer from 1 to 32');
  });

  it('requires a non-empty list of globs in each override', () => {
    expect(errorOf({ overrides: [{ files: ['a/**'], block: { severity: 'low' } }, { block: {} }] }).message).toBe(
      '.codeairc: overrides[1].files must be a non-empty list of globs',
    );
    expect(errorOf({ overrides: [{ files: 'test/**', block: {} }] }).message).toBe(
      '.codeairc: overrides[0].files must be a non-empty list of globs; got "test/**"',
    );
    for (const useless of [{ files: ['test/**'] }, { files: ['test/**'], block: {}, categories: null }]) {
      expect(errorOf({ overrides: [useless] }).message).toBe(
        '.codeairc: overrides[0] sets nothing for its files; add block, categories or instructions',
      );
    }
  });

  it('refuses API keys by name and by value, without echoing them', () => {
    const expected = (key: string) =>
      `.codeairc: API keys are not read from the policy file; remove "${key}" and set OPENAI_API_KEY ` +
      '(or ANTHROPIC_API_KEY / DEEPSEEK_API_KEY) in the environment';
    for (const key of ['apiKey', 'api_key', 'openaiApiKey', 'token', 'key']) {
      expect(errorOf({ [key]: 'x' }).message).toBe(expected(key));
    }
    const byValue = errorOf({ model: 'sk-ant-abc123' });
    expect(byValue.message).toBe(expected('model'));
    expect(byValue.message).not.toContain('abc123');
    expect(errorOf({ overrides: [{ files: ['a'], instructions: 'AKIAABCDEFGHIJKLMNOP' }] }).message).toBe(
      expected('overrides[0].instructions'),
    );
    // Not secrets: keys that merely contain "token".
    expect(validatePolicy({ maxDiffTokens: 1000 }, rcFile).maxDiffTokens).toBe(1000);
  });

  it.each([
    [{ provider: 'gpt' }, 'provider is "gpt"; allowed: ollama, openai, deepseek, anthropic, openai-compatible, builtin, auto'],
    [{ model: '' }, 'model is ""; expected a non-empty string'],
    [{ baseURL: 'localhost:11434' }, 'baseURL is "localhost:11434"; expected an http(s) URL such as "http://127.0.0.1:11434"'],
    [{ baseURL: 'ftp://host' }, 'baseURL is "ftp://host"; expected an http(s) URL such as "http://127.0.0.1:11434"'],
    [{ block: 'high' }, 'block is "high"; expected a mapping with severity, max and/or minConfidence'],
    [{ block: { minConfidence: 'sure' } }, 'block.minConfidence is "sure"; allowed: high, medium, low'],
    [{ block: { max: { medium: -1 } } }, 'block.max.medium is -1; expected a non-negative integer'],
    [{ block: { max: { medium: 2.5 } } }, 'block.max.medium is 2.5; expected a non-negative integer'],
    [{ block: { max: { hi: 1 } } }, 'unknown key "block.max.hi" (did you mean "high"?); allowed keys in block.max: critical, high, medium, low, info'],
    [{ categories: [] }, 'categories is []; expected a non-empty list of: bug, security, performance, style, improvement'],
    [{ categories: ['bug', 'bugs'] }, 'categories[1] is "bugs"; allowed: bug, security, performance, style, improvement'],
    [{ include: 'src/**' }, 'include is "src/**"; expected a list of globs, e.g. ["src/**"]'],
    [{ include: [] }, 'include is []; expected a non-empty list of globs ("**" matches every file)'],
    [{ exclude: ['dist/**', ''] }, 'exclude[1] is ""; expected a non-empty glob'],
    [{ exclude: ['[z-a].ts'] }, 'exclude[0] is "[z-a].ts"; not a valid glob: Range out of order in character class'],
    [{ defaultExcludes: 'yes' }, 'defaultExcludes is "yes"; expected true or false'],
    [{ onError: 'fail' }, 'onError is "fail"; allowed: block, warn, allow'],
    [{ timeoutMs: 999 }, 'timeoutMs is 999; expected an integer from 1000 to 600000'],
    [{ concurrency: 33 }, 'concurrency is 33; expected an integer from 1 to 32'],
    [{ maxDiffTokens: 1_000_001 }, 'maxDiffTokens is 1000001; expected an integer from 500 to 1000000'],
    [{ contextLines: 21 }, 'contextLines is 21; expected an integer from 0 to 20'],
    [{ maxFileBytes: 999 }, 'maxFileBytes is 999; expected an integer of at least 1000'],
    [{ instructions: 7 }, 'instructions is 7; expected a string of at most 4000 characters'],
    [{ overrides: {} }, 'overrides is {}; expected a list of { files, block, categories, instructions }'],
    [{ overrides: [{ files: ['a'], block: { severity: 'urgent' } }] }, 'overrides[0].block.severity is "urgent"; allowed: critical, high, medium, low, info, none'],
    [{ disableRules: 'todo' }, 'disableRules is "todo"; expected a list of strings'],
    [{ timeoutMs: Infinity }, 'timeoutMs is Infinity; expected an integer from 1000 to 600000'],
    [{ include: ['+(a|b'] }, `include[0] is "+(a|b"; not a valid glob: an unclosed '('; close it, or escape a literal one as \\(`],
    [{ exclude: ['*a*b*c*d*e'] }, "exclude[0] is \"*a*b*c*d*e\"; not a valid glob: 5 wildcards in the segment '*a*b*c*d*e'; at most 4 can be matched in bounded time"],
    [{ overrides: [{ files: ['+(a|aa)'], block: { severity: 'low' } }] }, "overrides[0].files[0] is \"+(a|aa)\"; not a valid glob: the repeating extglob '+(…)' can take exponential time; list the names, e.g. {a,b}, or use several globs"],
    [{ provider: () => 'ollama' }, 'provider is a function; allowed: ollama, openai, deepseek, anthropic, openai-compatible, builtin, auto'],
    [{ sendToCloud: 'no' }, 'sendToCloud is "no"; allowed: allow, redacted-only, never'],
    [{ skipDuringRebase: 1 }, 'skipDuringRebase is 1; expected true or false'],
    [{ commitMessage: { convention: 'angular' } }, 'commitMessage.convention is "angular"; allowed: conventional, none'],
  ])('rejects %j', (raw, message) => {
    expect(errorOf(raw).message).toBe(`.codeairc: ${message}`);
  });

  it('truncates a long value at 60 characters and says how long the instructions were', () => {
    const message = errorOf({ instructions: 'y'.repeat(4001) }).message;
    expect(message).toBe(`.codeairc: instructions is "${'y'.repeat(58)}…; expected a string of at most 4000 characters (this one has 4001)`);
  });

  it('refuses an unknown rule id in disableRules, naming the closest one and every id', () => {
    const message = errorOf({ disableRules: ['console-log', 'aws-access-key'] }).message;
    expect(message).toMatch(/^\.codeairc: disableRules\[1\] is "aws-access-key", not a built-in rule id \(did you mean "aws-access-key-id"\?\); ids: private-key, /);
    expect(errorOf({ disableRules: ['nothing-like-it'] }).message).not.toContain('did you mean');
  });

  it('refuses a policy that is not a mapping', () => {
    expect(errorOf(['provider', 'ollama']).message).toBe(
      '.codeairc: the policy must be a mapping of keys to values; got a list',
    );
  });
});
