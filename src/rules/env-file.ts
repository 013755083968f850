// A committed `.env` file, judged by what it adds rather than by its name. Vite, Next.js and others commit `.env`
// and `.env.development` on purpose, with public defaults (`VITE_API_URL=…`); only `.env.local` is private by
// convention. What leaks is a credential in it, and in a `.env` any value given to a credential's name is meant to
// be real: a short or plain-word password that the line rules let pass elsewhere counts here.
import type { DiffFile } from '../types.js';
import { isEnvFile } from './paths.js';
import type { FileRule } from './types.js';
import { hasStopWord, isPlaceholder, isReference } from './value.js';

/** `NAME=value`, with `export`, quotes and a trailing comment allowed. */
const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s#]*))/;
/** Names that hold a credential. */
const CREDENTIAL = /pass(?:word|wd|phrase)?$|pwd$|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|auth[_-]?key|credential|(?:^|_)key$|dsn$|(?:^|_)auth$/i;
/** Names that are about a credential, not one (`TOKEN_URL`, `SECRET_NAME`, `PASSWORD_MIN_LENGTH`). */
const ABOUT_CREDENTIAL = /(?:_|^)(?:url|uri|name|id|path|file|type|length|len|min|max|ttl|expiry|expires|header|prefix|region|endpoint|enabled|required)$/i;
/** Public by design: the bundlers inline these into code shipped to every browser. */
const PUBLIC_PREFIX = /^(?:VITE_|NEXT_PUBLIC_|REACT_APP_|PUBLIC_|NUXT_PUBLIC_|EXPO_PUBLIC_|GATSBY_|VUE_APP_|STORYBOOK_)/;

/** The first added line of an env file that gives a credential's name a real value, or null. */
export function firstCredentialLine(file: DiffFile): { line: number; name: string } | null {
  for (const hunk of file.hunks) {
    for (const line of hunk.lines) {
      if (line.kind !== 'add' || line.newLine === undefined) continue;
      const m = ASSIGNMENT.exec(line.text);
      if (!m) continue;
      const name = m[1]!;
      const value = m[2] ?? m[3] ?? m[4] ?? '';
      if (!CREDENTIAL.test(name) || ABOUT_CREDENTIAL.test(name) || PUBLIC_PREFIX.test(name)) continue;
      if (value.length < 3 || isPlaceholder(value) || hasStopWord(value) || isReference(value) || /^(?:true|false|\d{1,6})$/i.test(value)) continue;
      return { line: line.newLine, name };
    }
  }
  return null;
}

export const ENV_FILE_RULE: FileRule = {
  id: 'env-file',
  title: 'Environment file with a credential',
  severity: 'high',
  category: 'security',
  family: 'Generic credentials',
  // Test fixtures hold .env files on purpose (a dev server's tests check that .env is never served).
  inTests: 'low',
  hint: 'Unstage it (git rm --cached <file>), add it to .gitignore, and commit a .env.example with placeholder values instead.',
  limits:
    'a .env of public defaults (`VITE_*`, `NEXT_PUBLIC_*`, hosts, ports, flags) and templates (.env.example, .sample, .template); a pure rename or copy, which adds nothing',
  check: (file) => {
    if (file.status === 'deleted' || !isEnvFile(file.path)) return null;
    // Only added lines count: a rename or copy without changes adds none and exposes nothing new.
    const hit = firstCredentialLine(file);
    return hit ? { line: hit.line, found: `${file.path} sets ${hit.name}` } : null;
  },
};
