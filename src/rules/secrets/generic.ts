// Secrets without an issuer's mark: tokens recognised by their structure (JWT), credentials in URLs and HTTP
// headers, and values assigned to names like `password` or `api_key`. These run last: a specific rule that claims
// the same text names it better.
import type { LineRule } from '../types.js';
import { decodeBase64, decodesToUserPassword, isLiveJwt } from '../checksum.js';
import { isDocumentationKey, isReference, isStandInPassword, looksGenerated } from '../value.js';
import { isProgram } from '../paths.js';
import { TOKEN_END, TOKEN_START } from './build.js';

const FAMILY = 'Generic credentials';

/** Names that hold a credential: `password`, `DB_PASSWORD`, `apiKey`, `client_secret`, `auth_token`… */
const SECRET_WORD = String.raw`(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|auth[_-]?key|credentials?|signing[_-]?key|encryption[_-]?key|master[_-]?key)`;
/** …except names about something else that merely mentions one: a CSRF token, a public key, a page token. */
const NOT_AFTER = String.raw`(?<!(?:csrf|xsrf|public|pub|publishable|page|cache|sort|primary|foreign|idempotency|partition|continuation|max|num|total)[_.-]?${SECRET_WORD})`;
/**
 * The name, from the credential word on: the regex starts at the word, which the engine finds quickly, rather than
 * at every word boundary of the line, and looks behind only once the word is there. What comes before the word is
 * part of the name and needs no check.
 */
const SECRET_NAME = String.raw`${SECRET_WORD}${NOT_AFTER}[\w.-]{0,30}`;
/** …and names that hold something about a credential: its name, type, URL, length, hash. */
const NOT_SECRET_NAME_END = String.raw`(?<!name|id|type|label|field|url|uri|path|file|header|prefix|length|count|size|len|hint|message|msg|env|var|regex|pattern|format|policy|arn|region|endpoint|expires|expiry|ttl|izer|ized|hash|digest|checksum|sha|md5|salt|nonce|mode|kind|ref|placeholder|example|param|key_id|keyid|_at|store)`;
/** `=`, `:`, `:=`, `=>`, but not `==`. */
const ASSIGN = String.raw`\s*(?:=>|:=|=(?!=)|:)\s*`;
const QUOTED = (min: number) => String.raw`(["'\x60])([^"'\x60\s]{${min},200})`;
/** What `ASSIGN` (or `[=:]`) and `QUOTED` cannot match without: the rules' `needs`. */
const ASSIGNED = ['=', ':'];
const QUOTE = ['"', "'", '`'];

/**
 * Names of passwords proper, the one credential people choose (and so may be short or made of words): ending in
 * password/passwd/passphrase, or `pass`/`pwd` as a whole word or after a separator (not `bypass`, `compass`).
 */
const PASSWORD_NAME = String.raw`(?:(?:password|passwd|passphrase)|(?<![A-Za-z0-9])(?:pass|pwd))`;

/** Hosts where a URL's password only opens a local or documentation service. */
const LOCAL_HOST = /^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[?::1\]?|host\.docker\.internal|[\w.-]*\.(?:local|localhost|test|example|invalid)|(?:[\w-]+\.)*example\.(?:com|org|net))$/i;

/** jwt.io's sample token, in countless READMEs: "John Doe", subject 1234567890. */
function isJwtIoSample(token: string): boolean {
  const payload = decodeBase64(token.split('.')[1] ?? '')?.toString('utf8') ?? '';
  return payload.includes('"John Doe"') && payload.includes('1234567890');
}

/** The family's rules, built when the table is (secrets.ts). */
export const genericRules = (): LineRule[] => [
  {
    id: 'jwt',
    title: 'JSON Web Token',
    severity: 'high',
    category: 'security',
    family: FAMILY,
    inTests: 'low',
    hint: 'A signed token grants access until it expires: remove it, and mint test tokens at run time from a test key.',
    limits: "expired tokens (`exp` in the past) and jwt.io's sample; unsigned parts that do not decode to JSON",
    pattern: () => new RegExp(`${TOKEN_START}eyJ[A-Za-z0-9_-]{8,2000}\\.eyJ[A-Za-z0-9_-]{8,8000}\\.[A-Za-z0-9_-]{8,2000}${TOKEN_END}`),
    keywords: ['eyj'],
    verify: (t) => isLiveJwt(t) && !isJwtIoSample(t),
  },
  {
    id: 'jwt-base64',
    title: 'JSON Web Token (base64-encoded)',
    severity: 'high',
    category: 'security',
    family: FAMILY,
    inTests: 'low',
    hint: 'A signed token grants access until it expires: remove it, and mint test tokens at run time from a test key.',
    limits: 'the same as jwt, after one base64 decoding',
    pattern: () => new RegExp(`${TOKEN_START}ZXlK[A-Za-z0-9+/]{60,8000}={0,2}${TOKEN_END}`),
    keywords: ['zxlk'],
    verify: (t) => {
      const inner = decodeBase64(t)?.toString('utf8').trim() ?? '';
      return /^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*$/.test(inner) && isLiveJwt(inner) && !isJwtIoSample(inner);
    },
  },
  {
    id: 'url-credentials',
    title: 'Password in a URL',
    severity: 'high',
    category: 'security',
    family: FAMILY,
    inTests: 'low',
    hint: 'Keep the URL without its password and pass credentials separately (environment variable, .pgpass, credential helper).',
    limits: 'URLs to localhost, *.test, *.local or example.com; placeholder passwords (`password`, `${DB_PASS}`, `****`) and a password equal to the user name',
    pattern: () => /\b[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/([^\s:/@"'`]{0,64}):([^\s:/@"'`]{1,128})@([A-Za-z0-9.-]{1,253}|\[[0-9a-fA-F:]{2,40}\])/,
    keywords: ['://'],
    secretGroup: 2,
    verify: (password, m) => {
      const user = decodeURIComponentSafe(m[1] ?? '');
      const host = m[3] ?? '';
      return !LOCAL_HOST.test(host) && !isStandInPassword(decodeURIComponentSafe(password), user) && password.length >= 3;
    },
  },
  {
    id: 'bearer-token',
    title: 'Bearer token',
    severity: 'high',
    category: 'security',
    family: FAMILY,
    inTests: 'low',
    hint: 'Build the header at run time from the environment (`Bearer ${process.env.TOKEN}`) and revoke the token.',
    limits: 'tokens under 20 characters or that do not look random; `Bearer ${token}` and other references',
    pattern: () => /\b[Bb]earer[ \t]{1,8}([A-Za-z0-9._~+/-]{20,1000}=*)(?![A-Za-z0-9._~+/=-])/,
    keywords: ['bearer'],
    secretGroup: 1,
    verify: (v) => looksGenerated(v, 20) && !isDocumentationKey(v),
  },
  {
    id: 'basic-auth-header',
    title: 'HTTP Basic credentials',
    severity: 'high',
    category: 'security',
    family: FAMILY,
    inTests: 'low',
    hint: 'Build the header at run time from credentials in the environment, and change the password.',
    limits: 'a value that does not decode to user:password, or whose password is a placeholder',
    pattern: () => /\b[Bb]asic[ \t]{1,8}([A-Za-z0-9+/]{8,1000}={0,2})(?![A-Za-z0-9+/=])/,
    keywords: ['basic '],
    secretGroup: 1,
    verify: (v) => {
      const pair = decodesToUserPassword(v);
      return pair !== null && !isStandInPassword(pair.password, pair.user);
    },
  },
  {
    id: 'curl-user-password',
    title: 'Password on a curl command line',
    severity: 'medium',
    category: 'security',
    family: FAMILY,
    inTests: 'low',
    hint: 'Use `curl --netrc-file` or `-u "$USER:$PASSWORD"` with the values in the environment.',
    limits: '`-u user` alone (curl then asks); `$VAR` references and placeholders',
    pattern: () => /\bcurl\b[^\n|;&]{0,300}?\s(?:-u|--user)(?:=|[ \t]{1,5})["']?([^\s:"'$]{1,64}):([^\s"']{3,128})/,
    keywords: ['curl'],
    secretGroup: 2,
    verify: (password, m) => !isStandInPassword(password, m[1]),
  },
  {
    id: 'generic-secret',
    title: 'Hard-coded secret',
    severity: 'high',
    category: 'security',
    family: FAMILY,
    inTests: 'low',
    hint: 'Read the value from the environment or a secret store (process.env.X, os.environ["X"]) and rotate it if it was real.',
    limits:
      'values that are not random enough (under ~3.5 bits per character, or made of words), placeholders, references to the environment or a secret manager; secrets passed as plain function arguments',
    pattern: () => new RegExp(
      String.raw`(${SECRET_NAME})${NOT_SECRET_NAME_END}["']?(?:\s*:\s*\w+)?${ASSIGN}${QUOTED(8)}\2`,
      'i',
    ),
    keywords: ['pass', 'pwd', 'secret', 'token', 'credential', ...['api', 'access', 'private', 'auth', 'signing', 'encryption', 'master'].flatMap((w) => [`${w}key`, `${w}_key`, `${w}-key`])],
    needs: [ASSIGNED, QUOTE],
    secretGroup: 3,
    verify: (v) => looksGenerated(v) && !isReference(v) && !isDocumentationKey(v),
  },
  {
    id: 'generic-secret-unquoted',
    title: 'Hard-coded secret',
    severity: 'high',
    category: 'security',
    family: FAMILY,
    inTests: 'low',
    hint: 'Keep real values out of the repository: commit a .env.example with placeholders and load the real file at run time.',
    limits: 'the same as generic-secret; only at the start of a line in settings files (.env, YAML, TOML, INI, shell), never in program code',
    // `.env`, shell, YAML and properties style: NAME=value or name: value at the start of a line, value unquoted.
    pattern: () => new RegExp(
      String.raw`^\s*(?:export\s+)?[\w.-]{0,40}?(${SECRET_NAME})${NOT_SECRET_NAME_END}\s*[=:]\s*([A-Za-z0-9+/=_\-!@#%^&*~.]{8,200})(?=\s*(?:#.*)?$)`,
      'i',
    ),
    keywords: ['pass', 'pwd', 'secret', 'token', 'credential', ...['api', 'access', 'private', 'auth', 'signing', 'encryption', 'master'].flatMap((w) => [`${w}key`, `${w}_key`, `${w}-key`])],
    needs: [ASSIGNED],
    secretGroup: 2,
    fileFilter: (path) => !isProgram(path),
    verify: (v) => looksGenerated(v) && !isReference(v) && !isDocumentationKey(v),
  },
  {
    id: 'password-literal',
    title: 'Hard-coded password',
    severity: 'medium',
    category: 'security',
    family: FAMILY,
    inTests: 'low',
    hint: 'Read the password from the environment or a secret store; if it was ever real, change it.',
    limits: 'passwords under 4 characters or with spaces; placeholders (`changeme`, `password`, `${DB_PASS}`); a password passed as a plain argument',
    // Any quoted value of a password-named variable: people choose passwords, so short and wordy ones count.
    pattern: () => new RegExp(
      String.raw`(${PASSWORD_NAME})(?![\w-])${NOT_SECRET_NAME_END}["']?(?:\s*:\s*\w+(?=\s*=))?${ASSIGN}${QUOTED(4)}\2`,
      'i',
    ),
    keywords: ['pass', 'pwd'],
    needs: [ASSIGNED, QUOTE],
    secretGroup: 3,
    verify: (v) => !isStandInPassword(v) && !/^[~\w-]+\.[\w.-]+$/.test(v),
  },
];

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
