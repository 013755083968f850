// Findings a person has already judged: `codeai-ignore` comments in the code, and the fingerprints of a baseline
// (findings that existed before the hook was adopted). `--no-suppress` turns both off to show everything.
//
// A comment hides no more than it says: a trailing one (after code) covers its own line only; one standing alone
// on its line covers the line below too, but only when it is as new as that line (an old comment does not exempt
// whatever is added under it); and a bare `codeai-ignore` never hides a secret, which needs its rule id named, the
// way gitleaks:allow is per line. Every suppression keeps its reason, for the reports.
import { SECRET_FILE_RULES, secretRules } from '../rules/secrets.js';
import type { DiffFile, Finding, SuppressedFinding } from '../types.js';
import { fingerprint } from './fingerprint.js';

export interface SuppressOptions {
  /** Fingerprints from the baseline file, or null when there is none. */
  baseline: Set<string> | null;
  /** False for `--no-suppress`. */
  enabled: boolean;
}

export interface SuppressResult {
  kept: Finding[];
  suppressed: { inline: number; baseline: number };
  /** What was hidden, and why, in the order of the findings. */
  suppressions: SuppressedFinding[];
}

/** One `codeai-ignore` comment. `rules` null: every finding but secrets; otherwise only these rule ids or categories. */
export interface IgnoreDirective {
  rules: string[] | null;
  /** The text after the rule ids (or after the bare word): why it is ignored. */
  reason: string;
  /** Nothing but a comment on its line, so it also covers the line below. */
  standalone: boolean;
}

// Any comment syntax works (//, #, --, /* */, <!-- -->): only the word and what follows it matter.
// `codeai-ignore: a, b reason` scopes to a and b; `codeai-ignore reason` covers everything but secrets.
const DIRECTIVE = /codeai-ignore(?![\w-])(?:\s*:\s*([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*))?/gi;
/** What may stand before the directive on a line that holds only a comment. */
const COMMENT_ONLY_PREFIX = /^\s*(?:\/\/+|#+|--+|\/\*+|\*+|<!--|;+|%+|'|\{\s*\/\*+|rem\s|::)?\s*$/i;
/** The reason without the comment's closer and the separator before it. */
function reasonOf(text: string): string {
  return text
    .replace(/\s*(?:\*\/\s*\}?|-->)\s*$/, '')
    .replace(/^[\s:–—-]+/, '')
    .trim();
}

export function parseIgnoreDirectives(text: string): IgnoreDirective[] {
  if (!/codeai-ignore/i.test(text)) return [];
  const matches = [...text.matchAll(DIRECTIVE)];
  return matches.map((m, i) => {
    const end = (m.index ?? 0) + m[0].length;
    const next = matches[i + 1]?.index ?? text.length;
    return {
      rules: m[1] === undefined ? null : m[1].split(',').map((id) => id.trim().toLowerCase()),
      reason: reasonOf(text.slice(end, next)),
      standalone: i === 0 && COMMENT_ONLY_PREFIX.test(text.slice(0, m.index ?? 0)),
    };
  });
}

/** True when the directive applies to the finding: by rule id, or by category (how model findings are named). */
export function directiveCovers(d: IgnoreDirective, f: Finding): boolean {
  if (d.rules === null) return !isSecretFinding(f);
  return d.rules.some((id) => id === f.rule?.toLowerCase() || id === f.category);
}

interface NewSideLine {
  text: string;
  added: boolean;
}

/** New-side lines by file and number: what a reader of the diff sees in the new version (added and context). */
function newSideLines(files: DiffFile[]): Map<string, Map<number, NewSideLine>> {
  const index = new Map<string, Map<number, NewSideLine>>();
  for (const file of files) {
    const lines = new Map<number, NewSideLine>();
    for (const hunk of file.hunks) {
      for (const l of hunk.lines) if (l.kind !== 'del' && l.newLine !== undefined) lines.set(l.newLine, { text: l.text, added: l.kind === 'add' });
    }
    index.set(file.path, lines);
  }
  return index;
}

/** The directives that apply to line `n`: its own, and a standalone one right above that is as new as the line. */
function directivesFor(lines: Map<number, NewSideLine> | undefined, n: number): IgnoreDirective[] {
  const own = lines?.get(n);
  const above = lines?.get(n - 1);
  const fromAbove = above && (above.added || !own?.added) ? parseIgnoreDirectives(above.text).filter((d) => d.standalone) : [];
  return [...parseIgnoreDirectives(own?.text ?? ''), ...fromAbove];
}

/**
 * Drops findings silenced by a `codeai-ignore` (see above), then findings whose fingerprint is in the baseline.
 * A finding silenced both ways counts as inline.
 */
export function applySuppressions(findings: Finding[], files: DiffFile[], opts: SuppressOptions): SuppressResult {
  const suppressed = { inline: 0, baseline: 0 };
  const suppressions: SuppressedFinding[] = [];
  if (!opts.enabled) return { kept: [...findings], suppressed, suppressions };
  // Only the files a finding is on: indexing every line of a large change cost more memory than the change itself.
  const onFiles = new Set(findings.map((f) => f.file));
  const index = newSideLines(files.filter((f) => onFiles.has(f.path)));
  const kept: Finding[] = [];
  for (const f of findings) {
    const directive = directivesFor(index.get(f.file), f.line).find((d) => directiveCovers(d, f));
    if (directive) {
      suppressed.inline++;
      suppressions.push(record(f, 'inline', directive.reason));
    } else if (opts.baseline?.has(fingerprint(f))) {
      suppressed.baseline++;
      suppressions.push(record(f, 'baseline', 'listed in the baseline'));
    } else kept.push(f);
  }
  return { kept, suppressed, suppressions };
}

function record(finding: Finding, kind: SuppressedFinding['kind'], reason: string): SuppressedFinding {
  return { finding, kind, reason };
}

let secretIds: ReadonlySet<string> | null = null;

/** A finding of a secrets rule: never hidden by a bare codeai-ignore, and the only kind read in a real binary. */
export function isSecretFinding(f: Finding): boolean {
  secretIds ??= new Set([...secretRules(), ...SECRET_FILE_RULES].map((r) => r.id));
  return f.source === 'builtin' && f.rule !== undefined && secretIds.has(f.rule);
}
