// A committed `.env` file, judged by what it adds rather than by its name. Vite, Next.js and others commit `.env`
// and `.env.development` on purpose, with public defaults (`VITE_API_URL=…`); only `.env.local` is private by
// convention. What leaks is a credential in it, and in a `.env` any value given to a credential's name is meant to
// be real: a short or plain-word password that the other rules let pass elsewhere counts here. A line rule, so that
// a pure rename or copy (no added line) never blocks, and every value it finds is also redacted.
import { isEnvFile } from './paths.js';
import type { LineRule } from './types.js';
import { hasStopWord, isPlaceholder, isReference } from './value.js';

/** Names that hold a credential. */
const CREDENTIAL = /pass(?:word|wd|phrase)?$|pwd$|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|auth[_-]?key|credential|(?:^|_)key$|dsn$|(?:^|_)auth$/i;
/** Names that are about a credential, not one (`TOKEN_URL`, `SECRET_NAME`, `PASSWORD_MIN_LENGTH`). */
const ABOUT_CREDENTIAL = /(?:_|^)(?:url|uri|name|id|path|file|type|length|len|min|max|ttl|expiry|expires|header|prefix|region|endpoint|enabled|required)$/i;
/** Public by design: the bundlers inline these into code shipped to every browser. */
const PUBLIC_PREFIX = /^(?:VITE_|NEXT_PUBLIC_|REACT_APP_|PUBLIC_|NUXT_PUBLIC_|EXPO_PUBLIC_|GATSBY_|VUE_APP_|STORYBOOK_)/;

export const envFileRule = (): LineRule => ({
  id: 'env-file',
  title: 'Credential in an environment file',
  severity: 'high',
  category: 'security',
  family: 'Generic credentials',
  // Test fixtures hold .env files on purpose (a dev server's tests check that .env is never served).
  inTests: 'low',
  hint: 'Unstage it (git rm --cached <file>), add it to .gitignore, and commit a .env.example with placeholder values instead.',
  limits:
    'a .env of public defaults (`VITE_*`, `NEXT_PUBLIC_*`, hosts, ports, flags) and templates (.env.example, .sample, .template); a pure rename or copy, which adds no line',
  // NAME=value, with `export` and quotes; the value up to a quote, a space or a comment.
  pattern: () => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]{0,100})\s*=\s*["']?([^"'\s#]{3,500})/,
  keywords: ['pass', 'pwd', 'secret', 'token', 'key', 'credential', 'auth', 'dsn'],
  // `\s*=\s*` above.
  needs: [['=']],
  secretGroup: 2,
  fileFilter: isEnvFile,
  verify: (value, m) => {
    const name = m[1] ?? '';
    if (!CREDENTIAL.test(name) || ABOUT_CREDENTIAL.test(name) || PUBLIC_PREFIX.test(name)) return false;
    return !isPlaceholder(value) && !hasStopWord(value) && !isReference(value) && !/^(?:true|false|\d{1,6})$/i.test(value);
  },
});
