// The mechanical fixes of built-in rules, keyed by rule id (the rule tables in src/rules stay data about finding;
// this table is about mending). A rule gets a fix only where the right change follows from the line alone: turning
// TLS verification back on does; a conflict marker (which side?) or an injection (which API?) does not, and a
// hard-coded secret needs rotating, which no edit of the file does.

import type { Finding, Fix } from '../types.js';

/** One line's text → its fixed text, or null when this line is not one the fixer understands. */
type LineFixer = (text: string) => string | null;

/** Each rewrite turns one way of switching TLS verification off back on; all of them apply to the line. */
const TLS_REWRITES: Array<[RegExp, string]> = [
  [/\b(rejectUnauthorized["']?\s*:\s*)false\b/g, '$1true'],
  [/\b(NODE_TLS_REJECT_UNAUTHORIZED["']?\s*[:=]\s*["']?)0\b/g, '$11'],
  [/\b(verify\s*=\s*)False\b/g, '$1True'],
  [/\b(InsecureSkipVerify\s*:\s*)true\b/g, '$1false'],
  [/\b((?:verify_mode|cert_reqs)\s*=\s*ssl\.)CERT_NONE\b/g, '$1CERT_REQUIRED'],
  [/\bssl\._create_unverified_context\b/g, 'ssl.create_default_context'],
  [/\b(strict-ssl["']?(?:\s*[=:]\s*|\s+))false\b/g, '$1true'],
  [/\b(http\.sslVerify\b[\s=]*)false\b/g, '$1true'],
  // curl: drop --insecure, a lone -k, or the k of a cluster of short flags (-sSk → -sS).
  [/(\bcurl\b[^|;&\n]*?)\s--insecure\b/g, '$1'],
  [/(\bcurl\b[^|;&\n]*?)\s-k(?=\s|$)/g, '$1'],
  // Only among flags that take no argument: in -ok, k would be -o's file name.
  [/(\bcurl\b[^|;&\n]*?\s-[sSLfviIgGjNq]*)k([sSLfviIgGjNq]*)(?=\s|$)/g, '$1$2'],
  [/(\bwget\b[^|;&\n]*?)\s--no-check-certificate\b/g, '$1'],
];

const LINE_FIXERS: Record<string, LineFixer> = {
  'tls-verification-disabled': (text) => {
    const fixed = TLS_REWRITES.reduce((line, [pattern, to]) => line.replace(pattern, to), text);
    return fixed === text ? null : fixed;
  },
};

/** Rules whose fix removes the whole line, when the line holds nothing else. */
const LINE_REMOVERS: Record<string, RegExp> = {
  'debugger-statement': /^\s*debugger\s*;?\s*$/,
};

/** Why a built-in rule's finding has no automatic fix: shown by `codeai-hook fix`. */
const NO_FIX: Record<string, string> = {
  'conflict-marker': 'a conflict marker has no automatic fix: only you know which side of the merge to keep',
  'conflict-separator': 'a conflict marker has no automatic fix: only you know which side of the merge to keep',
  'sql-injection': 'no automatic fix: pass the values as query parameters of your database API',
  'command-injection': 'no automatic fix: run the program without a shell, with its arguments as a list',
  'code-injection': 'no automatic fix: parse the data instead of evaluating it',
  'console-log': 'no automatic fix: remove it or use the project logger, whichever the code needs',
  'large-file': 'no automatic fix: split the change or exclude generated files',
};

const SECRET_ADVICE =
  'a secret gets no code fix: rotate it first (the old value is compromised), then read it from the environment (process.env.NAME, os.environ["NAME"], os.Getenv("NAME")) or a secret store';

/** The fix of a built-in finding on a line with this text, or undefined when the rule has none for it. */
export function builtinFix(finding: Finding, text: string): Fix | undefined {
  if (finding.source !== 'builtin' || finding.rule === undefined) return undefined;
  const remover = Object.hasOwn(LINE_REMOVERS, finding.rule) ? LINE_REMOVERS[finding.rule] : undefined;
  if (remover?.test(text)) return { startLine: finding.line, endLine: finding.line, replacement: '' };
  const fixer = Object.hasOwn(LINE_FIXERS, finding.rule) ? LINE_FIXERS[finding.rule] : undefined;
  const fixed = fixer?.(text);
  if (fixed === null || fixed === undefined || fixed === text) return undefined;
  return { startLine: finding.line, endLine: finding.line, replacement: `${fixed}\n` };
}

/** Why a built-in finding has no fix, in one line; undefined for a rule whose fix just did not fit this line. */
export function builtinNoFixReason(finding: Finding): string | undefined {
  if (finding.source !== 'builtin' || finding.rule === undefined) return undefined;
  if (Object.hasOwn(NO_FIX, finding.rule)) return NO_FIX[finding.rule];
  if (Object.hasOwn(LINE_FIXERS, finding.rule) || Object.hasOwn(LINE_REMOVERS, finding.rule)) return undefined;
  return finding.category === 'security' ? SECRET_ADVICE : 'no automatic fix for this rule';
}
