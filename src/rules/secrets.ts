// Secrets: credentials that must neither be committed nor sent to a model. The rules live in one file per family
// under secrets/; this is the table in priority order. When two rules match the same text, the more severe one
// keeps it, then the earlier: provider tokens come first, rules that find a key by the service's name next, the
// generic ones (a value assigned to `password`) last, so a GitHub token in `token = "…"` is reported once, as a
// GitHub token.
import { ENV_FILE_RULE } from './env-file.js';
import { AI_RULES } from './secrets/ai.js';
import { CLOUD_RULES } from './secrets/cloud.js';
import { GENERIC_RULES } from './secrets/generic.js';
import { KEY_FILE_RULES, KEY_RULES } from './secrets/keys.js';
import { MESSAGING_RULES } from './secrets/messaging.js';
import { PAYMENT_RULES } from './secrets/payments.js';
import { SAAS_RULES } from './secrets/saas.js';
import { VCS_RULES } from './secrets/vcs.js';
import type { FileRule, LineRule } from './types.js';

export const SECRET_RULES: readonly LineRule[] = [
  ...KEY_RULES,
  ...CLOUD_RULES,
  ...VCS_RULES,
  ...AI_RULES,
  ...PAYMENT_RULES,
  ...MESSAGING_RULES,
  ...SAAS_RULES,
  ENV_FILE_RULE,
  ...GENERIC_RULES,
];

export const SECRET_FILE_RULES: readonly FileRule[] = [...KEY_FILE_RULES];
