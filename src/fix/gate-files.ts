// Files that decide whether and how the check runs: the policy, the baseline, the team's instruction files, the hook
// wiring, CI workflows. A model's text is data, never instructions; a model fix to one of these files would let a
// change (a prompt in the diff) switch the check off through `fix --yes`. So a model never fixes them; the user
// edits them by hand. Built-in fixes (TLS verification back on) are not models' text and stay allowed.

import { SEARCH_PLACES } from '../policy/load.js';
import { isInstructionFile } from '../review/team-instructions.js';

const HOOKS_AND_CI = [
  /^\.husky\//,
  /^\.git\//,
  /^\.pre-commit-config\.ya?ml$/,
  /^(?:\.config\/)?\.?lefthook\.(?:ya?ml|toml|jsonc?)$/,
  /^\.?simple-git-hooks\.(?:c?js|json)$/,
  /(?:^|\/)\.codeai-baseline\.json$/,
  /^\.github\/workflows\//,
  /^\.gitlab-ci\.ya?ml$/,
];

/** Why a model may not fix `path`, or null. The policy is searched for in every folder, so any folder's counts. */
export function gateFileReason(path: string): string | null {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const gate = (SEARCH_PLACES as readonly string[]).includes(name) || isInstructionFile(path) || HOOKS_AND_CI.some((p) => p.test(path));
  return gate ? `${path} configures the check itself: a model does not fix it; edit it by hand` : null;
}
