// Keys stored base64-encoded, through the installed hook and real commits: a Kubernetes Secret's AWS key id and
// GitHub token block the commit on their lines, under their own rules; and neither the encoded value nor the key
// it decodes to reaches the model, in the manifest or in files no other rule reads (a CI variable, code).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeServer } from '../fakes/index.js';
import { FAKE_AWS_KEY_ID, FAKE_GITHUB_TOKEN } from '../rules/fixtures/fakes.js';
import { TestRepo } from './harness.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const AKIA_B64 = b64(FAKE_AWS_KEY_ID);
const GHP_B64 = b64(FAKE_GITHUB_TOKEN);
const GHP_B64URL = Buffer.from(FAKE_GITHUB_TOKEN).toString('base64url');

const SECRET = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: deploy', 'type: Opaque', 'data:', `  AWS_ACCESS_KEY_ID: ${AKIA_B64}`, `  GITHUB_TOKEN: ${GHP_B64}`, '  REGION: ZXUtd2VzdC0x', ''].join('\n');
// Among the other manifests of a deployment, as such a secret usually is (a file of long lines alone is not sent).
const DEPLOYMENT = Array.from({ length: 30 }, (_, i) => `      - name: env-${i}\n        value: "${i}"`).join('\n');

let ollama: FakeServer;
beforeAll(async () => {
  ollama = await startFakeOllama({ models: ['m'] });
});
afterAll(() => ollama.close());

describe('a Kubernetes Secret with a base64 AWS key id and GitHub token', () => {
  it('blocks the commit, naming each key on its line under its own rule', async () => {
    const repo = TestRepo.installed({ config: 'provider: builtin\n' });
    try {
      repo.write('k8s/secret.yaml', SECRET);
      repo.git('add', '-A');
      const before = repo.snapshot();
      const r = await repo.commit('chore: deploy secret');
      expect(r.code, r.stderr).toBe(1);
      expect(repo.headCount()).toBe(1);
      expect(r.stderr).toMatch(/CRITICAL line 7 · security · AWS access key id \[aws-access-key-id\] BLOCKS\n.*\n\s+AWS access key id \(base64-encoded\)/);
      expect(r.stderr).toMatch(/CRITICAL line 8 · security · GitHub token \[github-token\] BLOCKS\n.*\n\s+GitHub token \(base64-encoded\)/);
      expect(r.stderr).toContain('k8s/secret.yaml:7 AWS access key id, k8s/secret.yaml:8 GitHub token');
      expect(r.stderr).not.toContain('[kubernetes-secret-value]');
      for (const shown of [AKIA_B64, GHP_B64, FAKE_AWS_KEY_ID, FAKE_GITHUB_TOKEN]) expect(r.stderr).not.toContain(shown.slice(4, 16));
      expect(repo.snapshot()).toBe(before);
    } finally {
      repo.cleanup();
    }
  });
});

describe('what the model receives', () => {
  it('holds neither the encoded keys nor what they decode to, in the manifest, a CI variable or code', async () => {
    const repo = TestRepo.installed({ config: `provider: ollama\nmodel: m\nbaseURL: ${ollama.url}\n` });
    try {
      repo.write('k8s/secret.yaml', `${SECRET}---\n${DEPLOYMENT}\n`);
      repo.write('.gitlab-ci.yml', `variables:\n  BOOTSTRAP: "${GHP_B64URL}"\n  STAGE: deploy\ndeploy:\n  script:\n    - ./deploy.sh\n`);
      repo.write('src/aws.js', `export const region = 'eu-west-1';\nexport const id = atob('${AKIA_B64}');\n`);
      repo.git('add', '-A');
      const before = ollama.requests.length;
      const r = await repo.commit('chore: deploy');
      expect(r.code).toBe(1);
      const sent = ollama.requests.slice(before).map((q) => q.raw).join('\n');
      // the files were sent, their keys as marks
      expect(sent, r.stderr).toContain('kind: Secret');
      expect(sent).toContain('./deploy.sh');
      expect(sent).toContain("export const region = 'eu-west-1'");
      expect(sent).toContain('[REDACTED:aws-access-key-id]');
      expect(sent).toContain('[REDACTED:github-token]');
      for (const secret of [AKIA_B64, GHP_B64, GHP_B64URL, FAKE_AWS_KEY_ID, FAKE_GITHUB_TOKEN]) {
        for (let i = 4; i + 12 <= secret.length; i += 8) expect(sent).not.toContain(secret.slice(i, i + 12));
      }
    } finally {
      repo.cleanup();
    }
  });
});
