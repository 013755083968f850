// Keys stored base64-encoded (a Kubernetes Secret's data, an _auth, a CI variable): found by the rule of their
// format, reported on their line, redacted whole. Each look-alike is checked beside a real encoded key in the same
// file, so that a scanner finding nothing encoded fails here too.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/diff/redact.js';
import { base64Values } from '../../src/rules/encoded.js';
import { maskSecretsInLine, runBuiltinRules } from '../../src/rules/scan.js';
import { CATEGORIES, type DiffFile, type Finding } from '../../src/types.js';
import { B64, chars, jwt } from './examples/make.js';
import { checksummedToken, FAKE_AWS_KEY_ID, FAKE_GITHUB_TOKEN } from './fixtures/fakes.js';
import { addedFile, diffFile } from './fixtures/make-diff.js';

const ALL = { disabled: [], categories: [...CATEGORIES] };
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const AKIA_B64 = b64(FAKE_AWS_KEY_ID);
const GHP_B64 = b64(FAKE_GITHUB_TOKEN);
/** The real encoded key every look-alike file also holds, on its last line. */
const CONTROL = `CONTROL_ID: ${AKIA_B64}`;

const texts = (f: DiffFile) => f.hunks.flatMap((h) => h.lines.map((l) => l.text));
const summary = (fs: Finding[]) => fs.map((f) => `${f.line} ${f.rule} ${f.severity}`);

/**
 * The findings from decoded values in `lines` (a look-alike file) and the control: only the control's. (What the
 * plain rules say of these lines, a Secret's value or a password by its name, is theirs and tested with them.)
 */
function onlyControl(path: string, lines: string[]): void {
  const found = runBuiltinRules([addedFile(path, [...lines, CONTROL])], ALL).filter((f) => f.message.includes(', decoding to '));
  expect(summary(found), lines.join('\n')).toEqual([`${lines.length + 1} aws-access-key-id critical`]);
}

describe('base64Values', () => {
  it('decodes a value after = or :, or in quotes, in either alphabet, padded or not', () => {
    for (const line of [`KEY=${AKIA_B64}`, `  key: ${AKIA_B64}`, `x = decode("${b64url(FAKE_GITHUB_TOKEN)}")`, `{"k" => '${AKIA_B64}'}`]) {
      const values = base64Values(line);
      expect(values.length, line).toBe(1);
      expect(line.slice(values[0]!.start, values[0]!.end), line).toMatch(/^(?:QUtJ|Z2hw)/);
      expect([FAKE_AWS_KEY_ID, FAKE_GITHUB_TOKEN]).toContain(values[0]!.decoded);
    }
  });

  it('passes over runs that are not a value, not one alphabet, of no plausible length, or that decode to no text', () => {
    for (const line of [
      AKIA_B64, // a bare line: no value position
      `- ${AKIA_B64}`, // a list item
      `key: ${AKIA_B64.slice(0, 19)}`, // too short
      `key: ${AKIA_B64.replace('=', '')}A`, // 4n+1 characters
      `key: ${AKIA_B64}=`, // 3 '='
      `key: "${b64(randomBytes(48))}"`, // random bytes
      `path: src/ab-cd/${'x'.repeat(30)}`, // a path: both alphabets
      `key: ${b64(`${FAKE_AWS_KEY_ID}\u0000`)}`, // a control character
    ]) {
      expect(base64Values(line), line).toEqual([]);
    }
  });
});

describe('a key stored base64-encoded', () => {
  it("is reported on its line as its rule's finding, same id and severity, saying it was encoded", () => {
    const manifest = ['apiVersion: v1', 'kind: Secret', 'data:', `  AWS_ACCESS_KEY_ID: ${AKIA_B64}`, `  GITHUB_TOKEN: ${GHP_B64}`, '  region: ZXUtd2VzdC0x'];
    const found = runBuiltinRules([addedFile('k8s/secret.yaml', manifest)], ALL);
    expect(summary(found)).toEqual(['4 aws-access-key-id critical', '5 github-token critical']);
    expect(found[0]!.message).toBe('AWS access key id (base64-encoded) in an added line: QUtJ…, decoding to AKIA…');
    expect(found[0]!.code).toBe('  AWS_ACCESS_KEY_ID: QUtJ…');
    expect(found[1]!.message).toMatch(/^GitHub token \(base64-encoded\) in an added line: Z2hw…, decoding to ghp_…$/);
  });

  it('is found inside what it decodes to (user:token in an _auth), URL-safe and unpadded, in code and CI files', () => {
    const found = runBuiltinRules(
      [
        addedFile('.gitlab-ci.yml', ['variables:', `  BOOTSTRAP: "${b64url(FAKE_GITHUB_TOKEN)}"`]),
        addedFile('config/registry.ini', [`_auth = ${b64(`deploy:${FAKE_GITHUB_TOKEN}`)}`]),
        addedFile('src/aws.ts', [`const id = atob('${AKIA_B64}');`]),
      ],
      ALL,
    );
    expect(found.map((f) => `${f.file}:${f.line} ${f.rule}`)).toEqual([
      '.gitlab-ci.yml:2 github-token',
      'config/registry.ini:1 github-token',
      'src/aws.ts:1 aws-access-key-id',
    ]);
  });

  it('is redacted whole on every kind of line, and masked when shown', () => {
    const file = diffFile('deploy/values.yaml', [
      { kind: 'context', text: `  old: ${GHP_B64}` },
      { kind: 'del', text: `  id: "${AKIA_B64}"` },
      { kind: 'add', text: `  id: "${b64url(FAKE_AWS_KEY_ID)}" # rotated` },
    ]);
    const { files, redactions } = redact([file]);
    expect(texts(files[0]!)).toEqual(['  old: [REDACTED:github-token]', '  id: "[REDACTED:aws-access-key-id]"', '  id: "[REDACTED:aws-access-key-id]" # rotated']);
    expect(redactions.map((r) => r.rule)).toEqual(['github-token', 'aws-access-key-id', 'aws-access-key-id']);
    expect(maskSecretsInLine(`token: ${GHP_B64}`)).toBe('token: Z2hw…');
  });

  it('is still redacted when its rule is disabled (only the finding goes)', () => {
    const file = addedFile('k8s/s.yaml', [`  id: ${AKIA_B64}`]);
    expect(runBuiltinRules([file], { ...ALL, disabled: ['aws-access-key-id'] })).toEqual([]);
    expect(texts(redact([file]).files[0]!)).toEqual(['  id: [REDACTED:aws-access-key-id]']);
  });
});

describe('look-alikes beside an encoded key', () => {
  it('the documentation key, and a GitHub token whose checksum is wrong, encoded', () => {
    const wrong = checksummedToken('ghp_', 'M0XvqZjxTW3xvboSRt5Mh3dAwVtRMf').slice(0, -1) + 'x';
    onlyControl('k8s/doc.yaml', [`  EXAMPLE_ID: ${b64('AKIAIOSFODNN7EXAMPLE')}`, `  token_b64: "${b64url(wrong)}"`]);
  });

  it('images, fonts, random bytes and hashes (no text once decoded)', () => {
    onlyControl('src/assets.ts', [
      `export const LOGO = "${b64(Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(200)]))}";`,
      `export const FONT = '${b64(Buffer.concat([Buffer.from('wOF2'), randomBytes(300)]))}';`,
      `nonce: ${b64(randomBytes(32))}`,
      `sha: "${randomBytes(20).toString('hex')}"`,
      `digest = "${b64(randomBytes(64))}"`,
    ]);
  });

  it("lockfile integrity strings and a data URI's payload", () => {
    onlyControl('package-lock.json', [`      "integrity": "sha512-${chars(B64, 86)}==",`, `      "integrity": "sha512-${b64url(randomBytes(64).toString('latin1'))}",`]);
    onlyControl('styles/app.css', [`.logo { background: url("data:image/svg+xml;base64,${b64('<svg xmlns="http://www.w3.org/2000/svg"/>')}"); }`]);
  });

  it('text that holds no key of a specific format: config, user:password, a URL', () => {
    onlyControl('k8s/cfg.yaml', [
      `  config: ${b64('log_level=debug\nregion=eu-west-1\nretries=3')}`,
      `  auth: ${b64('admin:Tr0ub4dor&3x-horse')}`,
      `  url: ${b64('https://api.acme.io/v1/health?check=full')}`,
      `  password: ${b64('s3cr3t-P4ssw0rd-2024!')}`,
    ]);
  });

  it('certificates and public keys, encoded whole', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pub = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const cert = ['-----BEGIN CERTIFICATE-----', ...Array.from({ length: 8 }, () => chars(B64, 64)), '-----END CERTIFICATE-----', ''].join('\n');
    onlyControl('k8s/tls.yaml', [`  tls.crt: ${b64(cert)}`, `  ca.pub: ${b64(pub)}`]);
  });

  it('a JWT and a base64 JWT are reported once, by their own rules', () => {
    const token = jwt({ sub: 'svc', exp: 4_102_444_800 });
    const found = runBuiltinRules([addedFile('k8s/jwt.yaml', [`  jwt: ${token}`, `  jwt_b64: ${b64(token)}`, CONTROL])], ALL);
    expect(summary(found)).toEqual(['1 jwt high', '2 jwt-base64 high', '3 aws-access-key-id critical']);
  });
});

describe('a line of many encoded values', () => {
  it('is read once: every value of a 2 MB line is found and redacted (no clock: quadratic work would time out)', () => {
    const unit = `k: "${AKIA_B64}", v: "${b64(randomBytes(30))}", `;
    const count = Math.ceil((2 << 20) / unit.length);
    const file = addedFile('src/bundle.js', [unit.repeat(count)]);
    const found = runBuiltinRules([file], ALL);
    expect(found.length).toBe(count);
    expect(new Set(summary(found))).toEqual(new Set(['1 aws-access-key-id critical']));
    const { files, redactions } = redact([file]);
    expect(redactions.length).toBe(count);
    expect(texts(files[0]!)[0]).not.toContain(AKIA_B64);
  });
});
