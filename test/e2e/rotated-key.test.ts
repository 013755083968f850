// A private key rotated in place with contextLines 0: the diff holds base64 lines only, no BEGIN. Through the hook,
// the commit is blocked as a private key, and the model receives none of the body, old or new.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeServer } from '../fakes/index.js';
import { TestRepo } from './harness.js';

const line = () => randomBytes(48).toString('base64');
const pem = (body: string[]) => ['-----BEGIN ' + 'PRIVATE KEY-----', ...body, '-----END ' + 'PRIVATE KEY-----', ''].join('\n');

let ollama: FakeServer;
beforeAll(async () => {
  ollama = await startFakeOllama({ models: ['m'] });
});
afterAll(() => ollama.close());

describe('a private key rotated in place', () => {
  it('is blocked as a private key and none of its body is sent, at contextLines 0', async () => {
    const repo = TestRepo.installed({ config: `provider: ollama\nmodel: m\nbaseURL: ${ollama.url}\ncontextLines: 0\n` });
    try {
      const old = Array.from({ length: 26 }, line);
      const rotated = Array.from({ length: 26 }, line);
      repo.write('config/signing.txt', `# signing key\n${pem(old)}`);
      repo.write('src/app.js', 'export const a = 1;\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '--no-verify', '-m', 'start');
      repo.write('config/signing.txt', `# signing key\n${pem(rotated)}`);
      repo.write('src/app.js', 'export const a = 2;\n');
      repo.git('add', '-A');
      const before = ollama.requests.length;
      const r = await repo.commit('chore: rotate');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/config\/signing\.txt[\s\S]*Private key[\s\S]*\[private-key\][\s\S]*BLOCKS/);
      const sent = ollama.requests.slice(before).map((q) => q.raw).join('\n');
      expect(sent).toContain('src/app.js');
      for (const body of [...old, ...rotated]) expect(sent).not.toContain(body.slice(4, 16));
    } finally {
      repo.cleanup();
    }
  });
});

describe('a private key in base64 (a Kubernetes secret, a kubeconfig)', () => {
  it('is blocked as a private key and no piece of it is sent', async () => {
    const repo = TestRepo.installed({ config: `provider: ollama\nmodel: m\nbaseURL: ${ollama.url}\n` });
    try {
      const encoded = Buffer.from(pem(Array.from({ length: 26 }, line))).toString('base64');
      const cert = Buffer.from(['-----BEGIN ' + 'CERTIFICATE-----', line(), line(), '-----END ' + 'CERTIFICATE-----', ''].join('\n')).toString('base64');
      // Among the manifests of a deployment, as such a secret usually is (a file of long lines alone is not sent).
      const deployment = Array.from({ length: 40 }, (_, i) => `      - name: env-${i}\n        value: "${i}"`).join('\n');
      repo.write('k8s/tls.yaml', `apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${cert}\n  tls.key: ${encoded}\n---\n${deployment}\n`);
      repo.write('kubeconfig.yaml', `users:\n- name: ci\n  user:\n    client-key-data: ${encoded}\n${deployment}\n`);
      repo.git('add', '-A');
      const before = ollama.requests.length;
      const r = await repo.commit('chore: tls');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/k8s\/tls\.yaml[\s\S]*Private key \(base64-encoded\) \[private-key-base64\]/);
      const sent = ollama.requests.slice(before).map((q) => q.raw).join('\n');
      expect(sent, r.stderr).toContain('kubernetes.io/tls');
      expect(sent).toContain(cert.slice(0, 40)); // a certificate is public: it is still sent
      for (let i = 8; i + 12 <= encoded.length; i += 200) expect(sent).not.toContain(encoded.slice(i, i + 12));
    } finally {
      repo.cleanup();
    }
  });
});
