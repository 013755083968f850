import { UsageError } from '../errors.js';
import { SEVERITIES, type Policy, type Severity } from '../types.js';
import { setsBlockSeverity } from './validate.js';

const ALLOWED = [...SEVERITIES, 'none'] as const;

/**
 * CODEAI_FAIL_ON (the GitHub Action's fail-on input): the block severity when the policy file does not set one.
 * The repository's policy wins, so a workflow default never loosens or tightens what the team wrote.
 */
export function applyFailOn(policy: Policy, env: NodeJS.ProcessEnv): void {
  const value = env.CODEAI_FAIL_ON?.trim();
  if (!value) return;
  if (!(ALLOWED as readonly string[]).includes(value)) {
    throw new UsageError(`CODEAI_FAIL_ON (the action's fail-on) is '${value}'; allowed: ${ALLOWED.join(', ')}`);
  }
  if (!setsBlockSeverity(policy)) policy.block.severity = value as Severity | 'none';
}
