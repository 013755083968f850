// Runs the rule tables over text. `findSecrets` is shared with redaction so that what is reported and what is
// masked before a model sees the diff can never disagree.
import type { Category, DiffFile, DiffLine, Finding } from '../types.js';
import { CODE_FILE_RULES, CODE_RULES } from './code.js';
import { maskSecret, replaceRanges, type TextRange } from './mask.js';
import { SECRET_FILE_RULES, SECRET_RULES } from './secrets.js';
import type { FileRule, LineRule } from './types.js';

export const LINE_RULES: readonly LineRule[] = [...SECRET_RULES, ...CODE_RULES];
export const FILE_RULES: readonly FileRule[] = [...SECRET_FILE_RULES, ...CODE_FILE_RULES];

/** Every built-in rule id, in table order (for validating `disableRules` and for documentation). */
export function builtinRuleIds(): string[] {
  return [...LINE_RULES, ...FILE_RULES].map((r) => r.id);
}

export interface RuleMatch extends TextRange {
  rule: LineRule;
  /** The secret (its capture group) or, for a code rule, the matched text; `start`/`end` delimit it. */
  value: string;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const n = [...s].length;
  let bits = 0;
  for (const c of counts.values()) bits -= (c / n) * Math.log2(c / n);
  return bits;
}

const scanners = new WeakMap<LineRule, RegExp>();

/** The rule's pattern with g (to find every match) and, when a group is the secret, d (for its offsets). */
function scanner(rule: LineRule): RegExp {
  let re = scanners.get(rule);
  if (!re) {
    const flags = rule.pattern.flags.replace(/[gyd]/g, '') + 'g' + (rule.secretGroup ? 'd' : '');
    re = new RegExp(rule.pattern.source, flags);
    scanners.set(rule, re);
  }
  return re;
}

/**
 * The keyword prefilter for a list of rules: which of them may match a lower-cased line. One pass of a combined
 * regex replaces an includes() per keyword per rule, which is what made large diffs slow.
 */
export function keywordFilter(rules: readonly LineRule[]): (lower: string) => ReadonlySet<LineRule> {
  const always = new Set(rules.filter((r) => r.keywords.length === 0));
  const byKeyword = new Map<string, LineRule[]>();
  for (const r of rules) for (const k of r.keywords) byKeyword.set(k, [...(byKeyword.get(k) ?? []), r]);
  if (byKeyword.size === 0) return () => always;
  // Longest first, so that at one position the longest keyword is reported; it wakes the rules of every keyword
  // it contains too (a line with 'sk-ant-' also has 'sk-').
  const keywords = [...byKeyword.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const wakes = new Map(keywords.map((k) => [k, [...new Set(keywords.filter((j) => k.includes(j)).flatMap((j) => byKeyword.get(j) ?? []))]]));
  const any = new RegExp(`(?=(${keywords.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}))`, 'g');
  return (lower) => {
    any.lastIndex = 0;
    let found: Set<LineRule> | null = null;
    for (let m = any.exec(lower); m; m = any.exec(lower)) {
      found ??= new Set(always);
      for (const r of wakes.get(m[1] ?? '') ?? []) found.add(r);
      any.lastIndex = m.index + 1;
    }
    return found ?? always;
  };
}

/** Every match of one rule on one line that is neither a placeholder nor too regular to be a key. */
export function matchRule(rule: LineRule, text: string): RuleMatch[] {
  if (rule.skipLines?.test(text)) return [];
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
    if (rule.allow?.test(value)) continue;
    if (rule.minEntropy !== undefined && shannonEntropy(value) < rule.minEntropy) continue;
    found.push({ rule, start, end: start + value.length, value });
  }
  return found;
}

function applies(rule: LineRule, path: string): boolean {
  return !rule.fileFilter || rule.fileFilter(path);
}

/** Matches of `rules` on one line, earlier rules keeping text that several claim, sorted by position. */
function claimSecrets(text: string, rules: Iterable<LineRule>): RuleMatch[] {
  const kept: RuleMatch[] = [];
  for (const rule of rules) {
    for (const m of matchRule(rule, text)) {
      if (!kept.some((k) => m.start < k.end && k.start < m.end)) kept.push(m);
    }
  }
  return kept.sort((a, b) => a.start - b.start);
}

let secretFilter: ((lower: string) => ReadonlySet<LineRule>) | null = null;

/**
 * The secrets on one line (every secrets rule, enabled or not), sorted by position and never overlapping: when two
 * rules claim the same text, the earlier rule in the table (the more specific one) keeps it.
 */
export function findSecrets(text: string, path: string): RuleMatch[] {
  secretFilter ??= keywordFilter(SECRET_RULES);
  const woken = secretFilter(text.toLowerCase());
  if (woken.size === 0) return [];
  return claimSecrets(text, SECRET_RULES.filter((r) => woken.has(r) && applies(r, path)));
}

/** The line as it may be shown: every secret (whatever rules are enabled) cut down by `maskSecret`. */
export function maskSecretsInLine(text: string, path: string): string {
  return replaceRanges(text, findSecrets(text, path), (m) => maskSecret(text.slice(m.start, m.end)));
}

export interface BuiltinRuleOptions {
  /** Rule ids turned off (policy `disableRules`). */
  disabled: string[];
  /** Only rules of these categories run. */
  categories: Category[];
}

interface Ordered {
  finding: Finding;
  /** Table position of the rule, then column: ties broken the same way on every run. */
  rank: number;
  column: number;
}

const SNIPPET_MAX = 80;

function snippet(text: string, path: string): string {
  const shown = maskSecretsInLine(text.trim(), path);
  return shown.length > SNIPPET_MAX ? `${shown.slice(0, SNIPPET_MAX - 1)}…` : shown;
}

type AddedLine = DiffLine & { newLine: number };

function addedLines(file: DiffFile): AddedLine[] {
  return file.hunks.flatMap((h) => h.lines.filter((l): l is AddedLine => l.kind === 'add' && l.newLine !== undefined));
}

/**
 * Answers "is another added line within `near.lines` of this one matching `near.pattern`?" for one file. The
 * matching lines are found once per rule and searched by bisection, so a file of separators stays linear.
 */
function neighbourCheck(added: ReadonlyArray<{ newLine: number; text: string }>): (rule: LineRule, line: number) => boolean {
  const matching = new Map<LineRule, number[]>();
  return (rule, line) => {
    const near = rule.near;
    if (!near) return true;
    let lines = matching.get(rule);
    if (!lines) {
      lines = added.filter((l) => near.pattern.test(l.text)).map((l) => l.newLine);
      matching.set(rule, lines);
    }
    // the first matching line at or after line - near.lines; skip the line itself
    let lo = 0;
    let hi = lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lines[mid]! < line - near.lines) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < lines.length && lines[i]! <= line + near.lines; i++) if (lines[i] !== line) return true;
    return false;
  };
}

/**
 * The built-in review: every enabled rule over the added lines of `files`, plus the file-level rules. Findings
 * carry the masked line as `code` (fingerprints use it) and are sorted by file, line, rule table order, column.
 */
export function runBuiltinRules(files: DiffFile[], opts: BuiltinRuleOptions): Finding[] {
  const disabled = new Set(opts.disabled);
  const categories = new Set(opts.categories);
  const on = (r: { id: string; category: Category }) => !disabled.has(r.id) && categories.has(r.category);
  const secretRules = SECRET_RULES.filter(on);
  const codeRules = CODE_RULES.filter(on);
  const fileRules = FILE_RULES.filter(on);
  const wake = keywordFilter([...secretRules, ...codeRules]);
  const rank = new Map([...LINE_RULES, ...FILE_RULES].map((r, i) => [r.id, i]));
  const out: Ordered[] = [];

  for (const file of files) {
    if (file.binary || file.submodule) continue;
    const secrets = secretRules.filter((r) => applies(r, file.path));
    const code = codeRules.filter((r) => applies(r, file.path));
    const added = addedLines(file);
    const hasNeighbour = neighbourCheck(added);
    for (const { text, newLine } of added) {
      const woken = wake(text.toLowerCase());
      if (woken.size === 0) continue;
      const hits: Array<{ rule: LineRule; column: number; message: string }> = [];
      for (const m of claimSecrets(text, secrets.filter((r) => woken.has(r)))) {
        hits.push({ rule: m.rule, column: m.start, message: `${m.rule.title} in an added line: ${maskSecret(m.value)}` });
      }
      for (const rule of code) {
        if (!woken.has(rule)) continue;
        const m = matchRule(rule, text)[0];
        if (!m || !hasNeighbour(rule, newLine)) continue;
        hits.push({ rule, column: m.start, message: `${rule.title}: \`${snippet(m.value, file.path)}\`` });
      }
      if (hits.length === 0) continue;
      const masked = maskSecretsInLine(text, file.path);
      for (const h of hits) {
        const finding = toFinding(file.path, newLine, h.rule, h.message, masked);
        out.push({ finding, rank: rank.get(h.rule.id) ?? 0, column: h.column });
      }
    }
    for (const rule of fileRules) {
      const hit = rule.check(file);
      if (!hit) continue;
      out.push({ finding: toFinding(file.path, hit.line, rule, `${rule.title}: ${hit.found}`), rank: rank.get(rule.id) ?? 0, column: 0 });
    }
  }

  const order = (a: Ordered, b: Ordered) =>
    compare(a.finding.file, b.finding.file) || a.finding.line - b.finding.line || a.rank - b.rank || a.column - b.column;
  return out.sort(order).map((o) => o.finding);
}

function toFinding(file: string, line: number, rule: LineRule | FileRule, message: string, code?: string): Finding {
  const finding: Finding = {
    file,
    line,
    severity: rule.severity,
    category: rule.category,
    title: rule.title,
    message,
    suggestion: rule.hint,
    source: 'builtin',
    rule: rule.id,
  };
  // File-level findings have no line of their own to show (and a .env's first line may be a secret).
  if (code !== undefined) finding.code = code;
  return finding;
}

/** Plain code-unit order: the same on every machine, unlike localeCompare. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
