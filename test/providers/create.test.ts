// From policy + environment to a provider: defaults, keys from the environment only, the sendToCloud guard, and URL
// handling (OLLAMA_HOST forms, loopback detection).
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import { ConfigError, ProviderError } from '../../src/errors.js';
import { createProvider } from '../../src/providers/create.js';
import { isLoopbackURL, ollamaURLFromHost } from '../../src/providers/endpoint.js';
import type { Policy } from '../../src/types.js';
import { startFakeOllama } from '../fakes/index.js';

const policy = (overrides: Partial<Policy>): Policy => ({ ...DEFAULT_POLICY, ...overrides });

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('createProvider', () => {
  it('fills in each provider default model and URL', () => {
    const env = { OPENAI_API_KEY: 'sk-o', DEEPSEEK_API_KEY: 'sk-d', ANTHROPIC_API_KEY: 'sk-a' };
    const made = (['ollama', 'openai', 'deepseek', 'anthropic'] as const).map((provider) => {
      const p = createProvider(policy({ provider }), env);
      return [p?.name, p?.model, p?.endpoint, p?.local];
    });
    expect(made).toEqual([
      ['ollama', 'qwen2.5-coder:7b', 'http://127.0.0.1:11434', true],
      ['openai', 'gpt-4o-mini', 'https://api.openai.com/v1', false],
      ['deepseek', 'deepseek-chat', 'https://api.deepseek.com', false],
      ['anthropic', 'claude-sonnet-4-6', 'https://api.anthropic.com', false],
    ]);
  });

  it('honours OLLAMA_HOST, OPENAI_BASE_URL and ANTHROPIC_BASE_URL; baseURL in the policy wins', () => {
    expect(createProvider(policy({ provider: 'ollama' }), { OLLAMA_HOST: '0.0.0.0:8080' })?.endpoint).toBe('http://127.0.0.1:8080');
    expect(createProvider(policy({ provider: 'openai' }), { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'https://proxy.example/v1/' })?.endpoint).toBe('https://proxy.example/v1');
    expect(createProvider(policy({ provider: 'anthropic' }), { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://localhost:4000' })).toMatchObject({ endpoint: 'http://localhost:4000', local: true });
    expect(createProvider(policy({ provider: 'ollama', baseURL: 'gpu-box:11434' }), { OLLAMA_HOST: 'x' })).toMatchObject({ endpoint: 'http://gpu-box:11434', local: false });
  });

  it('a missing key is a ConfigError naming the variable, never read from .codeairc', () => {
    for (const [provider, variable] of [['openai', 'OPENAI_API_KEY'], ['deepseek', 'DEEPSEEK_API_KEY'], ['anthropic', 'ANTHROPIC_API_KEY']] as const) {
      const error = configError(() => createProvider(policy({ provider }), { [variable]: '  ' }));
      expect(error.message).toBe(`provider '${provider}' needs ${variable} in the environment (keys are never read from .codeairc)`);
    }
  });

  it('openai-compatible needs baseURL and model, and no key', () => {
    expect(configError(() => createProvider(policy({ provider: 'openai-compatible', model: 'm' }), {})).key).toBe('baseURL');
    expect(configError(() => createProvider(policy({ provider: 'openai-compatible', baseURL: 'http://127.0.0.1:8080/v1' }), {})).key).toBe('model');
    const p = createProvider(policy({ provider: 'openai-compatible', model: 'local', baseURL: 'http://127.0.0.1:8080/v1' }), {});
    expect(p).toMatchObject({ name: 'openai-compatible', model: 'local', endpoint: 'http://127.0.0.1:8080/v1', local: true });
  });

  it("sendToCloud 'never' refuses a provider off this machine and accepts one on it", () => {
    const error = configError(() => createProvider(policy({ provider: 'openai', sendToCloud: 'never' }), { OPENAI_API_KEY: 'k' }));
    expect(error.key).toBe('sendToCloud');
    expect(error.message).toContain("provider 'openai' would send code to https://api.openai.com/v1, but sendToCloud is 'never'");
    expect(createProvider(policy({ provider: 'ollama', sendToCloud: 'never' }), {})?.local).toBe(true);
    expect(configError(() => createProvider(policy({ provider: 'ollama', sendToCloud: 'never' }), { OLLAMA_HOST: '10.0.0.5' })).key).toBe('sendToCloud');
  });

  it("'builtin' is no provider; 'auto' belongs to chooseProvider; a baseURL must be http(s)", () => {
    expect(createProvider(policy({ provider: 'builtin' }), {})).toBeNull();
    expect(configError(() => createProvider(policy({ provider: 'auto' }), {})).key).toBe('provider');
    expect(configError(() => createProvider(policy({ provider: 'openai', baseURL: 'ftp://x' }), { OPENAI_API_KEY: 'k' })).key).toBe('baseURL');
  });

  it('the request timeout is policy.timeoutMs', async () => {
    const fake = await startFakeOllama({ models: ['m'] });
    try {
      fake.enqueue({ findings: [], delayMs: 3000 });
      const p = createProvider(policy({ provider: 'ollama', model: 'm', baseURL: fake.url, timeoutMs: 150 }), {});
      const error = await p?.review({ system: 's', messages: [{ role: 'user', content: 'd' }], schema: {}, maxTokens: 10 }, new AbortController().signal).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).message).toContain('did not answer within 150 ms');
    } finally {
      await fake.close();
    }
  });
});

describe('URLs', () => {
  it('reads OLLAMA_HOST as the ollama CLI does', () => {
    expect(ollamaURLFromHost('0.0.0.0')).toBe('http://127.0.0.1:11434');
    expect(ollamaURLFromHost('127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(ollamaURLFromHost(':9999')).toBe('http://127.0.0.1:9999');
    expect(ollamaURLFromHost('gpu-box')).toBe('http://gpu-box:11434');
    expect(ollamaURLFromHost('[::1]:11434')).toBe('http://[::1]:11434');
    expect(ollamaURLFromHost('http://example.com')).toBe('http://example.com');
    expect(ollamaURLFromHost('https://ollama.example.com/api-root/')).toBe('https://ollama.example.com/api-root');
  });

  it('counts loopback names and addresses as local, nothing else', () => {
    for (const url of ['http://localhost:1', 'http://127.0.0.1', 'http://127.8.9.10:5', 'http://[::1]:11434', 'http://api.localhost']) {
      expect(isLoopbackURL(url), url).toBe(true);
    }
    for (const url of ['http://10.0.0.1', 'https://api.openai.com/v1', 'http://0.0.0.0:11434', 'http://localhost.example.com', 'not a url']) {
      expect(isLoopbackURL(url), url).toBe(false);
    }
  });
});
