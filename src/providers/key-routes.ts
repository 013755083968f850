// For `doctor`: each API key in the environment, where it would go, and why that host is trusted (or that it is
// not). Values are never read beyond "is it set".

import type { ModelProvider } from '../types.js';
import { API_KEY_ENV, defaultBaseURL, type ModelProviderName } from './defaults.js';
import { shownURL } from './endpoint.js';
import { refusalReason, trustReason, type KeyTrust } from './key-trust.js';

export interface KeyRoute {
  variable: string;
  provider: ModelProviderName;
  url: string;
  /** Why the host is trusted; null when the key would be refused there. */
  trusted: string | null;
  /** Why the key would be refused there; null when it is trusted. */
  refused: string | null;
  /** The provider in use sends this key. */
  inUse: boolean;
}

const KEYED = ['openai', 'anthropic', 'deepseek'] as const;

export function keyRoutes(env: NodeJS.ProcessEnv, trust: KeyTrust, inUse: ModelProvider | null): KeyRoute[] {
  const routes: KeyRoute[] = [];
  if (inUse && inUse.name !== 'ollama') {
    const variable = API_KEY_ENV[inUse.name];
    if (env[variable]?.trim()) routes.push(route(variable, inUse.name, inUse.endpoint, trust, true));
  }
  for (const provider of KEYED) {
    const variable = API_KEY_ENV[provider];
    if (!env[variable]?.trim() || routes.some((r) => r.variable === variable)) continue;
    routes.push(route(variable, provider, defaultBaseURL(provider, env) ?? '', trust, false));
  }
  return routes;
}

/** "OPENAI_API_KEY → https://api.openai.com/v1 (openai's official endpoint)" and the like, one line per key. */
export function keyRouteLine(r: KeyRoute): string {
  const when = r.inUse ? '' : ` if provider is ${r.provider}`;
  const why = r.trusted ? `trusted: ${r.trusted}` : `refused: ${r.refused}`;
  return `${r.variable} → ${shownURL(r.url)}${when} (${why})`;
}

function route(variable: string, provider: ModelProviderName, url: string, trust: KeyTrust, inUse: boolean): KeyRoute {
  const trusted = trustReason(trust, provider, url);
  return { variable, provider, url, trusted, refused: trusted === null ? refusalReason(trust, provider, url) : null, inUse };
}
