// The user-level config: where it is, what it may say, how it combines with the repository's policy, and that a
// bad file is one line naming the file and key (never quoting what is in it).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import { loadUserConfig, userConfigPath, validateUserConfig, withUserConfig } from '../../src/policy/user-config.js';
import type { Policy } from '../../src/types.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'codeai-user-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function write(xdg: string, text: string): NodeJS.ProcessEnv {
  mkdirSync(path.join(xdg, 'codeai-hook'), { recursive: true });
  writeFileSync(path.join(xdg, 'codeai-hook', 'config.yaml'), text);
  return { HOME: home, XDG_CONFIG_HOME: xdg };
}

async function errorOf(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('user config', () => {
  it('lives in $XDG_CONFIG_HOME/codeai-hook, else ~/.config/codeai-hook (a relative XDG_CONFIG_HOME is ignored)', () => {
    expect(userConfigPath({ HOME: '/h', XDG_CONFIG_HOME: '/x' })).toBe('/x/codeai-hook/config.yaml');
    expect(userConfigPath({ HOME: '/h' })).toBe('/h/.config/codeai-hook/config.yaml');
    expect(userConfigPath({ HOME: '/h', XDG_CONFIG_HOME: 'rel' })).toBe('/h/.config/codeai-hook/config.yaml');
  });

  it('is optional, and reads provider, model, baseURL and trustedHosts', async () => {
    expect(await loadUserConfig({ HOME: home, XDG_CONFIG_HOME: path.join(home, 'none') })).toBeNull();
    const env = write(path.join(home, 'a'), 'provider: openai\nmodel: gpt-4.1\nbaseURL: https://proxy.corp/v1\ntrustedHosts: [llm.lan, "*.corp.example"]\n');
    expect(await loadUserConfig(env)).toMatchObject({ provider: 'openai', model: 'gpt-4.1', baseURL: 'https://proxy.corp/v1', trustedHosts: ['llm.lan', '*.corp.example'] });
    expect(await loadUserConfig(write(path.join(home, 'b'), '# nothing yet\n'))).toMatchObject({ trustedHosts: [] });
  });

  it('refuses gate keys, bad values, FIFOs and unparsable YAML in one line that quotes no value', async () => {
    const cases: Array<[string, RegExp]> = [
      ['block: { severity: none }\n', /unknown key "block".*belongs in the repository's policy/],
      ['provider: chatgpt\n', /provider is not one of/],
      ['baseURL: ftp://x\n', /baseURL must be an http\(s\) URL/],
      ['trustedHosts: sk-proj-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n', /trustedHosts must be a list/],
      ['trustedHosts: ["sk-proj-AAAA/AAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]\n', /trustedHosts\[0\] is not a host/],
      ['provider: [\n', /cannot parse/],
    ];
    for (const [i, [text, message]] of cases.entries()) {
      const error = await errorOf(loadUserConfig(write(path.join(home, `bad${i}`), text)));
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/^.*codeai-hook\/config\.yaml: /);
      expect(error.message).not.toContain('AAAAAAAA');
      expect(error.message).not.toContain('\n');
    }
    const fifoDir = path.join(home, 'fifo', 'codeai-hook');
    mkdirSync(fifoDir, { recursive: true });
    execFileSync('mkfifo', [path.join(fifoDir, 'config.yaml')]);
    expect((await errorOf(loadUserConfig({ HOME: home, XDG_CONFIG_HOME: path.join(home, 'fifo') }))).message).toMatch(/not a regular file/);
    // Larger than a settings file can be: refused before it is read, naming the limit.
    const big = write(path.join(home, 'big'), `# ${'x'.repeat(70 * 1024)}\nprovider: ollama\n`);
    expect((await errorOf(loadUserConfig(big))).message).toMatch(/config\.yaml: larger than 65536 bytes; it holds a few settings only$/);
    // A folder in its place cannot be opened as a file: one line too, never "no config".
    mkdirSync(path.join(home, 'dir', 'codeai-hook', 'config.yaml'), { recursive: true });
    expect((await errorOf(loadUserConfig({ HOME: home, XDG_CONFIG_HOME: path.join(home, 'dir') }))).message).toMatch(/not a regular file|cannot be read/);
  });

  it('is no config when a file on its path is not a folder', async () => {
    writeFileSync(path.join(home, 'plain'), 'a file where a folder would be\n');
    expect(await loadUserConfig({ HOME: home, XDG_CONFIG_HOME: path.join(home, 'plain') })).toBeNull();
  });

  it("replaces the repository's provider, model and baseURL; the gate stays the repository's", () => {
    const repo: Policy = { ...DEFAULT_POLICY, provider: 'ollama', model: 'qwen', baseURL: 'http://gpu:11434', block: { severity: 'low', max: {}, minConfidence: 'medium' }, exclude: ['dist/**'] };
    const user = validateUserConfig({ provider: 'anthropic' }, '/u');
    const merged = withUserConfig(repo, user);
    expect(merged).toMatchObject({ provider: 'anthropic', model: undefined, baseURL: undefined, block: { severity: 'low' }, exclude: ['dist/**'] });
    expect(withUserConfig(repo, validateUserConfig({ model: 'llama3' }, '/u'))).toMatchObject({ provider: 'ollama', model: 'llama3', baseURL: 'http://gpu:11434' });
    expect(withUserConfig(repo, validateUserConfig({ trustedHosts: ['x'] }, '/u'))).toBe(repo);
    expect(withUserConfig(repo, null)).toBe(repo);
  });
});
