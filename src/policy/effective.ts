import { compileGlob } from './glob.js';
import { SEVERITIES, type BlockRule, type Category, type Policy, type PolicyOverride, type Severity } from '../types.js';

/** The policy as it applies to one file, after the overrides that match it. */
export interface FilePolicy {
  block: BlockRule;
  categories: Category[];
  /** Top-level instructions first, then each matching override's, in order. */
  instructions: string[];
  /** The key that set each effective block rule ("block.severity", "overrides[1].block.max.medium"), for reasons. */
  origin: { severity: string; max: Partial<Record<Severity, string>>; minConfidence: string };
}

// Compiling globs costs far more than matching them, and the verdict asks once per finding.
const matchers = new WeakMap<PolicyOverride, (path: string) => boolean>();

/**
 * Overrides apply in order and a later one wins: block is merged key by key (block.max per severity), categories
 * are replaced, instructions accumulate. `path` is repo-relative and '/'-separated.
 */
export function policyForFile(policy: Policy, path: string): FilePolicy {
  const file = path.replace(/^\.\//, '');
  const effective: FilePolicy = {
    block: { severity: policy.block.severity, max: { ...policy.block.max }, minConfidence: policy.block.minConfidence },
    categories: [...policy.categories],
    instructions: hasText(policy.instructions) ? [policy.instructions] : [],
    origin: { severity: 'block.severity', max: {}, minConfidence: 'block.minConfidence' },
  };
  for (const severity of SEVERITIES) {
    if (policy.block.max[severity] !== undefined) effective.origin.max[severity] = `block.max.${severity}`;
  }

  policy.overrides.forEach((override, i) => {
    if (!matcherFor(override)(file)) return;
    const at = `overrides[${i}]`;
    if (override.block?.severity !== undefined) {
      effective.block.severity = override.block.severity;
      effective.origin.severity = `${at}.block.severity`;
    }
    if (override.block?.minConfidence !== undefined) {
      effective.block.minConfidence = override.block.minConfidence;
      effective.origin.minConfidence = `${at}.block.minConfidence`;
    }
    for (const severity of SEVERITIES) {
      const max = override.block?.max?.[severity];
      if (max === undefined) continue;
      effective.block.max[severity] = max;
      effective.origin.max[severity] = `${at}.block.max.${severity}`;
    }
    if (override.categories) effective.categories = [...override.categories];
    if (hasText(override.instructions)) effective.instructions.push(override.instructions);
  });
  return effective;
}

/** The overrides whose `files` match `path`, in policy order. */
export function matchingOverrides(policy: Policy, path: string): PolicyOverride[] {
  const file = path.replace(/^\.\//, '');
  return policy.overrides.filter((override) => matcherFor(override)(file));
}

/** An override applies to a name its globs match; one too long to decide in bounded time gets the top level's policy. */
function matcherFor(override: PolicyOverride): (path: string) => boolean {
  let matcher = matchers.get(override);
  if (!matcher) {
    const globs = override.files.map(compileGlob);
    matcher = (path) => globs.some((glob) => glob.matches(path) === true);
    matchers.set(override, matcher);
  }
  return matcher;
}

function hasText(text: string | undefined): text is string {
  return text !== undefined && text.trim() !== '';
}
