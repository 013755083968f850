// Findings a person has already judged: `codeai-ignore` comments in the code, and the fingerprints of a baseline
// (findings that existed before the hook was adopted). `--no-suppress` turns both off to show everything.
import { SECRET_FILE_RULES, SECRET_RULES } from '../rules/secrets.js';
import type { DiffFile, Finding } from '../types.js';
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
}

/** One `codeai-ignore` comment. `rules` null: every finding; otherwise only these rule ids or category names. */
export interface IgnoreDirective {
  rules: string[] | null;
}

// Any comment syntax works (//, #, --, /* */, <!-- -->): only the word and what follows it matter.
// `codeai-ignore: a, b reason` scopes to a and b; `codeai-ignore reason` covers everything.
const DIRECTIVE = /codeai-ignore(?![\w-])(?:\s*:\s*([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*))?/gi;

export function parseIgnoreDirectives(text: string): IgnoreDirective[] {
  if (!/codeai-ignore/i.test(text)) return [];
  return [...text.matchAll(DIRECTIVE)].map((m) => ({
    rules: m[1] === undefined ? null : m[1].split(',').map((id) => id.trim().toLowerCase()),
  }));
}

/** True when the directive applies to the finding: by rule id, or by category (how model findings are named). */
export function directiveCovers(d: IgnoreDirective, f: Finding): boolean {
  if (d.rules === null) return true;
  return d.rules.some((id) => id === f.rule?.toLowerCase() || id === f.category);
}

/** New-side text by file and line: the lines a reader of the diff sees in the new version (added and context). */
function newSideLines(files: DiffFile[]): Map<string, Map<number, string>> {
  const index = new Map<string, Map<number, string>>();
  for (const file of files) {
    const lines = new Map<number, string>();
    for (const hunk of file.hunks) {
      for (const l of hunk.lines) if (l.kind !== 'del' && l.newLine !== undefined) lines.set(l.newLine, l.text);
    }
    index.set(file.path, lines);
  }
  return index;
}

/**
 * Drops findings silenced by a `codeai-ignore` on their line or the line directly above (as the diff shows it),
 * then findings whose fingerprint is in the baseline. A finding silenced both ways counts as inline.
 */
export function applySuppressions(findings: Finding[], files: DiffFile[], opts: SuppressOptions): SuppressResult {
  const suppressed = { inline: 0, baseline: 0 };
  if (!opts.enabled) return { kept: [...findings], suppressed };
  const index = newSideLines(files);
  const kept: Finding[] = [];
  for (const f of findings) {
    const lines = index.get(f.file);
    const directives = [f.line, f.line - 1].flatMap((n) => parseIgnoreDirectives(lines?.get(n) ?? ''));
    if (directives.some((d) => directiveCovers(d, f))) suppressed.inline++;
    else if (opts.baseline?.has(fingerprint(f))) suppressed.baseline++;
    else kept.push(f);
  }
  return { kept, suppressed };
}

let secretIds: ReadonlySet<string> | null = null;

/** A finding of a secrets rule: never hidden by a bare codeai-ignore, and the only kind read in a real binary. */
export function isSecretFinding(f: Finding): boolean {
  secretIds ??= new Set([...SECRET_RULES, ...SECRET_FILE_RULES].map((r) => r.id));
  return f.source === 'builtin' && f.rule !== undefined && secretIds.has(f.rule);
}
