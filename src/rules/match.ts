// Matching one line against the rule table: the keyword prefilter, each rule's pattern and checks, and which rule
// keeps text that several claim. `findSecrets` is shared with redaction so that what is reported and what is masked
// before a model sees the diff can never disagree.
import { severityRank } from '../types.js';
import { base64Values } from './encoded.js';
import { maskSecret, replaceRanges, type TextRange } from './mask.js';
import { secretRules } from './secrets.js';
import type { LineRule } from './types.js';
import { shannonEntropy } from './value.js';
import { holdsNeeds, wakeRules } from './wake.js';

export interface RuleMatch extends TextRange {
  rule: LineRule;
  /** The secret (its capture group) or, for a code rule, the matched text; `start`/`end` delimit it. */
  value: string;
  /** For a secret stored base64-encoded: the match in the decoded text (`value` is then the whole encoded value). */
  decoded?: RuleMatch;
}

const scanners = new WeakMap<LineRule, RegExp>();

/** The rule's pattern with g (to find every match) and, when a group is the secret, d (for its offsets; d is slow). */
function scanner(rule: LineRule): RegExp {
  let re = scanners.get(rule);
  if (!re) {
    const pattern = rule.pattern();
    re = new RegExp(pattern.source, `${pattern.flags.replace(/[gyd]/g, '')}g${rule.secretGroup ? 'd' : ''}`);
    scanners.set(rule, re);
  }
  return re;
}

/** Every match of one rule on one line that is neither a placeholder nor a look-alike. */
export function matchRule(rule: LineRule, text: string): RuleMatch[] {
  if (rule.needs && !holdsNeeds(text, rule.needs)) return [];
  const re = scanner(rule);
  const found: RuleMatch[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === '') {
      re.lastIndex++;
      continue;
    }
    let start = m.index;
    let value = m[0];
    if (rule.secretGroup) {
      const span = m.indices?.[rule.secretGroup];
      const group = m[rule.secretGroup];
      if (!span || group === undefined) continue;
      start = span[0];
      value = group;
    }
    if (rule.minEntropy !== undefined && shannonEntropy(value) < rule.minEntropy) continue;
    if (rule.verify && !rule.verify(value, m)) continue;
    found.push({ rule, start, end: start + value.length, value });
  }
  return found;
}

export function applies(rule: LineRule, path: string): boolean {
  return !rule.fileFilter || rule.fileFilter(path);
}

/**
 * Matches of `rules` on one line, sorted by position and never overlapping: when two rules claim the same text,
 * the more severe keeps it (a named rule must not turn a high finding into a low one), then the earlier in the
 * table (the more specific). Rule by rule, each rule's matches (sorted and disjoint, as a global regex finds them)
 * are merged into those kept so far: linear in the matches, where comparing every pair was quadratic on a
 * minified line of thousands of matches. `encoded` (encodedSecrets) take part by their rule's severity, after every
 * rule of the same severity: a Docker `auth` or a JWT's own rule keeps its value.
 */
export function claimSecrets(text: string, rules: readonly LineRule[], encoded: readonly RuleMatch[] = []): RuleMatch[] {
  const byPriority: Array<{ rule: LineRule; order: number; found?: RuleMatch[] }> = rules.map((rule, order) => ({ rule, order }));
  if (encoded.length > 0) {
    // each rule's encoded matches as one list (in order of start, disjoint): a line of thousands of them stays linear
    const byRule = new Map<LineRule, RuleMatch[]>();
    for (const m of encoded) {
      const list = byRule.get(m.rule);
      if (list) list.push(m);
      else byRule.set(m.rule, [m]);
    }
    for (const [rule, found] of byRule) byPriority.push({ rule, order: byPriority.length, found });
  }
  byPriority.sort((a, b) => severityRank(b.rule.severity) - severityRank(a.rule.severity) || a.order - b.order);
  let kept: RuleMatch[] = [];
  for (const { rule, found } of byPriority) {
    const matches = found ?? matchRule(rule, text);
    if (matches.length === 0) continue;
    kept = mergeByStart(kept, unclaimed(kept, matches));
  }
  return kept;
}

/** The matches (in order of start) that overlap none of `kept` (in order of start, disjoint): one pass over both. */
function unclaimed(kept: readonly RuleMatch[], matches: readonly RuleMatch[]): RuleMatch[] {
  const out: RuleMatch[] = [];
  let j = 0;
  for (const m of matches) {
    while (j < kept.length && kept[j]!.end <= m.start) j++;
    if (j < kept.length && kept[j]!.start < m.end) continue;
    out.push(m);
  }
  return out;
}

function mergeByStart(a: RuleMatch[], b: RuleMatch[]): RuleMatch[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: RuleMatch[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.start <= b[j]!.start)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

let secrets: ReadonlySet<LineRule> | null = null;

/** Is this one of the secrets rules (built with the table, on first need)? */
export function isSecretRule(rule: LineRule): boolean {
  secrets ??= new Set(secretRules());
  return secrets.has(rule);
}

/**
 * Secrets stored base64-encoded on one line: each base64 value (encoded.ts) whose decoded text holds a match of a
 * rule that reads decoded text (`inBase64`) and that `accept`s, as that rule's match over the whole encoded value
 * (the most severe, then the first, when the text holds several). Decoded once: what a value decodes to is not
 * decoded again.
 */
export function encodedSecrets(text: string, accept: (rule: LineRule) => boolean = () => true): RuleMatch[] {
  const out: RuleMatch[] = [];
  for (const v of base64Values(text)) {
    const rules = wakeRules(v.decoded).filter((r) => r.inBase64 === true && accept(r));
    if (rules.length === 0) continue;
    let inner: RuleMatch | undefined;
    for (const m of claimSecrets(v.decoded, rules)) {
      if (!inner || severityRank(m.rule.severity) > severityRank(inner.rule.severity)) inner = m;
    }
    if (inner) out.push({ rule: inner.rule, start: v.start, end: v.end, value: text.slice(v.start, v.end), decoded: inner });
  }
  return out;
}

/**
 * The secrets on one line (every secrets rule, enabled or not), sorted by position and never overlapping. This is
 * what is redacted before a model sees the text and masked before a person does. The rules that apply to `path`
 * claim first, so a value is labelled as its file makes it; then every other secrets rule takes what is left: a
 * rule's file filter trades recall for fewer *findings* (a NuGet password shape blocks only in nuget.config), but
 * the same value pasted into a note or a file name must not leave the machine either. Keys stored base64-encoded
 * are among them, masked whole.
 */
export function findSecrets(text: string, path = ''): RuleMatch[] {
  const woken = wakeRules(text);
  const encoded = encodedSecrets(text);
  if (woken.length === 0 && encoded.length === 0) return [];
  const own = claimSecrets(text, woken.filter((r) => isSecretRule(r) && applies(r, path)), encoded);
  const others = woken.filter((r) => isSecretRule(r) && !applies(r, path));
  if (others.length === 0) return own;
  return mergeByStart(own, unclaimed(own, claimSecrets(text, others)));
}

/** The line as it may be shown: every secret (whatever rules are enabled) cut down by `maskSecret`. */
export function maskSecretsInLine(text: string, path = ''): string {
  return replaceRanges(text, findSecrets(text, path), (m) => maskSecret(text.slice(m.start, m.end)));
}
