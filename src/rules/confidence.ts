// How sure each built-in rule is when it matches, kept apart from the rule tables so a rule added there is covered
// by the default. A rule that matches the very shape of its problem (a key with its vendor prefix, a conflict
// marker) is sure; one that infers a problem from the look of a line (SQL built from strings, a password-like
// assignment) can be wrong, and says so. Every rule here still blocks under the default `block.minConfidence:
// medium`; a team that sets `high` keeps only the sure ones blocking.
import type { Confidence, Finding } from '../types.js';

const DEFAULT_CONFIDENCE: Confidence = 'high';

const RULE_CONFIDENCE: Readonly<Record<string, Confidence>> = {
  // Inferred from the shape of a line: the data may be constant, the call may be safe.
  'sql-injection': 'medium',
  'command-injection': 'medium',
  'code-injection': 'medium',
  // Names and entropy, not a vendor's format: a test fixture or a placeholder can look the same.
  'generic-secret': 'medium',
  'generic-secret-unquoted': 'medium',
  'password-literal': 'medium',
  'bearer-token': 'medium',
  'basic-auth-header': 'medium',
  'curl-user-password': 'medium',
  'atlassian-api-token-named': 'medium',
  'sonar-api-token-named': 'medium',
  jwt: 'medium',
  'jwt-base64': 'medium',
  // Sure of what it saw, unsure it is a problem: leftovers may be intended.
  'console-log': 'medium',
};

export function ruleConfidence(ruleId: string | undefined): Confidence {
  return (ruleId !== undefined && Object.hasOwn(RULE_CONFIDENCE, ruleId) ? RULE_CONFIDENCE[ruleId] : undefined) ?? DEFAULT_CONFIDENCE;
}

/** A built-in finding with its rule's confidence, unless it already states one. */
export function withRuleConfidence(finding: Finding): Finding {
  return finding.confidence !== undefined ? finding : { ...finding, confidence: ruleConfidence(finding.rule) };
}
