// Files whose whole point is to hold credentials. Line redaction cannot make them safe to send: a `.env` holds
// ENCRYPTION_KEY, SIGNING_SALT, APP_KEY… under names no rule knows, and an .npmrc's auth line is a token in a format
// of its own. Such a file is never sent to any model (it is listed with the reason); the built-in rules still read it.
// Decided from the path and, for files that hold credentials only sometimes (.npmrc, docker's config.json, a JSON
// key file), from the lines the diff carries: those are what would be sent.

import type { DiffFile } from '../types.js';

interface SecretsFileRule {
  /** What the file is, in a few words: "environment file", "npm credentials". */
  kind: string;
  /** Tested against the lower-cased base name. */
  name: RegExp;
  /** When present, the file counts only if one of its diff lines matches. */
  content?: RegExp;
}

/** `.env.example` and friends are meant to be committed, with placeholders. */
const TEMPLATE = /\.(?:example|sample|template|tmpl|tpl|dist|defaults|schema)$/;

const RULES: readonly SecretsFileRule[] = [
  { kind: 'environment file', name: /^(?:\.env(?:\.[\w.-]+)?|[\w.-]+\.env)$/ },
  { kind: 'npm credentials', name: /^\.npmrc$/, content: /_authtoken|_auth\s*=|_password\s*=|:_auth\b|npm_[a-z0-9]{36}/i },
  { kind: 'yarn credentials', name: /^\.yarnrc\.yml$/, content: /npmauth(?:token|ident)/i },
  { kind: 'netrc credentials', name: /^[._]netrc$/ },
  { kind: 'PyPI credentials', name: /^\.pypirc$/ },
  { kind: 'credentials file', name: /^(?:credentials|\.git-credentials|\.pgpass|\.my\.cnf|\.s3cfg|\.boto)$/ },
  { kind: 'private key file', name: /\.(?:pem|key|p12|pfx|jks|keystore|ppk)$|^id_(?:rsa|dsa|ecdsa|ed25519)$/ },
  // The `"auths"` line may be far above the change; an entry's own `"auth"` (base64 of user:password) is as telling.
  { kind: 'docker credentials', name: /^config\.json$/, content: /"auths"\s*:|"(?:auth|identitytoken)"\s*:\s*"[A-Za-z0-9+/=._-]{8,}"/ },
  { kind: 'service-account key', name: /\.json$/, content: /"type"\s*:\s*"service_account"|"private_key"\s*:\s*"-----BEGIN/ },
];

/** What kind of secrets file `file` is, or null when it is an ordinary file. */
export function secretsFileKind(file: DiffFile): string | null {
  const paths = [file.path, ...(file.oldPath ? [file.oldPath] : [])];
  for (const rule of RULES) {
    if (!paths.some((p) => matchesName(rule, p))) continue;
    if (!rule.content || diffText(file).some((line) => rule.content!.test(line))) return rule.kind;
  }
  return null;
}

/** The reason a secrets file is listed with. */
export function secretsFileReason(kind: string): string {
  return `secrets file (${kind}): never sent to a model`;
}

function matchesName(rule: SecretsFileRule, path: string): boolean {
  const base = (path.split('/').pop() ?? path).toLowerCase();
  return rule.name.test(base) && !TEMPLATE.test(base);
}

function diffText(file: DiffFile): string[] {
  return file.hunks.flatMap((h) => [h.heading, ...h.lines.map((l) => l.text)]);
}
