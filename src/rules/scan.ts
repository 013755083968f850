// Runs the rule tables over text. `findSecrets` is shared with redaction so that what is reported and what is
// masked before a model sees the diff can never disagree.
import type { Category, DiffFile, DiffLine, Finding, Severity } from '../types.js';
import { severityRank } from '../types.js';
import { CODE_FILE_RULES, CODE_RULES } from './code.js';
import { lexLines, regionAt, startsInBlockComment, syntaxOf, type Span, type Syntax } from './lexer.js';
import { maskSecret, replaceRanges, type TextRange } from './mask.js';
import { isTestOrDocsPath } from './paths.js';
import { keywordAutomaton } from './prefilter.js';
import { SECRET_FILE_RULES, SECRET_RULES } from './secrets.js';
import type { FileRule, LineRule } from './types.js';
import { shannonEntropy as shannonEntropyOf } from './value.js';

export { shannonEntropy } from './value.js';

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

const scanners = new WeakMap<LineRule, RegExp>();

/** The rule's pattern with g (to find every match) and, when a group is the secret, d (for its offsets; d is slow). */
function scanner(rule: LineRule): RegExp {
  let re = scanners.get(rule);
  if (!re) {
    re = new RegExp(rule.pattern.source, `${rule.pattern.flags.replace(/[gyd]/g, '')}g${rule.secretGroup ? 'd' : ''}`);
    scanners.set(rule, re);
  }
  return re;
}

/**
 * The keyword prefilter for a list of rules: which of them may match a lower-cased line, found in one pass over
 * the line whatever the number of keywords (see prefilter.ts).
 */
export function keywordFilter(rules: readonly LineRule[]): (lower: string) => ReadonlySet<LineRule> {
  const always = rules.filter((r) => r.keywords.length === 0);
  const byKeyword = new Map<string, LineRule[]>();
  for (const r of rules) for (const k of r.keywords) byKeyword.set(k, [...(byKeyword.get(k) ?? []), r]);
  const automaton = keywordAutomaton(byKeyword);
  if (always.length === 0) return (lower) => automaton.find(lower);
  return (lower) => new Set([...always, ...automaton.find(lower)]);
}

/** Every match of one rule on one line that is neither a placeholder nor a look-alike. */
export function matchRule(rule: LineRule, text: string): RuleMatch[] {
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
    if (rule.minEntropy !== undefined && shannonEntropyOf(value) < rule.minEntropy) continue;
    if (rule.verify && !rule.verify(value, m)) continue;
    found.push({ rule, start, end: start + value.length, value });
  }
  return found;
}

function applies(rule: LineRule, path: string): boolean {
  return !rule.fileFilter || rule.fileFilter(path);
}

/**
 * Matches of `rules` on one line, sorted by position and never overlapping: when two rules claim the same text,
 * the more severe keeps it (a named rule must not turn a high finding into a low one), then the earlier in the
 * table (the more specific). Rule by rule, each rule's matches (sorted and disjoint, as a global regex finds them)
 * are merged into those kept so far: linear in the matches, where comparing every pair was quadratic on a
 * minified line of thousands of matches.
 */
function claimSecrets(text: string, rules: readonly LineRule[]): RuleMatch[] {
  const byPriority = rules
    .map((rule, order) => ({ rule, order }))
    .sort((a, b) => severityRank(b.rule.severity) - severityRank(a.rule.severity) || a.order - b.order);
  let kept: RuleMatch[] = [];
  for (const { rule } of byPriority) {
    const matches = matchRule(rule, text);
    if (matches.length === 0) continue;
    const accepted: RuleMatch[] = [];
    let j = 0;
    for (const m of matches) {
      while (j < kept.length && kept[j]!.end <= m.start) j++;
      if (j < kept.length && kept[j]!.start < m.end) continue;
      accepted.push(m);
    }
    kept = mergeByStart(kept, accepted);
  }
  return kept;
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

let secretFilter: ((lower: string) => ReadonlySet<LineRule>) | null = null;

/**
 * The prefilter of a set of enabled rules, built once per set: building the automaton costs a few milliseconds,
 * which a caller scanning many small diffs (the bench, `baseline --all`) would otherwise pay per call.
 */
const filters = new Map<string, (lower: string) => ReadonlySet<LineRule>>();
function cachedFilter(rules: readonly LineRule[]): (lower: string) => ReadonlySet<LineRule> {
  const key = rules.map((r) => r.id).join(',');
  let filter = filters.get(key);
  if (!filter) {
    if (filters.size >= 8) filters.clear();
    filter = keywordFilter(rules);
    filters.set(key, filter);
  }
  return filter;
}

/**
 * The secrets on one line (every secrets rule, enabled or not), sorted by position and never overlapping.
 */
export function findSecrets(text: string, path: string): RuleMatch[] {
  secretFilter ??= keywordFilter(SECRET_RULES);
  const woken = secretFilter(text.toLowerCase());
  if (woken.size === 0) return [];
  return claimSecrets(text, inTableOrder(woken, (r) => applies(r, path)));
}

const tableIndex = new Map<LineRule, number>(LINE_RULES.map((r, i) => [r, i]));

/** The woken rules that pass `keep`, in table order: a line wakes a few rules, the table holds hundreds. */
function inTableOrder(woken: ReadonlySet<LineRule>, keep: ReadonlySet<LineRule> | ((rule: LineRule) => boolean)): LineRule[] {
  const rules: LineRule[] = [];
  for (const r of woken) if (typeof keep === 'function' ? keep(r) : keep.has(r)) rules.push(r);
  return rules.length > 1 ? rules.sort(byTableIndex) : rules;
}

function byTableIndex(a: LineRule, b: LineRule): number {
  return (tableIndex.get(a) ?? 0) - (tableIndex.get(b) ?? 0);
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

/** An added line with what the file around it says: the next new-side line, and its hunk's lexer. */
interface AddedLine {
  text: string;
  newLine: number;
  next: string | undefined;
  hunk: HunkRegions;
  /** Index of the line among its hunk's new-side lines. */
  index: number;
}

/**
 * Where comments and strings are in one hunk, lexed on first need over its new side (context lines included, so a
 * doc comment opened above a change is known), for the languages the lexer reads.
 */
class HunkRegions {
  private lexed: Span[][] | null = null;
  constructor(
    private readonly syntax: Syntax | null,
    private readonly texts: string[],
  ) {}
  spans(index: number): Span[] | null {
    if (!this.syntax) return null;
    this.lexed ??= lexLines(this.syntax, this.texts, startsInBlockComment(this.syntax, this.texts));
    return this.lexed[index] ?? null;
  }
}

function addedLines(file: DiffFile): AddedLine[] {
  const syntax = syntaxOf(file.path);
  const out: AddedLine[] = [];
  for (const hunk of file.hunks) {
    const newSide = hunk.lines.filter((l): l is DiffLine & { newLine: number } => l.kind !== 'del' && l.newLine !== undefined);
    const regions = new HunkRegions(syntax, newSide.map((l) => l.text));
    for (let i = 0; i < newSide.length; i++) {
      const line = newSide[i]!;
      if (line.kind === 'add') out.push({ text: line.text, newLine: line.newLine, next: newSide[i + 1]?.text, hunk: regions, index: i });
    }
  }
  return out;
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
 * A code rule's match counts when it starts in code: not in a comment, nor (for most rules) in a string. A line
 * that starts like a comment never counts (a doc comment's ` * ` line in a hunk that begins inside it, or any file
 * the lexer does not read).
 */
function inRunningCode(rule: LineRule, line: AddedLine, column: number): boolean {
  if (rule.skipLines?.test(line.text)) return false;
  const spans = rule.outside ? line.hunk.spans(line.index) : null;
  if (spans === null) return true;
  const region = regionAt(spans, column);
  return region === null || !rule.outside!.includes(region);
}

/** A key block's header counts when key material follows it: code that names the header holds no key. */
function hasBlockBody(rule: LineRule, match: RuleMatch, line: AddedLine): boolean {
  if (!rule.block || rule.block.end.test(match.value)) return true;
  // The body starts right after the header (`\n` in JSON) or on the next line; looking further would make a line
  // of repeated headers quadratic.
  const rest = line.text.slice(match.end, match.end + 80);
  const next = /[A-Za-z0-9+/]{16}/.test(rest) ? rest : (line.next ?? '');
  return rule.block.body.test(next) && /[A-Za-z0-9+/]{16}/.test(next);
}

/** The rule's severity in this file: lowered in test, example and documentation files for rules that say so. */
function severityIn(rule: LineRule | FileRule, path: string): Severity {
  if (!rule.inTests || !isTestOrDocsPath(path)) return rule.severity;
  return severityRank(rule.inTests) < severityRank(rule.severity) ? rule.inTests : rule.severity;
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
  const wake = cachedFilter([...secretRules, ...codeRules]);
  const rank = new Map([...LINE_RULES, ...FILE_RULES].map((r, i) => [r.id, i]));
  const out: Ordered[] = [];
  const add = (path: string, line: number, rule: LineRule | FileRule, message: string, column: number, code?: string) =>
    out.push({ finding: toFinding(path, line, rule, severityIn(rule, path), message, code), rank: rank.get(rule.id) ?? 0, column });

  for (const file of files) {
    if (file.submodule) continue;
    if (!file.binary) {
      const secrets = new Set(secretRules.filter((r) => applies(r, file.path)));
      const code = new Set(codeRules.filter((r) => applies(r, file.path)));
      const added = addedLines(file);
      const hasNeighbour = neighbourCheck(added);
      for (const line of added) {
        const woken = wake(line.text.toLowerCase());
        if (woken.size === 0) continue;
        const hits: Array<{ rule: LineRule; column: number; message: string }> = [];
        for (const m of claimSecrets(line.text, inTableOrder(woken, secrets))) {
          if (!hasBlockBody(m.rule, m, line)) continue;
          hits.push({ rule: m.rule, column: m.start, message: `${m.rule.title} in an added line: ${maskSecret(m.value)}` });
        }
        for (const rule of inTableOrder(woken, code)) {
          const m = matchRule(rule, line.text).find((c) => inRunningCode(rule, line, c.start));
          if (!m || !hasNeighbour(rule, line.newLine)) continue;
          hits.push({ rule, column: m.start, message: `${rule.title}: \`${snippet(m.value, file.path)}\`` });
        }
        if (hits.length === 0) continue;
        const masked = maskSecretsInLine(line.text, file.path);
        for (const h of hits) add(file.path, line.newLine, h.rule, h.message, h.column, masked);
      }
    }
    for (const rule of fileRules) {
      if (file.binary && !rule.binary) continue;
      const hit = rule.check(file);
      if (hit) add(file.path, hit.line, rule, `${rule.title}: ${hit.found}`, 0);
    }
  }

  const order = (a: Ordered, b: Ordered) =>
    compare(a.finding.file, b.finding.file) || a.finding.line - b.finding.line || a.rank - b.rank || a.column - b.column;
  return out.sort(order).map((o) => o.finding);
}

function toFinding(file: string, line: number, rule: LineRule | FileRule, severity: Severity, message: string, code?: string): Finding {
  const finding: Finding = {
    file,
    line,
    severity,
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
