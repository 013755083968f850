// chooseProvider: an explicit provider as written, and 'auto' in its order — a fake Ollama that answers, else the
// first cloud key, else no model — with the one-line reason for each.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import { chooseProvider, pickOllamaModel } from '../../src/providers/choose.js';
import type { Policy } from '../../src/types.js';
import { closedLoopbackURL, startFakeOllama, type FakeServer } from '../fakes/index.js';

const auto = (overrides: Partial<Policy> = {}): Policy => ({ ...DEFAULT_POLICY, provider: 'auto', ...overrides });

let down: string;
beforeAll(async () => {
  down = await closedLoopbackURL();
});

describe('chooseProvider with auto', () => {
  let fake: FakeServer;
  beforeAll(async () => {
    fake = await startFakeOllama({ models: ['llama3:latest', 'deepseek-coder:6.7b'] });
  });
  afterAll(() => fake.close());

  it('picks a reachable Ollama and a model made for code', async () => {
    const { provider, reason } = await chooseProvider(auto(), { OLLAMA_HOST: fake.url, OPENAI_API_KEY: 'sk-o' });
    expect(provider).toMatchObject({ name: 'ollama', model: 'deepseek-coder:6.7b', endpoint: fake.url, local: true });
    expect(reason).toBe(`auto: ollama answered at ${fake.url} (model deepseek-coder:6.7b)`);
  });

  it("takes the policy's model when installed, and says so when it is not", async () => {
    expect((await chooseProvider(auto({ model: 'llama3' }), { OLLAMA_HOST: fake.url })).provider?.model).toBe('llama3:latest');
    const missing = await chooseProvider(auto({ model: 'qwen3:32b' }), { OLLAMA_HOST: fake.url });
    expect(missing.provider?.model).toBe('deepseek-coder:6.7b');
    expect(missing.reason).toContain("'qwen3:32b' is not installed");
  });

  it('prefers the default model, then /code|coder/, then the first installed', () => {
    expect(pickOllamaModel(['llama3', 'qwen2.5-coder:7b', 'codellama'])?.model).toBe('qwen2.5-coder:7b');
    expect(pickOllamaModel(['llama3', 'codellama:13b'])?.model).toBe('codellama:13b');
    expect(pickOllamaModel(['llama3', 'mistral'])?.model).toBe('llama3');
    expect(pickOllamaModel([])).toBeUndefined();
  });

  it('falls through to the cloud when Ollama has no models, and says why', async () => {
    const empty = await startFakeOllama({ models: [] });
    try {
      const { provider, reason } = await chooseProvider(auto(), { OLLAMA_HOST: empty.url, ANTHROPIC_API_KEY: 'sk-a' });
      expect(provider?.name).toBe('anthropic');
      expect(reason).toContain(`ollama at ${empty.url} has no models (run 'ollama pull qwen2.5-coder:7b')`);
    } finally {
      await empty.close();
    }
  });
});

describe('chooseProvider with auto and Ollama down', () => {
  it('takes the first cloud key in the order OpenAI, Anthropic, DeepSeek', async () => {
    const openai = await chooseProvider(auto(), { OLLAMA_HOST: down, OPENAI_API_KEY: 'sk-o', DEEPSEEK_API_KEY: 'sk-d' });
    expect(openai.provider).toMatchObject({ name: 'openai', model: 'gpt-4o-mini' });
    expect(openai.reason).toMatch(/^auto: OPENAI_API_KEY is set \(openai, model gpt-4o-mini; ollama not answering at http:\/\/127\.0\.0\.1:\d+\)$/);
    expect((await chooseProvider(auto(), { OLLAMA_HOST: down, DEEPSEEK_API_KEY: 'sk-d', ANTHROPIC_API_KEY: 'sk-a' })).provider?.name).toBe('anthropic');
    expect((await chooseProvider(auto(), { OLLAMA_HOST: down, DEEPSEEK_API_KEY: 'sk-d' })).provider?.name).toBe('deepseek');
  });

  it('with no key either, no provider and the reason lists what was tried', async () => {
    const { provider, reason } = await chooseProvider(auto(), { OLLAMA_HOST: down });
    expect(provider).toBeNull();
    expect(reason).toBe(`auto: no model reachable (ollama not answering at ${down}, no OPENAI_API_KEY/ANTHROPIC_API_KEY/DEEPSEEK_API_KEY): built-in rules only`);
  });

  it("sendToCloud 'never' skips the cloud keys", async () => {
    const { provider, reason } = await chooseProvider(auto({ sendToCloud: 'never' }), { OLLAMA_HOST: down, OPENAI_API_KEY: 'sk-o' });
    expect(provider).toBeNull();
    expect(reason).toContain("cloud providers skipped: sendToCloud is 'never'");
  });

  it('gives up on a server that accepts but never answers after CODEAI_PROBE_MS', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const started = Date.now();
      const { provider } = await chooseProvider(auto(), { OLLAMA_HOST: `127.0.0.1:${port}`, CODEAI_PROBE_MS: '150' });
      expect(provider).toBeNull();
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      silent.close();
    }
  });
});

describe('chooseProvider with an explicit provider', () => {
  it('creates it and names the config file in the reason', async () => {
    const chosen = await chooseProvider({ ...DEFAULT_POLICY, provider: 'openai' }, { OPENAI_API_KEY: 'sk-o' }, undefined, '/repo/.codeairc.yaml');
    expect(chosen.provider?.name).toBe('openai');
    expect(chosen.reason).toBe('provider: openai in .codeairc.yaml');
    const builtin = await chooseProvider({ ...DEFAULT_POLICY, provider: 'builtin' }, {}, undefined, null);
    expect(builtin).toEqual({ provider: null, reason: 'provider: builtin (set in policy): built-in rules only' });
  });

  it('does not probe anything, and passes the ConfigError of a missing key through', async () => {
    await expect(chooseProvider({ ...DEFAULT_POLICY, provider: 'anthropic' }, {})).rejects.toThrow(/needs ANTHROPIC_API_KEY/);
  });
});
