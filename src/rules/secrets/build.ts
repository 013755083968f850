// Two shapes cover most of the secrets table, so rules are written as a few fields each and built here:
// - `token`: a key that names its issuer by its own prefix or structure (`ghp_…`, `xoxb-…`, `SG.….…`);
// - `named`: a key that is only a run of characters, found by the service's name on the line before the value
//   (`ALGOLIA_ADMIN_KEY = "…"`), as in gitleaks' "semi-generic" rules.
// Every pattern starts at a token boundary, so each run of key characters is scanned from one position only and a
// line costs its length (a 10 MB line of `eyJeyJeyJ…` stays linear), and every repetition is bounded.
import type { Severity } from '../../types.js';
import type { LineRule } from '../types.js';
import { isDocumentationKey, isPlaceholder, isStandIn, isWordLike, shannonEntropy } from '../value.js';

/** Before a token: not a character that could continue it, or base64 around it, unless a `\n`-style escape. */
export const TOKEN_START = String.raw`(?<=^|[^A-Za-z0-9_+/-]|\\[nrt])`;
/**
 * Before a token whose fixed prefix holds '_' or '-' (`ghp_`, `sk-ant-`, `xoxb-`): any character but a letter or
 * digit. Such a prefix cannot be the inside of base64, so a path or a dashed name around it (`../ghp_…`,
 * `notes-ghp_….md`, a symlink's target) is no reason to miss it.
 */
const PREFIXED_TOKEN_START = String.raw`(?<=^|[^A-Za-z0-9]|\\[nrt])`;

/** True when the pattern starts with a literal prefix (character classes aside) that holds '_' or '-'. */
function hasDistinctivePrefix(pattern: string): boolean {
  const head = pattern.split(/[{(|*+?]/, 1)[0]!.replace(/\[[^\]]*\]/g, '');
  return /^[A-Za-z0-9]*[_-]/.test(head);
}
/** After a token: not a character that could continue it. */
export const TOKEN_END = String.raw`(?![A-Za-z0-9_+/-])`;
/** `=`, `:`, `:=`, `=>`, `?=`, `||`, `,` and `>` (XML), with quotes and spaces around. */
export const ASSIGN = String.raw`["']?[ \t]{0,4}(?:=>|:=|\?=|\|\||=(?!=)|:|,|>)[ \t]{0,4}["'\x60]?[ \t]{0,4}`;

const revoke = (provider: string) =>
  `Revoke the key in ${provider} and issue a new one; keep it in the environment or a secret store (the CI's secrets), never in the repository.`;

interface Common {
  id: string;
  title: string;
  /** Who issued it, for the hint ("the GitHub settings"). */
  issuer: string;
  family: string;
  severity?: Severity;
  keywords: string[];
  hint?: string;
  limits?: string;
  inTests?: Severity;
  verify?: (secret: string, match: RegExpExecArray) => boolean;
}

interface TokenSpec extends Common {
  /** The token (no boundaries: they are added); a capture group may name the secret with `secretGroup`. */
  pattern: string;
  secretGroup?: number;
  /** Compiled case-insensitively. */
  ignoreCase?: boolean;
  /** False for patterns that carry their own delimiters (a URL): no token boundaries around them. */
  anchored?: boolean;
  minEntropy?: number;
}

/** What every secret rule of both shapes says about itself, with the shape's defaults. */
function describe(spec: Common, defaults: { severity: Severity; limits: string }) {
  return {
    id: spec.id,
    title: spec.title,
    severity: spec.severity ?? defaults.severity,
    category: 'security' as const,
    family: spec.family,
    hint: spec.hint ?? revoke(spec.issuer),
    limits: spec.limits ?? defaults.limits,
  };
}

/** A key that carries its issuer's prefix or structure. Critical unless `severity` says otherwise. */
export function token(spec: TokenSpec): LineRule {
  const verify = spec.verify;
  const rule: LineRule = {
    ...describe(spec, { severity: 'critical', limits: 'a key split over several strings or lines; the same characters without the prefix' }),
    pattern: () =>
      new RegExp(
        spec.anchored === false
          ? spec.pattern
          : `${hasDistinctivePrefix(spec.pattern) ? PREFIXED_TOKEN_START : TOKEN_START}(?:${spec.pattern})${TOKEN_END}`,
        spec.ignoreCase ? 'i' : '',
      ),
    keywords: spec.keywords,
    verify: (secret, m) => !isStandIn(secret) && !isDocumentationKey(secret) && (verify ? verify(secret, m) : true),
    // its prefix or structure is what makes it rare, encoded or not
    inBase64: true,
  };
  if (spec.secretGroup !== undefined) rule.secretGroup = spec.secretGroup;
  if (spec.minEntropy !== undefined) rule.minEntropy = spec.minEntropy;
  if (spec.inTests) rule.inTests = spec.inTests;
  return rule;
}

interface NamedSpec extends Common {
  /** Regex alternation of the names that announce the value (`twilio`, `new[-_]?relic`), case-insensitive. */
  names: string;
  /** Regex of the value itself, case-insensitive. */
  value: string;
  /** Bits per character the value must reach (cut for short values, which cannot reach it); default 3. */
  minEntropy?: number;
  /** The part of the value to judge, when the format has a fixed run the placeholder check would take for a mask. */
  judged?: (value: string) => string;
}

/**
 * A key found by the service's name: the name, up to 20 more name characters (`_API_KEY`), an assignment, then
 * the value, which must not be a placeholder nor made of words, and must look random.
 */
export function named(spec: NamedSpec): LineRule {
  const min = spec.minEntropy ?? 3;
  const verify = spec.verify;
  const judged = spec.judged ?? ((v: string) => v);
  const rule: LineRule = {
    ...describe(spec, {
      severity: 'high',
      limits: 'a value whose line does not name the service (within 20 characters before the assignment); values that read as words or placeholders',
    }),
    pattern: () =>
      new RegExp(`(?<![A-Za-z0-9])(?:${spec.names})[\\w.-]{0,20}?${ASSIGN}(${spec.value})(?=[\\x60'"\\s;,)\\]}<]|\\\\[nrt]|$)`, 'i'),
    keywords: spec.keywords,
    secretGroup: 1,
    verify: (value, m) => {
      const v = judged(value);
      return (
        !isPlaceholder(v) &&
        !isWordLike(v) &&
        !isDocumentationKey(value) &&
        shannonEntropy(v) >= Math.min(min, Math.log2(v.length) * 0.8) &&
        (verify ? verify(value, m) : true)
      );
    },
  };
  // Found by a name, not by its own shape: in tests and docs it is most likely a fixture.
  rule.inTests = spec.inTests ?? 'low';
  return rule;
}

/** `[0-9a-f]{8}-…-[0-9a-f]{12}`: a UUID, the shape of several services' keys. */
export const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
