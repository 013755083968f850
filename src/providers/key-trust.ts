// Where a key from the environment may go (DESIGN.md, "Trust model"). A repository's policy may choose the provider
// and its URL, but it is written by whoever wrote the repository: a `baseURL: http://their-host/v1` there would hand
// the user's OPENAI_API_KEY to them. So a key leaves only for
//   - its provider's official endpoint,
//   - this machine (a loopback URL),
//   - a host the user named outside the repository: CODEAI_TRUSTED_HOSTS, or baseURL / trustedHosts in the user
//     config, for every key; OPENAI_BASE_URL, ANTHROPIC_BASE_URL and OLLAMA_HOST only for the providers that read
//     them. A user whose OPENAI_BASE_URL names a third-party gateway trusts it with that key, not with the Anthropic
//     key a repository's `provider: anthropic` pointed at the same gateway would send.
// Anything else is refused here, from the URL as written, before a client exists: no connection, no DNS lookup.

import { ConfigError } from '../errors.js';
import type { UserConfig } from '../policy/user-config.js';
import { OFFICIAL_ENDPOINT, type ModelProviderName } from './defaults.js';
import { isLoopbackURL, ollamaURLFromHost } from './endpoint.js';
import { hostOf, matchesHost, parseHostPattern, type HostPattern } from './host-pattern.js';

export interface TrustSource {
  pattern: HostPattern;
  /** Said in `doctor` and in messages: "named in OPENAI_BASE_URL". */
  why: string;
  /** The providers whose keys may go there; every provider's when absent. */
  providers?: readonly ModelProviderName[];
}

export interface KeyTrust {
  /** The hosts the user named, in the order they are checked. */
  named: TrustSource[];
  /** How the user config is shown ("~/.config/codeai-hook/config.yaml"), for the advice in a refusal. */
  userConfigLabel: string;
}

/** Thrown when a key would go to a host nobody outside the repository named. A ConfigError: exit 2 in `ci`. */
export class UntrustedHostError extends ConfigError {
  constructor(
    message: string,
    readonly host: string,
  ) {
    super(message, null, 'baseURL');
  }
}

/** The variables naming a provider's server, and whose keys they trust it with: those of the providers that read it. */
const ENV_URLS = [
  ['OPENAI_BASE_URL', ['openai', 'openai-compatible']],
  ['ANTHROPIC_BASE_URL', ['anthropic']],
] as const;
/** OLLAMA_HOST is read by the Ollama provider, and names the server `openai-compatible` reaches at its /v1. */
const OLLAMA_HOST_PROVIDERS: readonly ModelProviderName[] = ['ollama', 'openai-compatible'];

/** The hosts this user trusts, from their environment and their user config. */
export function keyTrust(env: NodeJS.ProcessEnv, user: UserConfig | null = null, userConfigLabel = '~/.config/codeai-hook/config.yaml'): KeyTrust {
  const named: TrustSource[] = [];
  const add = (text: string, why: string, providers?: readonly ModelProviderName[]) => {
    const pattern = parseHostPattern(text);
    if (pattern) named.push({ pattern, why, ...(providers ? { providers } : {}) });
  };
  for (const [variable, providers] of ENV_URLS) {
    const value = env[variable]?.trim();
    if (value) add(value, `named in ${variable}`, providers);
  }
  const ollamaHost = env.OLLAMA_HOST?.trim();
  if (ollamaHost) {
    try {
      add(ollamaURLFromHost(ollamaHost), 'named in OLLAMA_HOST', OLLAMA_HOST_PROVIDERS);
    } catch {
      // Not a host at all: it trusts nothing (and the Ollama provider says what is wrong with it).
    }
  }
  const listed = env.CODEAI_TRUSTED_HOSTS?.split(/[\s,]+/).filter(Boolean) ?? [];
  for (const [i, entry] of listed.entries()) {
    if (!parseHostPattern(entry)) {
      throw new ConfigError(`CODEAI_TRUSTED_HOSTS entry ${i + 1} is not a host ("host", "host:port", "*.domain" or "https://host"); fix the variable`);
    }
    add(entry, 'listed in CODEAI_TRUSTED_HOSTS');
  }
  if (user?.baseURL) add(user.baseURL, `baseURL in ${userConfigLabel}`);
  for (const entry of user?.trustedHosts ?? []) add(entry, `trustedHosts in ${userConfigLabel}`);
  return { named, userConfigLabel };
}

/** Why `provider`'s key may go to `url`, or null when nothing makes it trusted. */
export function trustReason(trust: KeyTrust, provider: ModelProviderName, url: string): string | null {
  if (isLoopbackURL(url)) return 'this machine';
  const official = OFFICIAL_ENDPOINT[provider];
  if (official && sameOrigin(official, url)) return `${provider}'s official endpoint`;
  return trust.named.find((source) => (!source.providers || source.providers.includes(provider)) && matchesHost(source.pattern, url))?.why ?? null;
}

/**
 * Refuses, with one line naming the host and how to trust it, when the value of `keyEnv` would go to an untrusted
 * `url`. `setting` says where the URL came from ("baseURL in .codeairc.yaml").
 */
export function assertKeyDestination(trust: KeyTrust, provider: ModelProviderName, url: string, keyEnv: string, setting: string): void {
  if (trustReason(trust, provider, url) !== null) return;
  const host = hostOf(url);
  const official = OFFICIAL_ENDPOINT[provider];
  const allowed = official ? `${hostOf(official)}, this machine and hosts you name` : 'this machine and hosts you name';
  const namedForOthers = otherProvidersSource(trust, provider, url);
  throw new UntrustedHostError(
    `refused to send ${keyEnv} to ${host} (${setting}): keys go only to ${allowed}${namedForOthers ? `; ${namedFor(host, namedForOthers)}` : ''}; if you trust ${host}, add it to CODEAI_TRUSTED_HOSTS or to trustedHosts in ${trust.userConfigLabel}`,
    host,
  );
}

/** Why `provider`'s key would be refused at `url`: a host named for other providers' keys only, or one not named. */
export function refusalReason(trust: KeyTrust, provider: ModelProviderName, url: string): string {
  const host = hostOf(url);
  const source = otherProvidersSource(trust, provider, url);
  return source ? namedFor(host, source) : `${host} is not a host you named`;
}

/** The source that names `url`'s host for other providers' keys only, if one does. */
function otherProvidersSource(trust: KeyTrust, provider: ModelProviderName, url: string): TrustSource | undefined {
  return trust.named.find((source) => source.providers && !source.providers.includes(provider) && matchesHost(source.pattern, url));
}

function namedFor(host: string, source: TrustSource): string {
  return `${host} is ${source.why}, which trusts it with the ${source.providers!.join(' and ')} providers' keys only`;
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
