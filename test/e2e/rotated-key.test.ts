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
