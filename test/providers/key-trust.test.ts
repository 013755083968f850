// Where a key from the environment may go: the provider's official endpoint, this machine, or a host the user named
// outside the repository. A repository's baseURL naming anything else is refused before any socket or DNS lookup.
import dns from 'node:dns';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { reviewDiff } from '../../src/pipeline.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import { chooseProvider } from '../../src/providers/choose.js';
import { createProvider } from '../../src/providers/create.js';
import { matchesHost, parseHostPattern } from '../../src/providers/host-pattern.js';
import { keyRouteLine, keyRoutes } from '../../src/providers/key-routes.js';
import { keyTrust, refusalReason, trustReason, UntrustedHostError } from '../../src/providers/key-trust.js';
import type { DiffFile, Policy } from '../../src/types.js';
import { startFakeOpenAI } from '../fakes/index.js';

const policy = (overrides: Partial<Policy>): Policy => ({ ...DEFAULT_POLICY, ...overrides });
const KEY = 'sk-proj-' + 'k'.repeat(40);

function refusal(run: () => unknown): UntrustedHostError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UntrustedHostError);
    return error as UntrustedHostError;
  }
  throw new Error('expected a refusal');
}

describe('host patterns', () => {
  it('reads hosts the way users write them and refuses what is not a host', () => {
    expect(parseHostPattern('LLM.Corp.Example')).toEqual({ host: 'llm.corp.example', wildcard: false });
    expect(parseHostPattern('gpu-box:11434')).toEqual({ host: 'gpu-box', wildcard: false, port: '11434' });
    expect(parseHostPattern('*.corp.example')).toEqual({ host: 'corp.example', wildcard: true });
    expect(parseHostPattern('https://proxy.example/v1')).toEqual({ host: 'proxy.example', wildcard: false, port: '443', protocol: 'https:' });
    expect(parseHostPattern('[::1]:8080')).toEqual({ host: '::1', wildcard: false, port: '8080' });
    for (const bad of ['', ' ', 'a b', 'ftp://x', 'host/path', 'user@host', '*', '*.', 'x:99999999', 'http://']) {
      expect(parseHostPattern(bad), bad).toBeNull();
    }
  });

  it('matches on host, and on port and scheme when the pattern names them; never on a look-alike', () => {
    const at = (p: string, url: string) => matchesHost(parseHostPattern(p)!, url);
    expect(at('llm.corp', 'https://llm.corp/v1')).toBe(true);
    expect(at('llm.corp', 'http://llm.corp:8080/v1')).toBe(true);
    expect(at('llm.corp:8080', 'http://llm.corp:8081/v1')).toBe(false);
    expect(at('https://llm.corp', 'http://llm.corp/v1')).toBe(false);
    expect(at('https://llm.corp', 'https://llm.corp:443/v1')).toBe(true);
    expect(at('*.corp.example', 'https://a.b.corp.example')).toBe(true);
    expect(at('*.corp.example', 'https://corp.example')).toBe(false);
    expect(at('llm.corp', 'https://llm.corp.evil.example/v1')).toBe(false);
    expect(at('llm.corp', 'https://evilllm.corp/v1')).toBe(false);
    expect(at('llm.corp', 'https://llm.corp@evil.example/v1')).toBe(false);
  });
});

describe('key trust', () => {
  it('trusts the official endpoint, this machine, and every place the user names a host', () => {
    const env = {
      OPENAI_BASE_URL: 'https://openai-proxy.example/v1',
      ANTHROPIC_BASE_URL: 'https://claude-proxy.example',
      OLLAMA_HOST: 'gpu-box:11434',
      CODEAI_TRUSTED_HOSTS: 'llm.lan, *.corp.example',
    };
    const user = { file: '/u/config.yaml', baseURL: 'https://mine.example/v1', trustedHosts: ['other.example:8443'] };
    const trust = keyTrust(env, user);
    expect(trustReason(trust, 'openai', 'https://api.openai.com/v1')).toBe("openai's official endpoint");
    expect(trustReason(trust, 'anthropic', 'https://api.anthropic.com')).toBe("anthropic's official endpoint");
    expect(trustReason(trust, 'deepseek', 'https://api.deepseek.com')).toBe("deepseek's official endpoint");
    expect(trustReason(trust, 'openai', 'http://127.0.0.1:9/v1')).toBe('this machine');
    expect(trustReason(trust, 'openai', 'http://localhost:9/v1')).toBe('this machine');
    expect(trustReason(trust, 'openai', 'https://openai-proxy.example/v1')).toBe('named in OPENAI_BASE_URL');
    expect(trustReason(trust, 'anthropic', 'https://claude-proxy.example')).toBe('named in ANTHROPIC_BASE_URL');
    expect(trustReason(trust, 'openai-compatible', 'http://gpu-box:11434/v1')).toBe('named in OLLAMA_HOST');
    expect(trustReason(trust, 'openai-compatible', 'http://llm.lan:8080/v1')).toBe('listed in CODEAI_TRUSTED_HOSTS');
    expect(trustReason(trust, 'openai-compatible', 'https://x.corp.example/v1')).toBe('listed in CODEAI_TRUSTED_HOSTS');
    expect(trustReason(trust, 'openai', 'https://mine.example/v1')).toMatch(/^baseURL in /);
    expect(trustReason(trust, 'openai', 'https://other.example:8443/v1')).toMatch(/^trustedHosts in /);
    // Another vendor's official endpoint is not this provider's; a scheme or port change is another origin.
    expect(trustReason(trust, 'openai', 'https://api.anthropic.com/v1')).toBeNull();
    expect(trustReason(trust, 'openai', 'http://api.openai.com/v1')).toBeNull();
    expect(trustReason(trust, 'openai', 'https://openai-proxy.example:444/v1')).toBeNull();
    expect(trustReason(trust, 'openai', 'http://evil.invalid/v1')).toBeNull();
    // A provider's own variable trusts its host with that provider's key only; the user's lists trust it with every key.
    expect(trustReason(trust, 'anthropic', 'https://openai-proxy.example/v1')).toBeNull();
    expect(trustReason(trust, 'deepseek', 'https://openai-proxy.example/v1')).toBeNull();
    expect(trustReason(trust, 'openai', 'https://claude-proxy.example')).toBeNull();
    expect(trustReason(trust, 'openai-compatible', 'https://claude-proxy.example/v1')).toBeNull();
    expect(trustReason(trust, 'anthropic', 'http://gpu-box:11434')).toBeNull();
    expect(trustReason(trust, 'openai', 'http://gpu-box:11434/v1')).toBeNull();
    expect(trustReason(trust, 'openai-compatible', 'https://openai-proxy.example/v1')).toBe('named in OPENAI_BASE_URL');
    expect(trustReason(trust, 'anthropic', 'http://llm.lan:8080')).toBe('listed in CODEAI_TRUSTED_HOSTS');
    expect(trustReason(trust, 'deepseek', 'https://mine.example/v1')).toMatch(/^baseURL in /);
    expect(refusalReason(trust, 'anthropic', 'https://openai-proxy.example/v1')).toBe(
      "openai-proxy.example is named in OPENAI_BASE_URL, which trusts it with the openai and openai-compatible providers' keys only",
    );
    expect(refusalReason(trust, 'openai', 'http://evil.invalid/v1')).toBe('evil.invalid is not a host you named');
  });

  it('a CODEAI_TRUSTED_HOSTS entry that is not a host is a ConfigError, and its text is not echoed', () => {
    const error = (() => {
      try {
        keyTrust({ CODEAI_TRUSTED_HOSTS: 'ok.example,sk-proj-abc/def' });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected an error');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('entry 2');
    expect(error.message).not.toContain('sk-proj');
  });
});

describe('createProvider refuses a key for a host nobody named', () => {
  it.each([
    ['openai', 'OPENAI_API_KEY', 'http://evil.invalid/v1'],
    ['deepseek', 'DEEPSEEK_API_KEY', 'https://deepseek.evil.invalid'],
    ['anthropic', 'ANTHROPIC_API_KEY', 'http://evil.invalid'],
    ['openai-compatible', 'OPENAI_API_KEY', 'https://models.evil.invalid/v1'],
  ] as const)('%s with baseURL %s in the repository', (provider, variable, baseURL) => {
    const error = refusal(() =>
      createProvider(policy({ provider, baseURL, model: 'm' }), { [variable]: KEY }, { configFile: '/repo/.codeairc.yaml' }),
    );
    const host = new URL(baseURL).host;
    expect(error.message).toBe(
      `refused to send ${variable} to ${host} (baseURL in .codeairc.yaml): keys go only to ${provider === 'openai-compatible' ? '' : `${new URL({ openai: 'https://api.openai.com', deepseek: 'https://api.deepseek.com', anthropic: 'https://api.anthropic.com' }[provider as 'openai']).host}, `}this machine and hosts you name; if you trust ${host}, add it to CODEAI_TRUSTED_HOSTS or to trustedHosts in ~/.config/codeai-hook/config.yaml`,
    );
    expect(error.message).not.toContain(KEY.slice(4));
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('allows the same host once the user names it, and a key-less provider anywhere', () => {
    const p = policy({ provider: 'openai', baseURL: 'https://llm.corp.example/v1' });
    expect(createProvider(p, { OPENAI_API_KEY: KEY, CODEAI_TRUSTED_HOSTS: 'llm.corp.example' })?.endpoint).toBe('https://llm.corp.example/v1');
    expect(createProvider(p, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: 'https://llm.corp.example/v1' })?.endpoint).toBe('https://llm.corp.example/v1');
    const user = { file: '/u', trustedHosts: ['*.corp.example'] };
    expect(createProvider(p, { OPENAI_API_KEY: KEY }, { trust: keyTrust({}, user) })?.endpoint).toBe('https://llm.corp.example/v1');
    // No key in the environment: nothing secret to refuse (openai-compatible sends a placeholder).
    expect(createProvider(policy({ provider: 'openai-compatible', model: 'm', baseURL: 'http://gpu.lan:8080/v1' }), {})?.endpoint).toBe('http://gpu.lan:8080/v1');
    expect(createProvider(policy({ provider: 'ollama', baseURL: 'http://gpu.lan:11434' }), {})?.endpoint).toBe('http://gpu.lan:11434');
  });

  it('chooseProvider refuses the same way for a provider named in the policy', async () => {
    await expect(chooseProvider(policy({ provider: 'anthropic', baseURL: 'http://evil.invalid' }), { ANTHROPIC_API_KEY: KEY })).rejects.toBeInstanceOf(UntrustedHostError);
  });
});

describe('a refused host is refused before any connection or DNS lookup', () => {
  const opened: string[] = [];
  const lookup = dns.lookup;
  const promisesLookup = dns.promises.lookup;
  const connect = net.Socket.prototype.connect;
  beforeEach(() => {
    opened.length = 0;
    (dns as { lookup: unknown }).lookup = (...args: unknown[]) => {
      opened.push(`lookup ${String(args[0])}`);
      return (lookup as (...a: unknown[]) => unknown)(...args);
    };
    (dns.promises as { lookup: unknown }).lookup = (...args: unknown[]) => {
      opened.push(`lookup ${String(args[0])}`);
      return (promisesLookup as (...a: unknown[]) => unknown)(...args);
    };
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      opened.push('connect');
      return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof connect;
  });
  afterEach(() => {
    (dns as { lookup: unknown }).lookup = lookup;
    (dns.promises as { lookup: unknown }).lookup = promisesLookup;
    net.Socket.prototype.connect = connect;
  });

  const file: DiffFile = {
    path: 'a.js',
    status: 'added',
    binary: false,
    hunks: [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 1, heading: '', lines: [{ kind: 'add', text: 'export const a = 1;', newLine: 1 }] }],
    added: 1,
    removed: 0,
  };

  it('the review gets the refusal; no socket is opened and no name is looked up', async () => {
    // A server that would record anything sent to it: it must receive nothing.
    const server = await startFakeOpenAI();
    opened.length = 0; // listening looked up 127.0.0.1; from here on nothing may be opened
    try {
      const evil = `http://${new URL(server.url).host.replace('127.0.0.1', 'evil.invalid')}/v1`;
      const p = policy({ provider: 'openai', baseURL: evil });
      const refused = reviewDiff([file], {
        policy: p,
        chooseProvider: () => chooseProvider(p, { OPENAI_API_KEY: KEY }),
        cache: null,
        userSignal: new AbortController().signal,
        baseline: null,
        suppress: true,
      });
      await expect(refused).rejects.toBeInstanceOf(UntrustedHostError);
      expect(opened).toEqual([]);
      expect(server.requests).toHaveLength(0);
      // The probe is sound: the same review against a trusted host does open a socket.
      const trusted = policy({ provider: 'openai', baseURL: server.url });
      await reviewDiff([file], { policy: trusted, chooseProvider: () => chooseProvider(trusted, { OPENAI_API_KEY: KEY }), cache: null, userSignal: new AbortController().signal, baseline: null, suppress: true });
      expect(opened).toContain('connect');
      expect(server.requests.length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});

describe('doctor key routes', () => {
  it('names each key, where it would go and why, never its value', () => {
    const env = { OPENAI_API_KEY: KEY, ANTHROPIC_API_KEY: 'sk-ant-x', ANTHROPIC_BASE_URL: 'https://claude-proxy.example' };
    const lines = keyRoutes(env, keyTrust(env), null).map(keyRouteLine);
    expect(lines).toEqual([
      "OPENAI_API_KEY → https://api.openai.com/v1 if provider is openai (trusted: openai's official endpoint)",
      'ANTHROPIC_API_KEY → https://claude-proxy.example if provider is anthropic (trusted: named in ANTHROPIC_BASE_URL)',
    ]);
    expect(lines.join('\n')).not.toContain(KEY.slice(4, 12));
  });
});
