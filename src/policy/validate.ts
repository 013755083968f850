import path from 'node:path';
import { ConfigError } from '../errors.js';
import {
  CATEGORIES,
  CONFIDENCES,
  ON_ERROR,
  PROVIDER_NAMES,
  REVIEW_AT,
  SEVERITIES,
  type BlockRule,
  type Category,
  type Policy,
  type PolicyOverride,
  type Severity,
} from '../types.js';
import { builtinRuleIds } from '../rules/scan.js';
import { DEFAULT_POLICY, POLICY_KEYS } from './defaults.js';
import { didYouMean, show } from './describe.js';
import { compileGlob } from './glob.js';
import { findSecret, shapeProblem } from './shape.js';

// Hand-written on purpose: each problem becomes one line that a user can act on without reading a schema
// (file, key path, the value found, what is allowed), and the first problem stops the load.

const BLOCK_SEVERITIES = [...SEVERITIES, 'none'] as const;
const BLOCK_KEYS = ['severity', 'max', 'minConfidence'] as const;
const OVERRIDE_KEYS = ['files', 'block', 'categories', 'instructions'] as const;
const SEND_TO_CLOUD = ['allow', 'redacted-only', 'never'] as const;
const CONVENTIONS = ['conventional', 'none'] as const;
const MAX_INSTRUCTIONS = 4000;

/** Where the policy came from, as shown at the start of every message. */
interface Source {
  label: string;
  file: string | null;
}

type Dict = Record<string, unknown>;

/** Policies whose file set block.severity itself: an outer default (the GitHub Action's fail-on) must not override. */
const SETS_BLOCK_SEVERITY = new WeakSet<Policy>();

export function setsBlockSeverity(policy: Policy): boolean {
  return SETS_BLOCK_SEVERITY.has(policy);
}

/** Merges `raw` (a parsed config file, or undefined for none) over the defaults; throws ConfigError on the first problem. */
export function validatePolicy(raw: unknown, file: string | null): Policy {
  const src: Source = { label: labelOf(file), file };
  const policy = structuredClone(DEFAULT_POLICY);
  if (raw === undefined || raw === null) return policy;
  // Not quoted: a file that is no mapping is likely no policy at all (`ln -s .env .codeairc`).
  if (!isDict(raw)) fail(src, '', `the policy must be a mapping of keys to values; got ${Array.isArray(raw) ? 'a list' : `a ${typeof raw}`}`);
  const shape = shapeProblem(raw);
  if (shape) fail(src, shape.key, shape.problem);
  refuseApiKeys(raw, '', src);
  checkKeys(raw, '', [...POLICY_KEYS, '$schema'], src);

  // null (a YAML key left blank) means "not set": the default stays.
  const given = (key: keyof Policy): unknown => raw[key] ?? undefined;
  const has = (key: keyof Policy): boolean => given(key) !== undefined;

  if (has('provider')) policy.provider = oneOf(given('provider'), 'provider', PROVIDER_NAMES, src);
  if (has('model')) policy.model = nonEmptyString(given('model'), 'model', src);
  if (has('baseURL')) policy.baseURL = httpUrl(given('baseURL'), 'baseURL', src);
  if (has('block')) {
    const block = blockRule(given('block'), 'block', src);
    if (block.severity !== undefined) SETS_BLOCK_SEVERITY.add(policy);
    policy.block = {
      severity: block.severity ?? policy.block.severity,
      max: { ...policy.block.max, ...block.max },
      minConfidence: block.minConfidence ?? policy.block.minConfidence,
    };
  }
  if (has('categories')) policy.categories = categories(given('categories'), 'categories', src);
  if (has('include')) policy.include = globs(given('include'), 'include', src, { nonEmpty: true });
  if (has('exclude')) policy.exclude = globs(given('exclude'), 'exclude', src, { nonEmpty: false });
  if (has('defaultExcludes')) policy.defaultExcludes = bool(given('defaultExcludes'), 'defaultExcludes', src);
  if (has('onError')) policy.onError = oneOf(given('onError'), 'onError', ON_ERROR, src);
  if (has('timeoutMs')) policy.timeoutMs = int(given('timeoutMs'), 'timeoutMs', src, 1000, 600_000);
  if (has('concurrency')) policy.concurrency = int(given('concurrency'), 'concurrency', src, 1, 32);
  if (has('maxDiffTokens')) policy.maxDiffTokens = int(given('maxDiffTokens'), 'maxDiffTokens', src, 500, 1_000_000);
  if (has('contextLines')) policy.contextLines = int(given('contextLines'), 'contextLines', src, 0, 20);
  if (has('scopeContext')) policy.scopeContext = bool(given('scopeContext'), 'scopeContext', src);
  if (has('reviewAt')) policy.reviewAt = oneOf(given('reviewAt'), 'reviewAt', REVIEW_AT, src);
  if (has('maxFileBytes')) policy.maxFileBytes = int(given('maxFileBytes'), 'maxFileBytes', src, 1000);
  if (has('instructions')) policy.instructions = instructions(given('instructions'), 'instructions', src);
  if (has('instructionFiles')) policy.instructionFiles = instructionFiles(given('instructionFiles'), 'instructionFiles', src);
  if (has('overrides')) policy.overrides = overrides(given('overrides'), 'overrides', src);
  if (has('disableRules')) policy.disableRules = ruleIds(given('disableRules'), 'disableRules', src);
  if (has('sendToCloud')) policy.sendToCloud = oneOf(given('sendToCloud'), 'sendToCloud', SEND_TO_CLOUD, src);
  if (has('skipDuringRebase')) policy.skipDuringRebase = bool(given('skipDuringRebase'), 'skipDuringRebase', src);
  if (has('commitMessage')) policy.commitMessage = commitMessage(given('commitMessage'), 'commitMessage', src);
  return policy;
}

// ---------- composite keys ----------

function blockRule(value: unknown, key: string, src: Source): Partial<BlockRule> {
  const dict = mapping(value, key, src, 'a mapping with severity, max and/or minConfidence');
  checkKeys(dict, key, BLOCK_KEYS, src);
  const rule: Partial<BlockRule> = {};
  if (dict.severity != null) rule.severity = oneOf(dict.severity, `${key}.severity`, BLOCK_SEVERITIES, src);
  if (dict.max != null) rule.max = maxCounts(dict.max, `${key}.max`, src);
  if (dict.minConfidence != null) rule.minConfidence = oneOf(dict.minConfidence, `${key}.minConfidence`, CONFIDENCES, src);
  return rule;
}

function maxCounts(value: unknown, key: string, src: Source): Partial<Record<Severity, number>> {
  const dict = mapping(value, key, src, 'a mapping of severity to a count, e.g. { medium: 5 }');
  checkKeys(dict, key, SEVERITIES, src);
  const max: Partial<Record<Severity, number>> = {};
  for (const severity of SEVERITIES) {
    const count = dict[severity];
    if (count != null) max[severity] = int(count, `${key}.${severity}`, src, 0);
  }
  return max;
}

function overrides(value: unknown, key: string, src: Source): PolicyOverride[] {
  if (!Array.isArray(value)) fail(src, key, `${key} is ${show(value)}; expected a list of { files, block, categories, instructions }`);
  return value.map((item, i) => override(item, `${key}[${i}]`, src));
}

function override(value: unknown, key: string, src: Source): PolicyOverride {
  const dict = mapping(value, key, src, 'a mapping with files and block, categories and/or instructions');
  checkKeys(dict, key, OVERRIDE_KEYS, src);
  const filesKey = `${key}.files`;
  if (!Array.isArray(dict.files) || dict.files.length === 0) {
    const got = dict.files == null ? '' : `; got ${show(dict.files)}`;
    fail(src, filesKey, `${filesKey} must be a non-empty list of globs${got}`);
  }
  const result: PolicyOverride = { files: globs(dict.files, filesKey, src, { nonEmpty: true }) };
  if (dict.block != null) {
    const block = blockRule(dict.block, `${key}.block`, src);
    if (Object.keys(block).length > 0) result.block = block;
  }
  if (dict.categories != null) result.categories = categories(dict.categories, `${key}.categories`, src);
  if (dict.instructions != null) result.instructions = instructions(dict.instructions, `${key}.instructions`, src);
  if (!result.block && !result.categories && result.instructions === undefined) {
    fail(src, key, `${key} sets nothing for its files; add block, categories or instructions`);
  }
  return result;
}

function commitMessage(value: unknown, key: string, src: Source): Policy['commitMessage'] {
  const dict = mapping(value, key, src, 'a mapping such as { convention: conventional }');
  checkKeys(dict, key, ['convention'], src);
  const convention = dict.convention == null ? 'none' : oneOf(dict.convention, `${key}.convention`, CONVENTIONS, src);
  return { convention };
}

// ---------- leaf values ----------

function oneOf<T extends string>(value: unknown, key: string, allowed: readonly T[], src: Source): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  fail(src, key, `${key} is ${show(value)}; allowed: ${allowed.join(', ')}`);
}

function int(value: unknown, key: string, src: Source, min: number, max?: number): number {
  const inRange = typeof value === 'number' && Number.isInteger(value) && value >= min && (max === undefined || value <= max);
  if (inRange) return value;
  const expected = max !== undefined ? `an integer from ${min} to ${max}` : min === 0 ? 'a non-negative integer' : `an integer of at least ${min}`;
  fail(src, key, `${key} is ${show(value)}; expected ${expected}`);
}

function bool(value: unknown, key: string, src: Source): boolean {
  if (typeof value === 'boolean') return value;
  fail(src, key, `${key} is ${show(value)}; expected true or false`);
}

function nonEmptyString(value: unknown, key: string, src: Source): string {
  if (typeof value === 'string' && value.trim() !== '') return value;
  fail(src, key, `${key} is ${show(value)}; expected a non-empty string`);
}

function httpUrl(value: unknown, key: string, src: Source): string {
  if (typeof value === 'string' && URL.canParse(value)) {
    const { protocol } = new URL(value);
    if (protocol === 'http:' || protocol === 'https:') return value;
  }
  fail(src, key, `${key} is ${show(value)}; expected an http(s) URL such as "http://127.0.0.1:11434"`);
}

function instructions(value: unknown, key: string, src: Source): string {
  if (typeof value === 'string' && value.length <= MAX_INSTRUCTIONS) return value;
  const got = typeof value === 'string' ? ` (this one has ${value.length})` : '';
  fail(src, key, `${key} is ${show(value)}; expected a string of at most ${MAX_INSTRUCTIONS} characters${got}`);
}

function instructionFiles(value: unknown, key: string, src: Source): boolean | string[] {
  if (typeof value === 'boolean') return value;
  const relative = (p: unknown) => typeof p === 'string' && p !== '' && !path.isAbsolute(p) && !p.split(/[\\/]/).includes('..');
  if (Array.isArray(value) && value.every(relative)) return value.map((p: string) => p.replace(/\\/g, '/').replace(/^\.\//, ''));
  fail(src, key, `${key} is ${show(value)}; expected true (find AGENTS.md, CLAUDE.md, ...), false, or a list of paths inside the repository`);
}

function categories(value: unknown, key: string, src: Source): Category[] {
  if (!Array.isArray(value) || value.length === 0) {
    fail(src, key, `${key} is ${show(value)}; expected a non-empty list of: ${CATEGORIES.join(', ')}`);
  }
  const picked = value.map((item, i) => oneOf(item, `${key}[${i}]`, CATEGORIES, src));
  return [...new Set(picked)];
}

function strings(value: unknown, key: string, src: Source): string[] {
  if (!Array.isArray(value)) fail(src, key, `${key} is ${show(value)}; expected a list of strings`);
  return value.map((item, i) => nonEmptyString(item, `${key}[${i}]`, src));
}

function ruleIds(value: unknown, key: string, src: Source): string[] {
  const known = builtinRuleIds();
  return strings(value, key, src).map((id, i) => {
    if (known.includes(id)) return id;
    const guess = didYouMean(id, known);
    const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
    fail(src, `${key}[${i}]`, `${key}[${i}] is ${show(id)}, not a built-in rule id${hint}; ids: ${known.join(', ')}`);
  });
}

function globs(value: unknown, key: string, src: Source, opts: { nonEmpty: boolean }): string[] {
  if (!Array.isArray(value)) fail(src, key, `${key} is ${show(value)}; expected a list of globs, e.g. ["src/**"]`);
  if (opts.nonEmpty && value.length === 0) {
    fail(src, key, `${key} is []; expected a non-empty list of globs ("**" matches every file)`);
  }
  return value.map((item, i) => glob(item, `${key}[${i}]`, src));
}

function glob(value: unknown, key: string, src: Source): string {
  if (typeof value !== 'string' || value === '') fail(src, key, `${key} is ${show(value)}; expected a non-empty glob`);
  try {
    compileGlob(value);
  } catch (error) {
    fail(src, key, `${key} is ${show(value)}; not a valid glob: ${reasonOf(error)}`);
  }
  return value;
}

// ---------- keys ----------

/** Anything that looks like a credential is refused before any other check, and its value is never echoed. */
function refuseApiKeys(value: unknown, key: string, src: Source): void {
  const found = findSecret(value, key);
  if (found === undefined) return;
  fail(
    src,
    found,
    `API keys are not read from the policy file; remove "${found}" and set OPENAI_API_KEY (or ANTHROPIC_API_KEY / DEEPSEEK_API_KEY) in the environment`,
  );
}

function checkKeys(dict: Dict, key: string, allowed: readonly string[], src: Source): void {
  for (const name of Object.keys(dict)) {
    if (allowed.includes(name)) continue;
    const where = key === '' ? name : `${key}.${name}`;
    const guess = didYouMean(name, allowed.filter((k) => k !== '$schema'));
    const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
    const scope = key === '' ? 'allowed keys' : `allowed keys in ${key}`;
    fail(src, where, `unknown key "${where}"${hint}; ${scope}: ${allowed.filter((k) => k !== '$schema').join(', ')}`);
  }
}

// ---------- helpers ----------

function mapping(value: unknown, key: string, src: Source, expected: string): Dict {
  if (isDict(value)) return value;
  fail(src, key, `${key} is ${show(value)}; expected ${expected}`);
}

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // V8 prefixes the whole regular expression; the user needs only what is wrong with it.
  return (message.split('\n')[0] ?? '').replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
}

/** A config file as the user would name it: relative to cwd when under it, else absolute. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  const under = relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
  return under ? relative : file;
}

/** package.json points at its "codeai" key, the only part of it that is the policy. */
function labelOf(file: string | null): string {
  if (file === null) return 'policy';
  return path.basename(file) === 'package.json' ? `${displayPath(file)}#codeai` : displayPath(file);
}

function fail(src: Source, key: string, message: string): never {
  throw new ConfigError(`${src.label}: ${message}`, src.file, key === '' ? undefined : key);
}
