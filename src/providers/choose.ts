// Which model reviews this commit, and one line saying why. An explicit provider is taken as written; 'auto' prefers
// a local Ollama (the code stays on this machine and costs nothing), then the first cloud key in the environment,
// then no model at all (the built-in rules still run).

import path from 'node:path';
import type { ModelProvider, Policy } from '../types.js';
import { createProvider } from './create.js';
import { API_KEY_ENV, DEFAULT_MODEL, defaultBaseURL } from './defaults.js';
import { isLoopbackURL, ollamaURLFromHost, shownURL } from './endpoint.js';
import { abortedError } from './errors.js';
import { keyTrust, type KeyTrust } from './key-trust.js';
import { findInstalledModel, listInstalledModels } from './ollama.js';

export interface ChosenProvider {
  provider: ModelProvider | null;
  /** For the report and `doctor`: "auto: ollama answered at http://127.0.0.1:11434 (model qwen2.5-coder:7b)". */
  reason: string;
}

/** Long enough for a local server that is up, short enough not to be felt on every commit when it is not. */
const DEFAULT_PROBE_MS = 400;
const CLOUD_BY_PREFERENCE = ['openai', 'anthropic', 'deepseek'] as const;
const CLOUD_KEYS = CLOUD_BY_PREFERENCE.map((name) => API_KEY_ENV[name]).join('/');

export async function chooseProvider(
  policy: Policy,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
  configFile?: string | null,
  trust: KeyTrust = keyTrust(env),
): Promise<ChosenProvider> {
  if (policy.provider !== 'auto') {
    const where = configFile ? `in ${path.basename(configFile)}` : '(set in policy)';
    const provider = createProvider(policy, env, { trust, configFile: configFile ?? null });
    return { provider, reason: provider ? `provider: ${policy.provider} ${where}` : `provider: builtin ${where}: built-in rules only` };
  }
  const ollama = await tryOllama(policy, env, trust, signal);
  if ('provider' in ollama) return ollama;

  if (policy.sendToCloud === 'never') {
    return { provider: null, reason: `auto: no model reachable (${ollama.note}; cloud providers skipped: sendToCloud is 'never'): built-in rules only` };
  }
  for (const name of CLOUD_BY_PREFERENCE) {
    const variable = API_KEY_ENV[name];
    if (!env[variable]?.trim()) continue;
    // Under 'auto', model and baseURL in the policy describe the local server; a cloud fallback uses its defaults.
    const provider = createProvider({ ...policy, provider: name, model: undefined, baseURL: undefined }, env, { trust });
    return { provider, reason: `auto: ${variable} is set (${name}, model ${provider?.model}; ${ollama.note})` };
  }
  return { provider: null, reason: `auto: no model reachable (${ollama.note}, no ${CLOUD_KEYS}): built-in rules only` };
}

/** The Ollama choice, or a note on why there is none, worded to sit inside the final reason. */
async function tryOllama(policy: Policy, env: NodeJS.ProcessEnv, trust: KeyTrust, signal?: AbortSignal): Promise<ChosenProvider | { note: string }> {
  const url = policy.baseURL?.trim() ? ollamaURLFromHost(policy.baseURL) : (defaultBaseURL('ollama', env) as string);
  const shown = shownURL(url);
  if (policy.sendToCloud === 'never' && !isLoopbackURL(url)) {
    return { note: `ollama at ${shown} is not on this machine` };
  }
  let installed: string[];
  try {
    installed = await listInstalledModels(url, { timeoutMs: probeTimeoutMs(env), signal });
  } catch (error) {
    if (signal?.aborted) {
      throw abortedError({ provider: 'ollama', model: policy.model ?? DEFAULT_MODEL.ollama, endpoint: shown, requestTimeoutMs: 0, maxRetries: 0 });
    }
    return { note: `ollama not answering at ${shown}` };
  }
  const pick = pickOllamaModel(installed, policy.model?.trim());
  if (!pick) return { note: `ollama at ${shown} has no models (run 'ollama pull ${DEFAULT_MODEL.ollama}')` };
  const provider = createProvider({ ...policy, provider: 'ollama', model: pick.model, baseURL: url }, env, { trust });
  return { provider, reason: `auto: ollama answered at ${shown} (model ${pick.model}${pick.note})` };
}

/**
 * The model the policy names if installed, else the default, else the first that looks made for code, else the
 * first there is. Falling back from a named model is said in the reason, so it never happens unseen.
 */
export function pickOllamaModel(installed: readonly string[], wanted?: string): { model: string; note: string } | undefined {
  const named = wanted ? findInstalledModel(installed, wanted) : undefined;
  if (named) return { model: named, note: '' };
  const fallback =
    findInstalledModel(installed, DEFAULT_MODEL.ollama) ?? installed.find((name) => /code|coder/i.test(name)) ?? installed[0];
  if (!fallback) return undefined;
  return { model: fallback, note: wanted ? `; '${wanted}' is not installed` : '' };
}

function probeTimeoutMs(env: NodeJS.ProcessEnv): number {
  const ms = Number(env['CODEAI_PROBE_MS']);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_PROBE_MS;
}
