import { CATEGORIES, type OnError, type Policy } from '../types.js';

/**
 * Every policy key, in the order the template and error messages list them. Kept beside the defaults so the
 * validator, the template and the tests share one list (a key added to Policy and not here fails the tests).
 */
export const POLICY_KEYS = [
  'provider',
  'model',
  'baseURL',
  'block',
  'categories',
  'include',
  'exclude',
  'defaultExcludes',
  'onError',
  'timeoutMs',
  'concurrency',
  'maxDiffTokens',
  'contextLines',
  'maxFileBytes',
  'instructions',
  'instructionFiles',
  'overrides',
  'disableRules',
  'sendToCloud',
  'skipDuringRebase',
  'commitMessage',
] as const satisfies readonly (keyof Policy)[];

/** Frozen so a caller that mutates the policy it was handed cannot change the defaults of the next load. */
export const DEFAULT_POLICY: Policy = deepFreeze({
  provider: 'auto',
  model: undefined,
  baseURL: undefined,
  block: { severity: 'high', max: {} },
  categories: [...CATEGORIES],
  include: ['**'],
  exclude: [],
  defaultExcludes: true,
  // Absent on purpose: the command decides (resolveOnError).
  onError: undefined,
  timeoutMs: 60_000,
  concurrency: 4,
  maxDiffTokens: 24_000,
  contextLines: 3,
  maxFileBytes: 200_000,
  instructions: undefined,
  instructionFiles: true,
  overrides: [],
  disableRules: [],
  sendToCloud: 'allow',
  skipDuringRebase: false,
  commitMessage: { convention: 'none' },
});

export type Command = 'run' | 'review' | 'ci' | 'explain';

/**
 * What to do when the review cannot complete and the policy does not say. A provider that is down must not stop a
 * day's work at the hook (the built-in rules still ran), while CI must not pass a change nobody reviewed.
 */
export function resolveOnError(policy: Policy, command: Command): OnError {
  return policy.onError ?? (command === 'ci' ? 'block' : 'warn');
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
