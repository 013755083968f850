// Secrets: credentials that must neither be committed nor sent to a model. Table order is priority: when two rules
// match the same text, the earlier (more specific) one wins, so a GitHub token assigned to `token = "…"` is reported
// once, as a GitHub token.
import type { FileRule, LineRule } from './types.js';

/**
 * Values that stand for a secret without being one: documentation examples (AKIA…EXAMPLE), fill-me-in markers,
 * template and shell references, masked values, runs of one character.
 */
const PLACEHOLDER = String.raw`example|placeholder|dummy|change_?me|redacted|your[_-]?(?:api[_-]?)?(?:key|token|secret|password)|x{5,}|\*{3,}|\.{3}|…|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|^\$[A-Za-z_(]|(.)\1{7,}`;
const placeholder = new RegExp(PLACEHOLDER, 'i');

/**
 * For hand-written values (passwords), also: plain words and identifiers, maybe wrapped in punctuation
 * (`config.db.password`, `Authorization`, `function*`, `?NoLineTerminatorHere`), numbers, paths and URLs: what a
 * keyword next to `=` usually is when it is not a secret.
 */
const notAHandWrittenSecret = new RegExp(
  `${PLACEHOLDER}|^[^A-Za-z0-9]*[A-Za-z]+(?:[-_. /:][A-Za-z]+)*[^A-Za-z0-9]*$|^[\\d.]+$|^(?:[.~]?/|[A-Za-z]:\\\\)|^https?://|^(?:true|false|null|none|undefined)$`,
  'i',
);

/** Names that hold a credential: `password`, `DB_PASSWORD`, `apiKey`, `client_secret`, `auth_token`… */
const SECRET_NAME = String.raw`[\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|auth[_-]?key|credentials?)[\w.-]*`;
/** …except names that hold something about a credential: its name, type, URL, length. */
const NOT_SECRET_NAME_END = String.raw`(?<!name|id|type|label|field|url|uri|path|file|header|prefix|length|count|size|len|hint|message|msg|env|var|regex|pattern|format|policy|arn|region|endpoint|expires|expiry|ttl|izer|ized)`;
/** Keywords that find the lines SECRET_NAME can match ('key' alone would wake the regex on every `key={id}`). */
const SECRET_NAME_KEYWORDS = ['pass', 'pwd', 'secret', 'token', 'credential'].concat(
  ['api', 'access', 'private', 'auth'].flatMap((w) => [`${w}key`, `${w}_key`, `${w}-key`]),
);
/** `=`, `:`, `:=`, `=>`, but not `==`. */
const ASSIGN = String.raw`\s*(?:=>|:=|=(?!=)|:)\s*`;

export const SECRET_RULES: readonly LineRule[] = [
  {
    id: 'private-key',
    title: 'Private key',
    severity: 'critical',
    category: 'security',
    hint: 'Remove the key from the commit and rotate it: anyone with the repository history has it. Load keys from a file outside the repository or a secret store.',
    pattern: /-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,8000}?-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----)?/,
    keywords: ['private key'],
    block: {
      end: /-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/,
      // base64 lines (maybe quoted and concatenated in code), `Proc-Type: …` style headers, blank lines
      body: /^[\s"'`]*(?:[A-Za-z0-9+/=]+|[A-Za-z-]+: .*)?(?:\\n)?[\s"'`,+;]*$/,
    },
  },
  {
    id: 'aws-access-key-id',
    title: 'AWS access key id',
    severity: 'critical',
    category: 'security',
    hint: 'Deactivate the key in IAM, then use a role, AWS SSO or the AWS_ACCESS_KEY_ID environment variable instead of a literal.',
    pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/,
    keywords: ['akia', 'asia', 'abia', 'acca'],
    allow: placeholder,
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    severity: 'critical',
    category: 'security',
    hint: 'Deactivate the key pair in IAM and read credentials from the environment or the AWS credential chain.',
    pattern: new RegExp(
      String.raw`(?:secret[_-]?access[_-]?key|aws[_-]?secret(?:[_-]?key)?)["']?${ASSIGN}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
      'i',
    ),
    keywords: ['secret'],
    secretGroup: 1,
    minEntropy: 3.5,
    allow: placeholder,
  },
  {
    id: 'github-token',
    title: 'GitHub token',
    severity: 'critical',
    category: 'security',
    hint: 'Revoke the token on GitHub (Settings → Developer settings) and pass it through an environment variable or the CI secret store.',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b/,
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    allow: placeholder,
  },
  {
    id: 'gitlab-token',
    title: 'GitLab personal access token',
    severity: 'critical',
    category: 'security',
    hint: 'Revoke the token in GitLab (User settings → Access tokens) and use a CI/CD variable instead.',
    pattern: /\bglpat-[A-Za-z0-9_-]{20,}/,
    keywords: ['glpat-'],
    allow: placeholder,
  },
  {
    id: 'slack-token',
    title: 'Slack token',
    severity: 'critical',
    category: 'security',
    hint: 'Revoke the token in the Slack app settings and load it from the environment.',
    pattern: /\bxox[abpr]-[0-9A-Za-z]{1,20}-[0-9A-Za-z-]{10,}/,
    keywords: ['xoxa-', 'xoxb-', 'xoxp-', 'xoxr-'],
    allow: placeholder,
  },
  {
    id: 'slack-webhook',
    title: 'Slack webhook URL',
    severity: 'high',
    category: 'security',
    hint: 'Anyone with this URL can post to the channel: regenerate the webhook and keep the URL in a secret store.',
    pattern: /hooks\.slack\.com\/services\/(T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{16,})/,
    keywords: ['hooks.slack.com'],
    secretGroup: 1,
    allow: placeholder,
  },
  {
    id: 'stripe-live-key',
    title: 'Stripe live secret key',
    severity: 'critical',
    category: 'security',
    hint: 'Roll the key in the Stripe dashboard; live keys belong in the deployment environment only.',
    pattern: /\b(?:sk|rk)_live_[0-9A-Za-z]{20,}/,
    keywords: ['_live_'],
    allow: placeholder,
  },
  {
    id: 'anthropic-api-key',
    title: 'Anthropic API key',
    severity: 'critical',
    category: 'security',
    hint: 'Delete the key in the Anthropic console and read it from ANTHROPIC_API_KEY.',
    pattern: /\bsk-ant-[a-z]+[0-9]{0,3}-[A-Za-z0-9_-]{32,}/,
    keywords: ['sk-ant-'],
    allow: placeholder,
  },
  {
    id: 'openai-api-key',
    title: 'OpenAI-style API key',
    severity: 'critical',
    category: 'security',
    hint: 'Revoke the key in the provider dashboard (OpenAI, DeepSeek…) and read it from OPENAI_API_KEY or DEEPSEEK_API_KEY.',
    // Project, service-account and admin keys carry '-' and '_'; legacy and DeepSeek keys are plain alphanumerics.
    pattern: /\bsk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{32,}|(?!ant-)[A-Za-z0-9]{32,})(?![A-Za-z0-9_-])/,
    keywords: ['sk-'],
    minEntropy: 3.5,
    allow: placeholder,
  },
  {
    id: 'google-api-key',
    title: 'Google API key',
    severity: 'high',
    category: 'security',
    hint: 'Delete or restrict the key in Google Cloud console (APIs & Services → Credentials) and load it from configuration.',
    pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/,
    keywords: ['aiza'],
    allow: placeholder,
  },
  {
    id: 'jwt',
    title: 'JSON Web Token',
    severity: 'high',
    category: 'security',
    hint: 'A signed token grants access until it expires: remove it, and mint test tokens at run time from a test key.',
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/,
    keywords: ['eyj'],
    // The signature of the token on jwt.io, copied into countless docs and tests.
    allow: new RegExp(`${PLACEHOLDER}|SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`, 'i'),
  },
  {
    id: 'url-credentials',
    title: 'Password in a URL',
    severity: 'high',
    category: 'security',
    hint: 'Keep the URL without its password and pass credentials separately (environment variable, .pgpass, credential helper).',
    pattern: /\b[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s:/@"'`]{0,64}:([^\s:/@"'`]{3,128})@[A-Za-z0-9.-]+/,
    keywords: ['://'],
    secretGroup: 1,
    minEntropy: 2,
    allow: notAHandWrittenSecret,
  },
  {
    id: 'generic-secret',
    title: 'Hard-coded secret',
    severity: 'high',
    category: 'security',
    hint: 'Read the value from the environment or a secret store (process.env.X, os.environ["X"]) and rotate it if it was real.',
    pattern: new RegExp(
      String.raw`(?<![\w.-])(${SECRET_NAME})${NOT_SECRET_NAME_END}["']?(?:\s*:\s*\w+)?${ASSIGN}(["'\x60])([^"'\x60\s]{8,200})\2`,
      'i',
    ),
    keywords: SECRET_NAME_KEYWORDS,
    secretGroup: 3,
    minEntropy: 2.5,
    allow: notAHandWrittenSecret,
  },
  {
    id: 'generic-secret-unquoted',
    title: 'Hard-coded secret',
    severity: 'high',
    category: 'security',
    hint: 'Keep real values out of the repository: commit a .env.example with placeholders and load the real file at run time.',
    // `.env`, shell, YAML and properties style: NAME=value or name: value at the start of a line, value unquoted.
    pattern: new RegExp(
      String.raw`^\s*(?:export\s+)?(${SECRET_NAME})${NOT_SECRET_NAME_END}\s*[=:]\s*([A-Za-z0-9+/=_\-!@#%^&*~.]{8,200})(?=\s|$)`,
      'i',
    ),
    keywords: SECRET_NAME_KEYWORDS,
    secretGroup: 2,
    minEntropy: 2.5,
    allow: notAHandWrittenSecret,
  },
];

/** `.env`, `.env.local`, `.env.production`… but not the templates meant to be committed. */
const ENV_FILE = /(?:^|\/)\.env(?:\.[\w.-]+)?$/;
const ENV_TEMPLATE = /\.(?:example|sample|template|dist|defaults|schema)$/;

export const SECRET_FILE_RULES: readonly FileRule[] = [
  {
    id: 'env-file',
    title: 'Environment file committed',
    severity: 'high',
    category: 'security',
    hint: 'Unstage it (git rm --cached <file>), add it to .gitignore, and commit a .env.example with placeholder values instead.',
    check: (file) => {
      if (file.status === 'deleted' || !ENV_FILE.test(file.path) || ENV_TEMPLATE.test(file.path)) return null;
      const first = file.hunks.flatMap((h) => h.lines).find((l) => l.kind === 'add');
      return { line: first?.newLine ?? 1, found: file.path };
    },
  },
];
