// The secrets the wire tests plant and look for: every secrets rule's own true examples (built at test time), tokens
// that pass their checksum, and the check that no byte of any of them past its first 4 characters reached a server.
import { randomBytes } from 'node:crypto';
import { keyBlockLines } from '../../src/rules/key-blocks.js';
import { findSecrets, matchRule } from '../../src/rules/scan.js';
import { secretRules } from '../../src/rules/secrets.js';
import type { RecordedRequest } from '../fakes/index.js';
import { RULE_EXAMPLES } from '../rules/examples/all.js';
import type { Example } from '../rules/examples/make.js';
import { checksummedToken } from '../rules/fixtures/fakes.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const random = (n: number, alphabet = ALNUM) => [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');
export const BASE64 = `${ALNUM}+/`;
// Tokens with a valid checksum: the rules (like GitHub's own push protection) ignore look-alikes without one.
export const ghp = () => checksummedToken('ghp_', random(30));
export const npmToken = () => checksummedToken('npm_', random(30));

/** A path for one example: its own if it has one (some rules look at the file name), under a folder of its own. */
function sample(rule: string, i: number, example: Example): { path: string; text: string } | null {
  if (typeof example === 'string') return { path: `samples/${rule}-${i}/settings.conf`, text: example };
  if ('file' in example) {
    // A whole DiffFile (a .env, say): its added lines, written at its own name.
    const added = example.file.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'add').map((l) => l.text));
    return added.length === 0 ? null : { path: `samples/${rule}-${i}/${example.file.path}`, text: added.join('\n') };
  }
  return { path: `samples/${rule}-${i}/${example.path}`, text: example.text };
}

/** The secrets rules' own samples: each secret rule's true examples (built at test time), with the values they match. */
export function corpusSamples() {
  const ruleIds = new Set(secretRules().map((r) => r.id));
  const files: Array<{ path: string; text: string }> = [];
  const values = new Set<string>();
  const covered = new Set<string>();
  for (const [id, examples] of Object.entries(RULE_EXAMPLES)) {
    const rule = secretRules().find((r) => r.id === id);
    if (!rule) continue;
    for (const [i, example] of examples.hit.entries()) {
      const planted = sample(id, i, example);
      if (planted === null) continue;
      const { path: p, text } = planted;
      const lines = text.split('\n');
      for (const line of keyBlockLines(text)) if (!(lines[line - 1] ?? '').includes('-----')) values.add((lines[line - 1] ?? '').trim());
      for (const line of lines) {
        // The rule's own matches (another rule may claim the same text first), and whatever else the rules see.
        for (const m of [...matchRule(rule, line), ...findSecrets(line, p)]) {
          if (m.rule === rule) covered.add(rule.id);
          if (!m.value.startsWith('-----')) values.add(m.value);
        }
      }
      files.push({ path: p, text: `${text}\n` });
    }
  }
  return { files, values, covered, ruleIds };
}


/** Everything the server saw of one request, as one string. */
export function wire(r: RecordedRequest): string {
  return [r.method, r.url, JSON.stringify(r.headers), r.raw].join('\n');
}

/** The first leaked piece: 8 characters of a secret past its 4-character prefix (or all of a shorter rest). */
export function leak(text: string, secrets: Iterable<string>): string | null {
  for (const s of secrets) {
    const rest = s.slice(4);
    if (rest.length < 4) continue;
    const width = Math.min(8, rest.length);
    for (let i = 0; i + width <= rest.length; i++) {
      const piece = rest.slice(i, i + width);
      // A format's own words and URL parts ('access_token$production$…' of a Braintree token, 'https://acme…' of a
      // webhook, the run of A's a Twitter bearer token starts with) are not the secret: a random value has digits or
      // capitals, and no run of one character, in some stretch of 8.
      if (/^[a-z_$:/.-]+$/.test(piece) || /^(.)\1+$/.test(piece)) continue;
      const at = text.indexOf(piece);
      if (at >= 0) return `${s.slice(0, 4)}…${piece}… (from a secret of ${s.length} characters) in: ${JSON.stringify(text.slice(Math.max(0, at - 60), at + 40))}`;
    }
  }
  return null;
}
