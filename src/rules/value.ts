// Is this value a secret, or does it only stand where one would? The judgement behind every rule that finds a
// secret by its name rather than by its shape (`password = "…"`), and the placeholder check of every other rule.

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const n = [...s].length;
  let bits = 0;
  for (const c of counts.values()) bits -= (c / n) * Math.log2(c / n);
  return bits;
}

/**
 * Marks that a value is a stand-in, whatever the rule: documentation (`…EXAMPLE`), fill-me-in text, template and
 * shell references, masks, runs of one character. Kept to what a generated key essentially never contains, so that
 * it can apply to the random part of a provider's token too.
 */
const STAND_IN =
  /example|placeholder|dummy|fake|redacted|x{6,}|X{6,}|\*{3,}|•{3,}|\.{3}|…|<[^>]*>|\$\{[^}]*\}|\$\(|\{\{|\}\}|%[sdv](?![a-z])|%\([a-z_]+\)[sd]|(.)\1{7,}/i;

// The larger patterns and sets below are built on first use: the hook loads this module on every commit, and only a
// line that wakes a rule needs them.
let placeholder: RegExp | null = null;

/** Placeholders for hand-written values: the stand-ins above, plus words and shapes no one uses for a real secret. */
function placeholderPattern(): RegExp {
  placeholder ??= new RegExp(
    [
      STAND_IN.source,
      'sample|test|mock|chang(?:e[_-]?)?(?:me|it)|replace|your|insert|enter|todo|fixme|tbd|secret123|hunter2|s3cr3t|lorem|ipsum|xxx|(?<![a-z0-9])(?:foo|bar|baz|qux)+(?![a-z0-9])',
      // sequences and keyboard rows
      'abcdef|bcdefg|123456|234567|345678|654321|qwerty|asdf|zxcv|(.)\\2{4,}',
      // references: $VAR, %VAR%, @VAR@, __VAR__, #{…}, {0}
      '^\\$[A-Za-z_]|^%[A-Za-z_]+%$|^@[A-Za-z_]+@$|__[A-Z_]+__|#\\{|^\\{\\d*\\}$',
    ].join('|'),
    'i',
  );
  return placeholder;
}

/** A marker no generated key carries (for the random part of a provider's token, after its prefix). */
export function isStandIn(value: string): boolean {
  return STAND_IN.test(value);
}

/** A hand-written value that stands for a secret: `changeme`, `<your-token>`, `${API_KEY}`, `xxxx`, `secret123`… */
export function isPlaceholder(value: string): boolean {
  return placeholderPattern().test(value);
}

/**
 * Words that make a value a name or a description rather than a secret: `refreshed-token-123`, `apiKeyHeader`,
 * `default-password`. 32 random characters contain one by chance about once in 800 (measured); with the
 * placeholder shapes, `looksGenerated` turns down about 1 random key in 300, a price for not blocking on names.
 */
const STOP_WORDS = [
  'secret', 'password', 'passwd', 'token', 'apikey', 'api_key', 'api-key', 'private', 'credential', 'bearer',
  'auth', 'admin', 'default', 'value', 'string', 'null', 'none', 'undefined', 'required', 'optional', 'enabled',
  'disabled', 'config', 'setting', 'header', 'cookie', 'session', 'key', 'user', 'name', 'local', 'demo', 'temp',
  'random', 'generated', 'invalid', 'valid', 'wrong', 'hello', 'world', 'guest', 'root', 'postgres', 'mysql',
  'redis',
];
let stop: RegExp | null = null;

export function hasStopWord(value: string): boolean {
  stop ??= new RegExp(STOP_WORDS.join('|'), 'i');
  return stop.test(value);
}

/**
 * The most frequent letter pairs of English (and of the identifiers written in it). A word has mostly these; a
 * run of random letters has about one pair in eight among them.
 */
const COMMON_PAIRS =
  'th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ' +
  'ro ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us ac ot il tr ly nc et ut ' +
  'ss so rs un lo wa ge ie wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai sh ir su id os iv ia am fi ' +
  'ci vi pl ig tu ev ld ry mp fe bl ab ke ok fr sw wo rd ey ty ff pp tt ck au ue va lu pu up um';
let commonPairs: ReadonlySet<string> | null = null;

/**
 * Made of words: at least half of the value is letter runs (split at case changes, digits and punctuation) of
 * four or more letters whose letter pairs are mostly common English pairs. Identifiers, paths and prose pass
 * (`refreshed-token-123`, `config.database.password`, `CorrectHorseBatteryStaple`); the letters of a generated
 * key rarely do.
 */
export function isWordLike(value: string): boolean {
  const pairs = (commonPairs ??= new Set(COMMON_PAIRS.split(' ')));
  const runs = value.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? [];
  let inWords = 0;
  for (const run of runs) {
    if (run.length < 4) continue;
    const lower = run.toLowerCase();
    let common = 0;
    for (let i = 0; i + 1 < lower.length; i++) if (pairs.has(lower.slice(i, i + 2))) common++;
    if (common / (lower.length - 1) >= 0.6) inWords += run.length;
  }
  return inWords * 2 >= value.length;
}

/** How many of lower case, upper case, digits and other characters the value uses. */
function characterClasses(value: string): number {
  return [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
}

/**
 * Reads like a generated (or strong hand-made) secret: long enough, no placeholder or stop word, not made of
 * words, several kinds of characters, and close to the most entropy its length allows (3.5 bits per character
 * from 16 characters on, the threshold gitleaks uses; less for shorter values, which cannot reach it).
 */
export function looksGenerated(value: string, minLength = 8): boolean {
  if (value.length < minLength || isPlaceholder(value) || hasStopWord(value) || isWordLike(value)) return false;
  if (characterClasses(value) < 2) return false;
  const needed = Math.min(3.5, Math.log2(value.length) * 0.85);
  return shannonEntropy(value) >= needed;
}

/**
 * A value that points at a secret instead of holding it: an environment or secret-manager reference
 * (`arn:aws:secretsmanager:…`, `vault:…`, `op://…`, `ENC[…]` from sops, `!vault` from Ansible), a path or a URL.
 */
export function isReference(value: string): boolean {
  return /^(?:[a-z][a-z0-9+.-]*:\/\/|arn:|vault:|ref\+|op:\/\/|ENC\[|!|projects\/|[.~]?\/|[A-Za-z]:\\)/i.test(value) || /^(?:process\.env|os\.environ|ENV\[|System\.getenv|getenv)/i.test(value);
}

/** Whole values that documentation and tests use for a password (`user:pass@proxy`). */
const STAND_IN_PASSWORD =
  /^(?:pass|passwd|password|passphrase|pwd|pw|secret|admin|root|test|user|guest|demo|default|qwerty|abc123|1234|12345678|letmein|p@ss(?:w[o0]rd)?|passw[o0]rd|my-?password|mysecret)$/i;

/** A password that stands for one: the placeholder words, a reference, or the user name again (`guest:guest`). */
export function isStandInPassword(password: string, user = ''): boolean {
  return (
    STAND_IN_PASSWORD.test(password) ||
    isPlaceholder(password) ||
    // people pick words (`PurpleMonkeyDishwasher` holds "key"), so only these mark a name, not a password
    /passw(?:or)?d|secret|token/i.test(password) ||
    password.toLowerCase() === user.toLowerCase() ||
    /^[$%{<[*]/.test(password) ||
    isReference(password)
  );
}

/**
 * Keys published in documentation, copied into countless READMEs and tests, that grant nothing: AWS's
 * `…EXAMPLE` pairs are caught by the placeholder words; these are the others.
 */
const DOCUMENTATION_KEYS = new Set([
  // Stripe's API reference and quick starts (test mode)
  'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
  'pk_test_TYooMQauvdEDq54NiTphI7jx',
  'sk_test_BQokikJOvBiI2HlWgH4olfQ2',
  'sk_test_26PHem9AhJZvU623DfE1x4sd',
  // the Azure Storage emulator's account key (devstoreaccount1), built into Azurite and the SDKs
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
  // the example tokens of the OAuth RFCs (5849, 6749, 6750), quoted by every OAuth library's documentation
  'ad180jjd733klru7',
  '0685bd9184jfhq22',
  '2YotnFZFEjr1zCsicMWpAA',
  'tGzv3JOkF0XG5Qx2TlKWIA',
  'SplxlOBeZQQYbYS6WxSbIA',
  'gX1fBat3bV',
  'czZCaGRSa3F0MzpnWDFmQmF0M2JW',
  'mF_9.B5f-4.1JqM',
]);

export function isDocumentationKey(value: string): boolean {
  return DOCUMENTATION_KEYS.has(value);
}
