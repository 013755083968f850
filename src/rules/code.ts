// Code rules: injection sinks, disabled TLS checks, leftovers (debugger, console.log, conflict markers), huge files.
// Each pattern looks at one added line, so each aims at the shape that gives the problem away on that line alone.
import { isProse, isTestOrDocsPath } from './paths.js';
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
/** Command-line tools print on purpose. */
const SCRIPT_DIR = /(?:^|\/)(?:scripts?|bin)\//;
const notProse = (path: string) => !isProse(path);

/**
 * A line that starts as a comment (//, /*, *, # , -- , <!--), for files whose language the lexer does not read:
 * commented-out code and prose about code do not run.
 */
const COMMENT_LINE = /^\s*(?:\/\/|\/\*|\*|#(?:\s|$)|--\s|<!--)/;
const FAMILY = 'Code';
/** A name, a property path or a call's result: an argument whose value the line does not show. */
const VARIABLE_ARG = String.raw`\s*\(\s*[A-Za-z_$][\w$.]*(?:\[[^\]]{0,40}\])?\s*[,)]`;
const CHILD_PROCESS = String.raw`(?:\brequire\(\s*["'](?:node:)?child_process["']\s*\)|\b(?:child_process|childProcess|cp))\.(?:exec|execSync)`;

const CONFLICT_MARKER = /^(?:<{7}|>{7}|\|{7})(?:\s|$)/;

let table: readonly LineRule[] | null = null;

/** The code line rules, built on first need (see secrets.ts): the same objects on every call. */
export function codeRules(): readonly LineRule[] {
  table ??= buildCodeRules();
  return table;
}

const buildCodeRules = (): LineRule[] => [
  {
    id: 'sql-injection',
    title: 'SQL built from strings',
    severity: 'high',
    category: 'security',
    hint: 'Pass values as query parameters (?, $1, %s with a parameter tuple, named parameters) or use a query builder; never splice them into the SQL text.',
    family: FAMILY,
    limits: 'queries built over several statements (`q = "SELECT …"; q += id`), ORM raw() calls, SQL in languages without string concatenation in one line',
    pattern: () => new RegExp(SQL_BUILT_FROM_STRINGS),
    keywords: ['select', 'insert', 'update', 'delete', 'where'],
    // SQL's words as SQL spells them (the pattern is case-sensitive), and a quote or the `{` of `${…}`/`{…}`: every
    // alternative above builds the SQL in a literal or interpolates into it.
    needs: [['SELECT', 'select', 'INSERT', 'insert', 'DELETE', 'delete', 'UPDATE', 'update', 'WHERE'], ['"', "'", '{']],
    skipLines: COMMENT_LINE,
    // The SQL itself is a string: only a comment keeps it from running.
    outside: ['comment'],
    inTests: 'low',
    fileFilter: notProse,
  },
  {
    id: 'command-injection',
    title: 'Shell command built from a value',
    severity: 'medium',
    category: 'security',
    hint: 'If any part of the command can come from input, run the program without a shell and pass arguments as a list (execFile/spawn with an array, subprocess.run([...]) without shell=True).',
    family: FAMILY,
    limits:
      "bare `exec(x)` of a plain variable (too many other functions share the name); commands built on an earlier line; spawn/execFile, which take no shell; where the value comes from, which the line does not show: release scripts interpolate trusted values all the time, hence medium",
    pattern: () => new RegExp(
      [
        // a string built in the call: interpolation, concatenation, formatting
        String.raw`(?:(?<![\w$.])(?:exec|execSync|system|popen|shell_exec|passthru|proc_open)|${CHILD_PROCESS}|\bos\.(?:system|popen))${WITH_DYNAMIC_ARGS}`,
        String.raw`\bsubprocess\.\w+${WITH_DYNAMIC_ARGS}(?=[^;]{0,300}?\bshell\s*=\s*True)`,
        // a variable passed to a shell: \`require('child_process').execSync(userInput)\`, \`os.system(cmd)\`
        String.raw`(?:${CHILD_PROCESS}|(?<![\w$.])execSync|\bos\.(?:system|popen))${VARIABLE_ARG}`,
        String.raw`\bsubprocess\.\w+\s*\(\s*[A-Za-z_][\w.]*\s*,(?=[^;]{0,300}?\bshell\s*=\s*True)`,
      ].join('|'),
    ),
    keywords: ['exec', 'system', 'popen', 'passthru', 'subprocess'],
    skipLines: COMMENT_LINE,
    outside: ['comment', 'string'],
    inTests: 'low',
    fileFilter: notProse,
  },
  {
    id: 'code-injection',
    title: 'Code evaluated from a value',
    severity: 'medium',
    category: 'security',
    hint: 'Parse data instead of running it (JSON.parse, ast.literal_eval, a lookup table); eval and new Function run whatever the value holds.',
    // Any argument but string literals: eval(code), eval("x" + y), new Function(body). Not `model.eval()` (a
    // method), `worker-eval(` (a name in a string) or `function eval(` (a declaration).
    pattern: () =>
      /(?:(?<![\w$.-]|function\s+)eval|\bnew\s+Function)\s*\((?!\s*\))(?!\s*(?:(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`$]*`)\s*(?:,\s*)?)+\))/,
    family: FAMILY,
    limits: "`eval` of a string literal (it runs what the line shows); aliases (`const e = eval`); whether the value can come from input, which the line does not show: template engines and REPLs eval by design, hence medium",
    keywords: ['eval', 'new function'],
    skipLines: COMMENT_LINE,
    outside: ['comment', 'string'],
    inTests: 'low',
    fileFilter: notProse,
  },
  {
    id: 'tls-verification-disabled',
    title: 'TLS certificate verification disabled',
    severity: 'medium',
    category: 'security',
    hint: 'Keep verification on and trust the private CA instead (NODE_EXTRA_CA_CERTS, verify="/path/ca.pem", tls.Config RootCAs, curl --cacert).',
    pattern: () => new RegExp(
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
    family: FAMILY,
    limits: 'verification turned off through variables (`verify=flag`), custom trust managers in Java; whether the target is a local test server, which the line does not show, hence medium',
    keywords: ['rejectunauthorized', 'node_tls_reject', 'verify', 'cert_none', 'unverified', 'curl', 'wget', 'strict-ssl'],
    skipLines: COMMENT_LINE,
    // A `curl -k` inside a string still runs when the string is a command: only comments are left out.
    outside: ['comment'],
    inTests: 'low',
    fileFilter: notProse,
  },
  {
    id: 'debugger-statement',
    title: 'debugger statement',
    severity: 'low',
    category: 'style',
    hint: 'Remove it: it pauses every user who has dev tools open.',
    family: FAMILY,
    limits: 'files other than JavaScript and TypeScript',
    pattern: () => /(?<![\w$.'"`])debugger\s*(?:;|$)/,
    keywords: ['debugger'],
    skipLines: COMMENT_LINE,
    outside: ['comment', 'string'],
    fileFilter: (path) => JS_FILE.test(path),
  },
  {
    id: 'console-log',
    title: 'console.log left in',
    severity: 'low',
    category: 'style',
    hint: 'Remove it or use the project logger; console.log in shipped code leaks internals and clutters output.',
    family: FAMILY,
    limits: 'tests, scripts and examples, where printing is the point; console.log in comments (JSDoc `@example`) and strings',
    pattern: () => /(?<![\w$.])console\.log\s*\(/,
    keywords: ['console.log'],
    skipLines: COMMENT_LINE,
    outside: ['comment', 'string'],
    fileFilter: (path) => JS_FILE.test(path) && !isTestOrDocsPath(path) && !SCRIPT_DIR.test(path),
  },
  {
    id: 'conflict-marker',
    title: 'Merge conflict marker',
    severity: 'high',
    category: 'bug',
    hint: 'Finish the merge: pick the right side, delete the <<<<<<< / ======= / >>>>>>> lines, and build again.',
    family: FAMILY,
    limits: 'markers indented or written with a different length (not what git writes)',
    pattern: () => CONFLICT_MARKER,
    keywords: ['<<<<<<<', '>>>>>>>', '|||||||'],
  },
  {
    id: 'conflict-separator',
    title: 'Merge conflict separator',
    severity: 'high',
    category: 'bug',
    hint: 'Finish the merge: pick the right side, delete the <<<<<<< / ======= / >>>>>>> lines, and build again.',
    family: FAMILY,
    limits: 'a separator with no <<<<<<< or >>>>>>> within 500 lines (it then underlines a heading)',
    // Alone, ======= underlines a Markdown or reStructuredText heading; next to a marker it splits a conflict.
    pattern: () => /^={7}$/,
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
    family: FAMILY,
    limits: 'lockfiles, snapshots and minified bundles, large by nature',
    check: (file) => {
      if (file.binary || file.added <= LARGE_FILE_LINES || GENERATED.test(file.path)) return null;
      const first = file.hunks.flatMap((h) => h.lines).find((l) => l.kind === 'add');
      return { line: first?.newLine ?? 1, found: `${file.added} added lines` };
    },
  },
];
