// From the policy's provider settings and the environment to a ready ModelProvider, or a ConfigError that names the
// setting to fix. Nothing here touches the network: a key bound for a host the user did not name is refused here,
// before any client, socket or DNS lookup exists (key-trust.ts).

import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { ModelProvider, Policy } from '../types.js';
import { createAnthropicProvider } from './anthropic.js';
import type { ProviderConfig } from './config.js';
import { API_KEY_ENV, DEFAULT_MODEL, defaultBaseURL, type ModelProviderName } from './defaults.js';
import { isHttpURL, isLoopbackURL, ollamaURLFromHost, shownURL, withoutTrailingSlash } from './endpoint.js';
import { assertKeyDestination, keyTrust, trustReason, type KeyTrust } from './key-trust.js';
import { createOllamaProvider } from './ollama.js';
import { createOpenAIProvider } from './openai.js';

export interface CreateOptions {
  /** The hosts the user trusts with keys; from the environment alone when absent. */
  trust?: KeyTrust;
  /** The policy file baseURL came from, named in a refusal. */
  configFile?: string | null;
}

/** null for 'builtin' (no model). 'auto' is chooseProvider's to resolve. */
export function createProvider(policy: Policy, env: NodeJS.ProcessEnv, opts: CreateOptions = {}): ModelProvider | null {
  const name = policy.provider;
  if (name === 'builtin') return null;
  if (name === 'auto') throw new ConfigError(`provider 'auto' is resolved by chooseProvider, not createProvider`, null, 'provider');
  const cfg = providerConfig(name, policy, env);
  const trust = opts.trust ?? keyTrust(env);
  if (cfg.apiKey !== undefined && name !== 'ollama') {
    const setting = policy.baseURL?.trim() ? `baseURL in ${opts.configFile ? path.basename(opts.configFile) : 'the policy'}` : 'the default URL';
    assertKeyDestination(trust, name, cfg.baseURL, API_KEY_ENV[name], setting);
  }
  cfg.trustedHost = trustReason(trust, name, cfg.baseURL) !== null;
  if (policy.sendToCloud === 'never' && !isLoopbackURL(cfg.baseURL)) {
    throw new ConfigError(
      `provider '${name}' would send code to ${shownURL(cfg.baseURL)}, but sendToCloud is 'never' in .codeairc: use a provider on this machine (ollama, or a baseURL on localhost), or change sendToCloud`,
      null,
      'sendToCloud',
    );
  }
  switch (name) {
    case 'ollama':
      return createOllamaProvider(cfg);
    case 'anthropic':
      return createAnthropicProvider(cfg);
    case 'openai':
    case 'deepseek':
    case 'openai-compatible':
      return createOpenAIProvider(cfg);
  }
}

function providerConfig(name: ModelProviderName, policy: Policy, env: NodeJS.ProcessEnv): ProviderConfig {
  const model = policy.model?.trim() || (name === 'openai-compatible' ? undefined : DEFAULT_MODEL[name]);
  if (!model) {
    throw new ConfigError(`provider '${name}' needs model in .codeairc (the name the server knows the model by)`, null, 'model');
  }
  return {
    name,
    model,
    baseURL: baseURLFor(name, policy, env),
    apiKey: apiKeyFor(name, env),
    requestTimeoutMs: policy.timeoutMs,
    maxDiffTokens: policy.maxDiffTokens,
  };
}

function baseURLFor(name: ModelProviderName, policy: Policy, env: NodeJS.ProcessEnv): string {
  const configured = policy.baseURL?.trim();
  if (!configured) {
    const url = defaultBaseURL(name, env);
    if (url) return url;
    throw new ConfigError(`provider '${name}' needs baseURL in .codeairc (the server's OpenAI-style URL, e.g. http://127.0.0.1:8080/v1)`, null, 'baseURL');
  }
  // Ollama's URL may be written the way OLLAMA_HOST is ("localhost:11434"); the others must be full URLs.
  const url = name === 'ollama' && !configured.includes('://') ? ollamaURLFromHost(configured) : withoutTrailingSlash(configured);
  if (!isHttpURL(url)) {
    throw new ConfigError(`baseURL '${configured}' in .codeairc is not an http(s) URL (e.g. http://127.0.0.1:11434)`, null, 'baseURL');
  }
  return url;
}

function apiKeyFor(name: ModelProviderName, env: NodeJS.ProcessEnv): string | undefined {
  if (name === 'ollama') return undefined;
  const variable = API_KEY_ENV[name];
  const key = env[variable]?.trim();
  if (key || name === 'openai-compatible') return key || undefined;
  throw new ConfigError(`provider '${name}' needs ${variable} in the environment (keys are never read from .codeairc)`, null, 'provider');
}
