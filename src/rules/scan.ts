// The built-in review: the rule tables over the added lines of a diff (matching a line is match.ts), plus the rules
// about whole files; findings carry the rule's severity for the file's kind (lowered in tests and docs).
import type { Category, DiffFile, DiffLine, Finding, Severity } from '../types.js';
import { severityRank } from '../types.js';
import { syntaxOf, type Syntax } from './languages.js';
import { lexLines, regionAt, startsInBlockComment, type Span } from './lexer.js';
import { maskSecret } from './mask.js';
import { applies, claimSecrets, encodedSecrets, isSecretRule, maskSecretsInLine, matchRule, type RuleMatch } from './match.js';
import { isTestOrDocsPath } from './paths.js';
import { FILE_RULES, lineRules } from './table.js';
import type { FileRule, LineRule } from './types.js';
import { ruleRank, wakeRules } from './wake.js';

// The line-level API and the tables, kept here for the modules and tests that import them from scan.js.
export { findSecrets, maskSecretsInLine, matchRule, type RuleMatch } from './match.js';
export { FILE_RULES, lineRules } from './table.js';
export { shannonEntropy } from './value.js';
export { builtinRuleIds } from './wake.js';

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
 * A code rule's match counts when it starts in code: not in a comment, nor (for most rules) in a string. (A line that
 * starts like a comment, `skipLines`, is passed over before the rule's pattern runs at all.)
 */
function inRunningCode(rule: LineRule, line: AddedLine, column: number): boolean {
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

/** What a secrets finding says: the rule, and the secret cut down (its encoded form and what it decodes to). */
function secretMessage(m: RuleMatch): string {
  if (!m.decoded) return `${m.rule.title} in an added line: ${maskSecret(m.value)}`;
  return `${m.rule.title} (base64-encoded) in an added line: ${maskSecret(m.value)}, decoding to ${maskSecret(m.decoded.value)}`;
}

/**
 * The rule's severity where it matched: lowered, for rules that say so, in test, example and documentation files
 * and in comments (a doc comment's `// => { password: 'ferret' }` is documentation too).
 */
function severityIn(rule: LineRule | FileRule, path: string, inComment = false): Severity {
  if (!rule.inTests || !(inComment || isTestOrDocsPath(path))) return rule.severity;
  return severityRank(rule.inTests) < severityRank(rule.severity) ? rule.inTests : rule.severity;
}

/** Is the column in a comment, for languages the lexer reads (or on a line that starts like one)? */
function inComment(line: AddedLine, column: number): boolean {
  if (COMMENT_START.test(line.text)) return true;
  const spans = line.hunk.spans(line.index);
  return spans !== null && regionAt(spans, column) === 'comment';
}

const COMMENT_START = /^\s*(?:\/\/|\/\*|\*\s|#\s|<!--)/;

/**
 * The built-in review: every enabled rule over the added lines of `files`, plus the file-level rules. Findings
 * carry the masked line as `code` (fingerprints use it) and are sorted by file, line, rule table order, column.
 */
export function runBuiltinRules(files: DiffFile[], opts: BuiltinRuleOptions): Finding[] {
  const disabled = new Set(opts.disabled);
  const categories = new Set(opts.categories);
  const on = (r: { id: string; category: Category }) => !disabled.has(r.id) && categories.has(r.category);
  const fileRules = FILE_RULES.filter(on);
  // The line rules exist once a line wakes one (wake.ts): only then is the enabled set made.
  let enabled: ReadonlySet<LineRule> | null = null;
  const isOn = (r: LineRule) => (enabled ??= new Set(lineRules().filter(on))).has(r);
  const out: Ordered[] = [];
  const add = (path: string, line: number, rule: LineRule | FileRule, severity: Severity, message: string, column: number, code?: string) =>
    out.push({ finding: toFinding(path, line, rule, severity, message, code), rank: ruleRank(rule.id), column });

  for (const file of files) {
    if (file.submodule) continue;
    if (!file.binary) {
      // Whether a rule applies to the file is asked only of the rules a line wakes, once per file: a file whose
      // lines wake none runs no file filter (the first test of a path pattern compiles it, ~1 ms of a hook run).
      const applying = new Map<LineRule, boolean>();
      const appliesHere = (r: LineRule) => {
        let yes = applying.get(r);
        if (yes === undefined) applying.set(r, (yes = applies(r, file.path)));
        return yes;
      };
      const added = addedLines(file);
      const hasNeighbour = neighbourCheck(added);
      for (const line of added) {
        const woken = wakeRules(line.text);
        const encoded = encodedSecrets(line.text, (r) => isOn(r) && appliesHere(r));
        if (woken.length === 0 && encoded.length === 0) continue;
        const hits: Array<{ rule: LineRule; column: number; message: string; severity: Severity }> = [];
        const secrets = woken.filter((r) => isSecretRule(r) && isOn(r) && appliesHere(r));
        for (const m of claimSecrets(line.text, secrets, encoded)) {
          if (!hasBlockBody(m.rule, m, line)) continue;
          const severity = severityIn(m.rule, file.path, m.rule.inTests !== undefined && inComment(line, m.start));
          hits.push({ rule: m.rule, column: m.start, message: secretMessage(m), severity });
        }
        for (const rule of woken.filter((r) => !isSecretRule(r) && isOn(r) && appliesHere(r))) {
          // A line that starts like a comment never counts (a doc comment's ` * ` line in a hunk that begins inside
          // it, or any file the lexer does not read): its pattern is not even run.
          if (rule.skipLines?.test(line.text)) continue;
          const m = matchRule(rule, line.text).find((c) => inRunningCode(rule, line, c.start));
          if (!m || !hasNeighbour(rule, line.newLine)) continue;
          hits.push({ rule, column: m.start, message: `${rule.title}: \`${snippet(m.value, file.path)}\``, severity: severityIn(rule, file.path) });
        }
        if (hits.length === 0) continue;
        const masked = maskSecretsInLine(line.text, file.path);
        for (const h of hits) add(file.path, line.newLine, h.rule, h.severity, h.message, h.column, masked);
      }
    }
    for (const rule of fileRules) {
      if (file.binary && !rule.binary) continue;
      const hit = rule.check(file);
      if (hit) add(file.path, hit.line, rule, severityIn(rule, file.path), `${rule.title}: ${hit.found}`, 0);
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
