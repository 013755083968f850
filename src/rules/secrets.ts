// Secrets: credentials that must neither be committed nor sent to a model. The rules live in one file per family
// under secrets/; this is the table in priority order. When two rules match the same text, the more severe one
// keeps it, then the earlier: provider tokens come first, rules that find a key by the service's name next, the
// generic ones (a value assigned to `password`) last, so a GitHub token in `token = "…"` is reported once, as a
// GitHub token.
//
// The table is built on first need, not when this module loads: every commit loads it (printing anything masks it),
// and building its ~200 rules cost each hook run ~5 ms (measured), while the lines of a small commit and what the
// hook prints rarely wake a rule (wake-index.ts answers that without the table).
import { envFileRule } from './env-file.js';
import { aiRules } from './secrets/ai.js';
import { cloudRules } from './secrets/cloud.js';
import { genericRules } from './secrets/generic.js';
import { KEY_FILE_RULES, keyRules } from './secrets/keys.js';
import { messagingRules } from './secrets/messaging.js';
import { paymentRules } from './secrets/payments.js';
import { saasRules } from './secrets/saas.js';
import { vcsRules } from './secrets/vcs.js';
import type { FileRule, LineRule } from './types.js';

let table: readonly LineRule[] | null = null;

/** The secrets line rules in priority order: the same objects on every call. */
export function secretRules(): readonly LineRule[] {
  table ??= [
    ...keyRules(),
    ...cloudRules(),
    ...vcsRules(),
    ...aiRules(),
    ...paymentRules(),
    ...messagingRules(),
    ...saasRules(),
    envFileRule(),
    ...genericRules(),
  ];
  return table;
}

export const SECRET_FILE_RULES: readonly FileRule[] = [...KEY_FILE_RULES];
