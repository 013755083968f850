// The whole table of line rules (secrets first, in priority order, then code) and of file rules. The line rules are
// built on first need (secrets.ts says why); the file rules are two small objects.
import { CODE_FILE_RULES, codeRules } from './code.js';
import { SECRET_FILE_RULES, secretRules } from './secrets.js';
import type { FileRule, LineRule } from './types.js';

let lines: readonly LineRule[] | null = null;

/** Every line rule in table order: the same objects on every call. */
export function lineRules(): readonly LineRule[] {
  lines ??= [...secretRules(), ...codeRules()];
  return lines;
}

export const FILE_RULES: readonly FileRule[] = [...SECRET_FILE_RULES, ...CODE_FILE_RULES];
