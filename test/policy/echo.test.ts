// A policy error quotes the value at fault so the user can find it, but never a secret: `ln -s .env .codeairc`
// printed the first 60 characters of OPENAI_API_KEY=sk-proj-….
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { loadPolicy } from '../../src/policy/load.js';
import { validatePolicy } from '../../src/policy/validate.js';
import { checksummedToken } from '../rules/fixtures/fakes.js';

const KEY = 'sk-proj-' + 'Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8L9';
const dir = mkdtempSync(path.join(os.tmpdir(), 'codeai-echo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('policy errors never echo a secret', () => {
  it('a .env linked as .codeairc: the error says what is wrong without quoting the file', async () => {
    writeFileSync(path.join(dir, '.env'), `OPENAI_API_KEY=${KEY}\n`);
    symlinkSync('.env', path.join(dir, '.codeairc'));
    const error = await loadPolicy(dir).then(() => null, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toMatch(/the policy must be a mapping of keys to values; got a string$/);
    expect(error!.message).not.toContain(KEY.slice(4, 10));
  });

  it('a secret inside a quoted value is masked before the value is shortened', () => {
    for (const raw of [{ model: 42, instructions: 7 }, { provider: `x ${KEY}` }, { include: [`src/${KEY}`, 5] }, { timeoutMs: KEY }]) {
      const message = messageOf(() => validatePolicy(raw, '/repo/.codeairc.yaml'));
      expect(message).not.toContain(KEY.slice(8, 14));
      expect(message.split('\n')).toHaveLength(1);
    }
    const token = checksummedToken('ghp_', 'Zq7Lm2Xc9Vb4Nt8Rk3Pw6Hy1Jd5Gf0'); // the rule wants a valid checksum
    const message = messageOf(() => validatePolicy({ timeoutMs: `${'x'.repeat(40)} ${token}` }, '/repo/.codeairc.yaml'));
    expect(message).toContain('ghp_…');
    expect(message).not.toContain(token.slice(4, 10));
  });
});
