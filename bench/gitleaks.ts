// gitleaks' default rule table, evaluated in process on the bench's corpus: its config/gitleaks.toml is read from a
// fetched mirror of gitleaks (CODEAI_GITLEAKS: the mirror's git directory, or the TOML file itself) and applied the
// way gitleaks applies it — keyword prefilter, regex over the whole file, the first non-empty group as the secret,
// entropy threshold, global and per-rule allowlists and stop-words. Go's RE2 syntax is translated to JavaScript
// (inline (?i) becomes the i flag of the whole pattern); rules that still do not compile are counted, not hidden.
// This emulates the rule table, not the gitleaks binary.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parse } from 'smol-toml';
import { shannonEntropy } from '../src/rules/value.js';
import type { Report } from '../test/rules/fixtures/corpus-score.js';
import type { CorpusFile } from '../test/rules/fixtures/secret-corpus.js';

interface TomlAllowlist {
  condition?: string;
  regexTarget?: string;
  regexes?: string[];
  stopwords?: string[];
  paths?: string[];
}
interface TomlRule {
  id: string;
  regex?: string;
  path?: string;
  secretGroup?: number;
  entropy?: number;
  keywords?: string[];
  allowlists?: TomlAllowlist[];
}

interface Allowlist {
  and: boolean;
  target: 'secret' | 'match' | 'line';
  regexes: RegExp[];
  stopwords: string[];
  paths: RegExp[];
}
interface Rule {
  id: string;
  regex: RegExp | null;
  path: RegExp | null;
  secretGroup: number;
  entropy: number;
  keywords: string[];
  allowlists: Allowlist[];
}

export interface GitleaksTable {
  rules: Rule[];
  global: Allowlist;
  /** Rule ids whose pattern JavaScript cannot compile even after translation. */
  untranslatable: string[];
  source: string;
}

/** Go RE2 → JavaScript: inline flags, named groups, POSIX classes, \z. Returns the source and its flags. */
function translate(pattern: string): { source: string; flags: string } {
  let flags = '';
  let source = pattern;
  if (/\(\?i\)/.test(source) || /\(\?i:/.test(source)) flags = 'i';
  source = source
    .replace(/\(\?i\)/g, '')
    .replace(/\(\?-i:/g, '(?:')
    .replace(/\(\?i:/g, '(?:')
    .replace(/\(\?s:\.\)/g, '[\\s\\S]')
    .replace(/\(\?P</g, '(?<')
    .replace(/\\z/g, '$')
    .replace(/\[:alnum:\]/g, 'A-Za-z0-9')
    .replace(/\[:alpha:\]/g, 'A-Za-z')
    .replace(/\[:digit:\]/g, '0-9');
  return { source, flags };
}

function compile(pattern: string, extra = ''): RegExp {
  const { source, flags } = translate(pattern);
  return new RegExp(source, [...new Set(flags + extra)].join(''));
}

function allowlist(a: TomlAllowlist | undefined): Allowlist {
  const target = a?.regexTarget === 'match' || a?.regexTarget === 'line' ? a.regexTarget : 'secret';
  return {
    and: a?.condition?.toUpperCase() === 'AND',
    target,
    regexes: (a?.regexes ?? []).map((r) => compile(r)),
    stopwords: (a?.stopwords ?? []).map((s) => s.toLowerCase()),
    paths: (a?.paths ?? []).map((p) => compile(p)),
  };
}

/** The TOML from a gitleaks mirror's git directory (HEAD:config/gitleaks.toml) or a path to the file. */
function readToml(where: string): string {
  if (statSync(where).isDirectory()) {
    return execFileSync('git', ['--git-dir', where, 'show', 'HEAD:config/gitleaks.toml'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  }
  return readFileSync(where, 'utf8');
}

/** Loads the table, or null with the reason when CODEAI_GITLEAKS does not point at one. */
export function loadGitleaks(where = process.env.CODEAI_GITLEAKS): GitleaksTable | string {
  if (!where) return 'CODEAI_GITLEAKS is not set (the gitleaks mirror\'s git directory, or its config/gitleaks.toml)';
  if (!existsSync(where)) return `CODEAI_GITLEAKS=${where} does not exist`;
  const doc = parse(readToml(where)) as unknown as { rules: TomlRule[]; allowlist?: TomlAllowlist; allowlists?: TomlAllowlist[] };
  const untranslatable: string[] = [];
  const rules: Rule[] = [];
  for (const r of doc.rules) {
    try {
      rules.push({
        id: r.id,
        regex: r.regex ? compile(r.regex, 'g') : null,
        path: r.path ? compile(r.path) : null,
        secretGroup: r.secretGroup ?? 0,
        entropy: r.entropy ?? 0,
        keywords: (r.keywords ?? []).map((k) => k.toLowerCase()),
        allowlists: (r.allowlists ?? []).map(allowlist),
      });
    } catch {
      untranslatable.push(r.id);
    }
  }
  return { rules, global: allowlist(doc.allowlist ?? doc.allowlists?.[0]), untranslatable, source: where };
}

function allowed(a: Allowlist, path: string, secret: string, match: string, line: string): boolean {
  const target = a.target === 'match' ? match : a.target === 'line' ? line : secret;
  const checks: boolean[] = [];
  if (a.paths.length) checks.push(a.paths.some((p) => p.test(path)));
  if (a.regexes.length) checks.push(a.regexes.some((r) => r.test(target)));
  if (a.stopwords.length) checks.push(a.stopwords.some((w) => secret.toLowerCase().includes(w)));
  if (checks.length === 0) return false;
  return a.and ? checks.every(Boolean) : checks.some(Boolean);
}

/** Runs the table over the corpus: one report per finding, on the line where its match starts. */
export function scanWithGitleaks(table: GitleaksTable, corpus: CorpusFile[]): Report[] {
  const reports: Report[] = [];
  for (const [i, file] of corpus.entries()) {
    if (table.global.paths.some((p) => p.test(file.path))) continue;
    const lower = file.text.toLowerCase();
    const lineStarts = [0];
    for (let k = 0; k < file.text.length; k++) if (file.text[k] === '\n') lineStarts.push(k + 1);
    const lineOf = (offset: number) => {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lineStarts[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    for (const rule of table.rules) {
      if (rule.path && !rule.path.test(file.path)) continue;
      if (!rule.regex) {
        if (rule.path) reports.push({ file: i, line: 1 });
        continue;
      }
      if (rule.keywords.length && !rule.keywords.some((k) => lower.includes(k))) continue;
      rule.regex.lastIndex = 0;
      for (let m = rule.regex.exec(file.text); m; m = rule.regex.exec(file.text)) {
        if (m[0] === '') {
          rule.regex.lastIndex++;
          continue;
        }
        const secret = rule.secretGroup > 0 ? (m[rule.secretGroup] ?? '') : (m.slice(1).find((g) => g) ?? m[0]);
        if (rule.entropy > 0 && shannonEntropy(secret) <= rule.entropy) continue;
        if (rule.id.startsWith('generic') && !/\d/.test(secret)) continue;
        const n = lineOf(m.index + m[0].indexOf(secret));
        const line = file.text.slice(lineStarts[n], lineStarts[n + 1] ?? file.text.length);
        if (allowed(table.global, file.path, secret, m[0], line)) continue;
        if (rule.allowlists.some((a) => allowed(a, file.path, secret, m[0], line))) continue;
        reports.push({ file: i, line: n + 1 });
      }
    }
  }
  return reports;
}
