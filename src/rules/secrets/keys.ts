// Private keys: PEM blocks, age identities, PKCS#12 / Java key stores.
import type { FileRule, LineRule } from '../types.js';
import { token, TOKEN_END, TOKEN_START } from './build.js';

const FAMILY = 'Private keys';
const PEM_BEGIN = String.raw`-----BEGIN[A-Z0-9 _-]{0,40}PRIVATE KEY(?: BLOCK)?-----`;
const PEM_END = String.raw`-----END[A-Z0-9 _-]{0,40}PRIVATE KEY(?: BLOCK)?-----`;

/** The family's rules, built when the table is (secrets.ts). */
export const keyRules = (): LineRule[] => [
  {
    id: 'private-key',
    title: 'Private key',
    severity: 'critical',
    category: 'security',
    family: FAMILY,
    hint: 'Remove the key from the commit and rotate it: anyone with the repository history has it. Load keys from a file outside the repository or a secret store.',
    limits: 'a header mentioned without a key body after it (a PEM parser\'s constants); public keys and certificates',
    // The body may not hold "-----", so a scan from one header stops at the next header or footer: linear even on
    // a line of repeated headers. JSON-escaped keys (`\n` inside a string) are matched whole, on one line.
    pattern: () => new RegExp(
      String.raw`${PEM_BEGIN}(?:(?:[^-]|-(?!----)){0,12000}${PEM_END})?`,
    ),
    keywords: ['private key'],
    // Test suites carry their own CA and server keys (tests/certs/, testdata/): reported, at low.
    inTests: 'low',
    block: {
      end: new RegExp(PEM_END),
      // base64 lines (maybe quoted and concatenated in code), `Proc-Type: …` style headers, blank lines
      body: /^[\s"'`]*(?:[A-Za-z0-9+/=]+|[A-Za-z-]+: .*)?(?:\\n)?[\s"'`,+;]*$/,
    },
  },
  {
    id: 'private-key-base64',
    title: 'Private key (base64-encoded)',
    severity: 'critical',
    category: 'security',
    family: FAMILY,
    hint: 'Remove the key from the commit and rotate it: anyone with the repository history has it. Keep Kubernetes secrets and kubeconfigs with keys out of the repository (a secret store, sealed or external secrets).',
    limits: 'an encoding that does not start at the header (a key inside a larger base64 value); a certificate or public key',
    // A PEM block encoded whole, as Kubernetes secrets (`tls.key:`) and kubeconfigs (`client-key-data:`) hold it:
    // its encoding starts with "-----BEGIN" encoded ("LS0tLS1CRUdJTi"). Bounded like the PEM rule's body.
    pattern: () => new RegExp(String.raw`${TOKEN_START}LS0tLS1CRUdJTi[A-Za-z0-9+/]{40,16000}={0,2}${TOKEN_END}`),
    keywords: ['ls0tls1crudjti'],
    inTests: 'low',
    verify: (value) => new RegExp(`^${PEM_BEGIN}`).test(Buffer.from(value.slice(0, 96), 'base64').toString('latin1')),
  },
  token({
    id: 'age-secret-key',
    title: 'age secret key',
    issuer: 'your age key files (generate a new identity with age-keygen)',
    family: FAMILY,
    pattern: 'AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}',
    keywords: ['age-secret-key-1'],
  }),
];

const KEY_STORE = /\.(?:p12|pfx|jks|keystore|bks)$/i;

export const KEY_FILE_RULES: FileRule[] = [
  {
    id: 'key-store-file',
    title: 'Key store committed',
    severity: 'high',
    category: 'security',
    family: FAMILY,
    binary: true,
    inTests: 'low',
    hint: 'Unstage it (git rm --cached <file>) and keep key stores outside the repository; rotate the keys if it was pushed.',
    limits: 'key stores under other extensions; a password-less store is reported all the same',
    check: (file) => {
      // A pure rename or a deletion exposes nothing new.
      if (file.status === 'deleted' || !KEY_STORE.test(file.path)) return null;
      if ((file.status === 'renamed' || file.status === 'copied') && (file.similarity ?? 0) === 100) return null;
      return { line: 1, found: file.path };
    },
  },
];
