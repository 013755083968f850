// Code rules: injection sinks, disabled TLS checks, leftovers (debugger, console.log, conflict markers), huge files.
// Each pattern looks at one added line, so each aims at the shape that gives the problem away on that line alone.
import type { FileRule, LineRule } from './types.js';

// Every repetition below is bounded (a string literal, a call's arguments: a few hundred characters) so that a
// 200 KB minified line costs linear time instead of backtracking over the whole line from each quote.

/** SQL that reads or writes a table; `SELECT`/`select` only, so a "Select a file from…" message is not SQL. */
const SQL = String.raw`(?:\bSELECT\s[^"'\x60]{0,300}?\bFROM\b|\bselect\s+(?:\*|\w+(?:\s*,\s*\w+){1,20})\s+from\b|\b(?:INSERT\s+INTO|insert\s+into|DELETE\s+FROM|delete\s+from)\b|\bUPDATE\s+[\w.\[\]]{1,100}\s+SET\b|\bupdate\s+\w+\s+set\b|\bWHERE\s+[\w.]{1,100}\s*(?:=|<>|!=|<|>|\bLIKE\b|\bIN\b))`;

/** Up to 300 characters of a "…" or '…' literal, escapes included. */
const IN_DQ = String.raw`(?:[^"\\]|\\.){0,300}?`;
const IN_SQ = String.raw`(?:[^'\\]|\\.){0,300}?`;
/** A "…" or '…' literal holding SQL and, when given, `inside` after the SQL. */
const sqlLiteral = (inside: string) => `(?:"${IN_DQ}${SQL}${IN_DQ}${inside}${IN_DQ}"|'${IN_SQ}${SQL}${IN_SQ}${inside}${IN_SQ}')`;

const SQL_BUILT_FROM_STRINGS = [
  // "SELECT … " + id, or PHP "…" . $id (a literal plus a literal is only line wrapping)
  String.raw`${sqlLiteral('')}\s*(?:\+\s*[A-Za-z_$(]|\.\s*\$)`,
  // `SELECT … ${id}`, not a tagged template (sql`…`), which the tag's library parameterises
  String.raw`(?<![\w$.\])>])\x60[^\x60]{0,300}?${SQL}[^\x60]{0,300}?\$\{`,
  // the middle of a multi-line template: SQL and ${…} on a line without quotes
  String.raw`^[^"'\x60]{0,300}?${SQL}[^"'\x60]{0,300}?\$\{`,
  // Python f"…{id}", C# $"…{id}", Ruby "…#{id}"
  String.raw`(?<!\w)(?:[rRbB]?[fF][rRbB]?|\$@?)(?:"[^"]{0,300}?${SQL}[^"]{0,300}?\{(?!\{)|'[^']{0,300}?${SQL}[^']{0,300}?\{(?!\{))`,
  String.raw`"[^"]{0,300}?${SQL}[^"]{0,300}?#\{`,
  // "… {}".format(id) and "… %s" % id (a driver's execute("… %s", (id,)) is parameterised and does not match)
  String.raw`${sqlLiteral('')}\s*\.format\s*\(`,
  String.raw`${sqlLiteral('%[sdr]')}\s*%\s*[\w(]`,
  // fmt.Sprintf / String.format / sprintf("… %s", id)
  String.raw`\b(?:Sprintf|String\.format|sprintf|snprintf)\s*\([^"]{0,100}"[^"]{0,300}?${SQL}[^"]{0,300}?%[sv]`,
].join('|');

/** Text built at run time inside a call's arguments: interpolation, concatenation, %-formatting. */
const DYNAMIC = String.raw`(?:\$\{|#\{|["'\x60]\s*\+\s*[\w$(]|[\w$)\]]\s*\+\s*["'\x60]|(?<!\w)[fF]["'][^"']{0,300}\{|["']\s*%\s*[\w(]|["']\s*\.format\s*\()`;
/** The rest of the statement (up to ';', at most 300 characters: a bound keeps minified lines linear) holds dynamic text. */
const WITH_DYNAMIC_ARGS = String.raw`\s*\((?=[^;]{0,300}?${DYNAMIC})`;

const JS_FILE = /\.(?:[cm]?[jt]sx?|vue|svelte)$/;
const TEST_OR_SCRIPT =
  /(?:^|\/)(?:tests?|__tests__|__mocks__|spec|e2e|scripts?|bin|bench|benchmarks?|examples?|fixtures)\/|\.(?:test|spec|stories|e2e)\.[^/]+$/;
/**
 * Prose: documentation shows the very patterns these rules look for (a README explaining `verify=False`), and no
 * line of it runs. The secret rules still read prose, where a pasted key leaks all the same.
 */
const PROSE_FILE = /\.(?:md|mdx|markdown|rst|txt|adoc|asciidoc)$/i;
const notProse = (path: string) => !PROSE_FILE.test(path);

/** A line that starts as a comment (//, /*, *, # , -- , <!--): commented-out code and prose about code do not run. */
const COMMENT_LINE = /^\s*(?:\/\/|\/\*|\*|#(?:\s|$)|--\s|<!--)/;

const CONFLICT_MARKER = /^(?:<{7}|>{7}|\|{7})(?:\s|$)/;

export const CODE_RULES: readonly LineRule[] = [
  {
    id: 'sql-injection',
    title: 'SQL built from strings',
    severity: 'high',
    category: 'security',
    hint: 'Pass values as query parameters (?, $1, %s with a parameter tuple, named parameters) or use a query builder; never splice them into the SQL text.',
    pattern: new RegExp(SQL_BUILT_FROM_STRINGS),
    keywords: ['select', 'insert', 'update', 'delete', 'where'],
    skipLines: COMMENT_LINE,
    fileFilter: notProse,
  },
  {
    id: 'command-injection',
    title: 'Command run from a built string',
    severity: 'high',
    category: 'security',
    hint: 'Run the program without a shell and pass arguments as a list (execFile/spawn with an array, subprocess.run([...]) without shell=True).',
    pattern: new RegExp(
      [
        String.raw`(?:(?<![\w$.])(?:exec|execSync|system|popen|shell_exec|passthru|proc_open)|\b(?:child_process|childProcess|cp)\.(?:exec|execSync)|\bos\.(?:system|popen))${WITH_DYNAMIC_ARGS}`,
        String.raw`\bsubprocess\.\w+${WITH_DYNAMIC_ARGS}(?=[^;]{0,300}?\bshell\s*=\s*True)`,
      ].join('|'),
    ),
    keywords: ['exec', 'system', 'popen', 'passthru', 'subprocess'],
    skipLines: COMMENT_LINE,
    fileFilter: notProse,
  },
  {
    id: 'code-injection',
    title: 'Code evaluated from a value',
    severity: 'high',
    category: 'security',
    hint: 'Parse data instead of running it (JSON.parse, ast.literal_eval, a lookup table); eval and new Function run whatever the value holds.',
    // Any argument but string literals: eval(code), eval("x" + y), new Function(body). Not `model.eval()` (a
    // method), `worker-eval(` (a name in a string) or `function eval(` (a declaration).
    pattern:
      /(?:(?<![\w$.-]|function\s+)eval|\bnew\s+Function)\s*\((?!\s*\))(?!\s*(?:(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`$]*`)\s*(?:,\s*)?)+\))/,
    keywords: ['eval', 'new function'],
    skipLines: COMMENT_LINE,
    fileFilter: notProse,
  },
  {
    id: 'tls-verification-disabled',
    title: 'TLS certificate verification disabled',
    severity: 'high',
    category: 'security',
    hint: 'Keep verification on and trust the private CA instead (NODE_EXTRA_CA_CERTS, verify="/path/ca.pem", tls.Config RootCAs, curl --cacert).',
    pattern: new RegExp(
      [
        String.raw`\brejectUnauthorized["']?\s*:\s*false\b`,
        String.raw`\bNODE_TLS_REJECT_UNAUTHORIZED["']?\s*[:=]\s*["']?0\b`,
        String.raw`\bverify\s*=\s*False\b`,
        String.raw`\bInsecureSkipVerify\s*:\s*true\b`,
        String.raw`\b(?:verify_mode|cert_reqs)\s*=\s*ssl\.CERT_NONE\b`,
        String.raw`\bssl\._create_unverified_context\b`,
        String.raw`\bcurl\b[^|;&]{0,300}?\s(?:--insecure\b|-[A-Za-z]*k[A-Za-z]*(?=\s|$))`,
        String.raw`\bwget\b[^|;&]{0,300}?\s--no-check-certificate\b`,
        String.raw`\bstrict-ssl["']?(?:\s*[=:]\s*|\s+)false\b`,
        String.raw`\bhttp\.sslVerify\b[\s=]*false\b|\bGIT_SSL_NO_VERIFY\s*=\s*(?:1|true)\b`,
      ].join('|'),
    ),
    keywords: ['rejectunauthorized', 'node_tls_reject', 'verify', 'cert_none', 'unverified', 'curl', 'wget', 'strict-ssl'],
    skipLines: COMMENT_LINE,
    fileFilter: notProse,
  },
  {
    id: 'debugger-statement',
    title: 'debugger statement',
    severity: 'low',
    category: 'style',
    hint: 'Remove it: it pauses every user who has dev tools open.',
    pattern: /(?<![\w$.'"`])debugger\s*(?:;|$)/,
    keywords: ['debugger'],
    skipLines: COMMENT_LINE,
    fileFilter: (path) => JS_FILE.test(path),
  },
  {
    id: 'console-log',
    title: 'console.log left in',
    severity: 'low',
    category: 'style',
    hint: 'Remove it or use the project logger; console.log in shipped code leaks internals and clutters output.',
    pattern: /(?<![\w$.])console\.log\s*\(/,
    keywords: ['console.log'],
    skipLines: COMMENT_LINE,
    fileFilter: (path) => JS_FILE.test(path) && !TEST_OR_SCRIPT.test(path),
  },
  {
    id: 'conflict-marker',
    title: 'Merge conflict marker',
    severity: 'high',
    category: 'bug',
    hint: 'Finish the merge: pick the right side, delete the <<<<<<< / ======= / >>>>>>> lines, and build again.',
    pattern: CONFLICT_MARKER,
    keywords: ['<<<<<<<', '>>>>>>>', '|||||||'],
  },
  {
    id: 'conflict-separator',
    title: 'Merge conflict separator',
    severity: 'high',
    category: 'bug',
    hint: 'Finish the merge: pick the right side, delete the <<<<<<< / ======= / >>>>>>> lines, and build again.',
    // Alone, ======= underlines a Markdown or reStructuredText heading; next to a marker it splits a conflict.
    pattern: /^={7}$/,
    keywords: ['======='],
    near: { pattern: CONFLICT_MARKER, lines: 500 },
  },
];

/** Added lines above which a file is called very large. */
export const LARGE_FILE_LINES = 5000;

/** Files that are large by nature and written by tools. */
const GENERATED =
  /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|Cargo\.lock|poetry\.lock|Pipfile\.lock|uv\.lock|composer\.lock|Gemfile\.lock|go\.sum|flake\.lock)$|\.min\.[cm]?js$|\.snap$/;

export const CODE_FILE_RULES: readonly FileRule[] = [
  {
    id: 'large-file',
    title: 'Very large added file',
    severity: 'info',
    category: 'improvement',
    hint: 'Split the change, or exclude generated files (policy `exclude`) so that people and the model review only what was written by hand.',
    check: (file) => {
      if (file.binary || file.added <= LARGE_FILE_LINES || GENERATED.test(file.path)) return null;
      const first = file.hunks.flatMap((h) => h.lines).find((l) => l.kind === 'add');
      return { line: first?.newLine ?? 1, found: `${file.added} added lines` };
    },
  },
];
