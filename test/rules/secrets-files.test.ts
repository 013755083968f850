// Secrets files (.env, .npmrc with a token, key files, …) are never sent to any model, local or cloud, and are listed
// with that reason; the built-in rules still read them.
import { describe, expect, it } from 'vitest';
import { prepareForModel, reviewDiff } from '../../src/pipeline.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import { secretsFileKind } from '../../src/rules/secrets-files.js';
import type { ModelProvider, ModelRequest, Policy } from '../../src/types.js';
import { addedFile, diffFile } from './fixtures/make-diff.js';

const NPM_TOKEN = 'npm_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';

describe('secretsFileKind', () => {
  it.each([
    ['.env', ['APP_KEY=base64:abc']],
    ['config/.env.production', ['SIGNING_SALT=x']],
    ['deploy/prod.env', ['ENCRYPTION_KEY=x']],
    ['.netrc', ['machine api.example.com login me password p']],
    ['_netrc', ['machine x']],
    ['.pypirc', ['[pypi]']],
    ['home/.aws/credentials', ['[default]']],
    ['.git-credentials', ['https://u:p@github.com']],
    ['certs/server.pem', ['-----BEGIN CERTIFICATE-----']],
    ['keys/signing.key', ['anything']],
    ['ssh/id_ed25519', ['anything']],
    ['.npmrc', [`//registry.npmjs.org/:_authToken=${NPM_TOKEN}`]],
    ['.docker/config.json', ['{ "auths": { "ghcr.io": { "auth": "dTpw" } } }']],
    ['gcp/deployer.json', ['{', '  "type": "service_account",', '  "project_id": "p"']],
  ])('%s is a secrets file', (path, lines) => {
    expect(secretsFileKind(addedFile(path, lines))).not.toBeNull();
  });

  it.each([
    ['.env.example', ['APP_KEY=']],
    ['.env.sample', ['APP_KEY=']],
    ['config/.env.template', ['APP_KEY=']],
    ['.npmrc', ['registry=https://registry.npmjs.org/', 'save-exact=true']],
    ['package.json', ['{ "name": "x" }']],
    ['tsconfig.json', ['{ "compilerOptions": {} }']],
    ['src/config.json', ['{ "port": 80 }']],
    ['src/env.ts', ['export const env = process.env;']],
    ['docs/keys.md', ['how to make a key']],
  ])('%s is not', (path, lines) => {
    expect(secretsFileKind(addedFile(path, lines))).toBeNull();
  });

  it('judges an .npmrc by every line the diff carries, and a rename by either name', () => {
    const edited = diffFile('.npmrc', [
      { kind: 'context', text: `//registry.npmjs.org/:_authToken=${NPM_TOKEN}` },
      { kind: 'add', text: 'save-exact=true' },
    ]);
    expect(secretsFileKind(edited)).toBe('npm credentials');
    expect(secretsFileKind({ ...addedFile('notes.txt', ['x']), oldPath: '.env', status: 'renamed' })).toBe('environment file');
  });
});

describe('the pipeline never sends a secrets file', () => {
  const policy = (over: Partial<Policy> = {}): Policy => ({ ...DEFAULT_POLICY, provider: 'ollama', ...over });
  const requests: ModelRequest[] = [];
  const local: ModelProvider = {
    name: 'ollama',
    model: 'm',
    endpoint: 'http://127.0.0.1:11434',
    local: true,
    async review(request) {
      requests.push(request);
      return '{"findings": []}';
    },
    async probe() {
      return { latencyMs: 1 };
    },
  };
  const env = () => addedFile('.env', ['ENCRYPTION_KEY=Zm9vYmFyYmF6cXV4cXV1eA', 'SIGNING_SALT=kV9sP2xQ7wL1', 'APP_KEY=base64:c2VjcmV0c2VjcmV0']);
  const code = () => addedFile('src/a.ts', ['export const a = 1;']);

  it('not even to a local model; listed with the reason; the built-in rules still flag it', async () => {
    requests.length = 0;
    const result = await reviewDiff([env(), code()], {
      policy: policy(),
      chooseProvider: async () => ({ provider: local, reason: 'test' }),
      cache: null,
      userSignal: new AbortController().signal,
      baseline: null,
      suppress: true,
    });
    const sent = JSON.stringify(requests);
    for (const value of ['Zm9vYmFyYmF6cXV4cXV1eA', 'kV9sP2xQ7wL1', 'c2VjcmV0c2VjcmV0', 'ENCRYPTION_KEY', '.env']) expect(sent).not.toContain(value);
    expect(sent).toContain('src/a.ts');
    expect(result.files.find((f) => f.path === '.env')).toMatchObject({ reviewed: false, skipped: 'secrets file (environment file): never sent to a model' });
    expect(result.findings.some((f) => f.file === '.env' && f.rule === 'env-file')).toBe(true);
  });

  it('prepareForModel (what explain sends) leaves it out the same way, whatever sendToCloud says', () => {
    for (const sendToCloud of ['allow', 'redacted-only', 'never'] as const) {
      const input = prepareForModel([env(), code()], policy({ sendToCloud }), local);
      expect(input.units.flatMap((u) => u.files.map((f) => f.path))).toEqual(['src/a.ts']);
      expect(input.notSent).toEqual([{ path: '.env', reason: 'secrets file (environment file): never sent to a model' }]);
    }
  });
});
