// Secrets files are never sent to a model, whichever of their lines the diff shows: through the hook and a fake
// Ollama that records every request.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeServer } from '../fakes/index.js';
import { TestRepo } from './harness.js';

let ollama: FakeServer;
beforeAll(async () => {
  ollama = await startFakeOllama({ models: ['m'] });
});
afterAll(() => ollama.close());

describe('a secrets file changed far from what makes it one', () => {
  it("docker's config.json: a change below the \"auths\" line sends none of the file", async () => {
    const repo = TestRepo.installed({ config: `provider: ollama\nmodel: m\nbaseURL: ${ollama.url}\n` });
    try {
      // base64 of deploy:S4perSecretPassword, the way `docker login` writes it
      const auth = Buffer.from('deploy:S4perSecretPassword').toString('base64');
      // Many registries: the "auths" line is far above the change, out of any context the review would send.
      const registries = Array.from({ length: 150 }, (_, i) => `    "registry-${i}.example.com": {},`).join('\n');
      const config = (store: string) =>
        `{\n  "auths": {\n${registries}\n    "registry.corp.example": {\n      "auth": "${auth}"\n    }\n  },\n  "credsStore": "${store}"\n}\n`;
      repo.write('deploy/.docker/config.json', config('osxkeychain'));
      repo.git('add', '-A');
      repo.git('commit', '-q', '--no-verify', '-m', 'start');
      repo.write('deploy/.docker/config.json', config('desktop'));
      repo.write('src/a.js', 'export const a = 1;\n');
      repo.git('add', '-A');
      const before = ollama.requests.length;
      const r = await repo.cliAsync(['run', '--verbose']);
      const sent = ollama.requests.slice(before).map((q) => q.raw).join('\n');
      expect(sent, r.stderr).toContain('src/a.js');
      expect(sent).not.toContain(auth.slice(4, 16));
      expect(sent).not.toContain('credsStore');
      expect(r.stderr).toMatch(/skipped deploy\/\.docker\/config\.json — secrets file \(docker credentials\): never\s+sent to a model/);
    } finally {
      repo.cleanup();
    }
  });
});

describe("the user's own git config", () => {
  it('a textconv driver (gpg, git-crypt) that a change turns on with .gitattributes never runs: the model sees what git stores', async () => {
    const repo = TestRepo.installed({ config: `provider: ollama\nmodel: m\nbaseURL: ${ollama.url}\n` });
    try {
      // What `git diff` would show of an encrypted file: the decrypted text, by the user's own driver.
      writeFileSync(path.join(repo.home, '.gitconfig'), '[diff "decrypt"]\n\ttextconv = echo DECRYPTED-BY-TEXTCONV\n');
      repo.write('.gitattributes', '*.enc diff=decrypt\nsrc/*.js diff=decrypt\n');
      repo.write('secrets.enc', 'ciphertext-one\n');
      repo.write('src/a.js', 'export function a() {\n  return 1;\n}\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '--no-verify', '-m', 'start');
      repo.write('secrets.enc', 'ciphertext-two\n');
      repo.write('src/a.js', 'export function a() {\n  return 2;\n}\n');
      repo.git('add', '-A');
      const before = ollama.requests.length;
      const r = await repo.cliAsync(['run']);
      const sent = ollama.requests.slice(before).map((q) => q.raw).join('\n');
      expect(sent, r.stderr).toContain('ciphertext-two');
      expect(sent).toContain('return 2');
      expect(sent).not.toContain('DECRYPTED-BY-TEXTCONV');
    } finally {
      repo.cleanup();
    }
  });
});
