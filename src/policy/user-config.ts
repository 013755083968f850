// The user's own settings, outside every repository: $XDG_CONFIG_HOME/codeai-hook/config.yaml (else
// ~/.config/codeai-hook/config.yaml). It says which model this user reviews with and which hosts their keys may go
// to; a repository cannot write it, so it is trusted where a committed policy is not (DESIGN.md, "Trust model").
// The repository's policy still owns the gate: block thresholds, include/exclude, categories, sendToCloud.

import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { PROVIDER_NAMES, type Policy, type ProviderName } from '../types.js';
import { parseHostPattern } from '../providers/host-pattern.js';
import { parseYamlText } from './parse-text.js';
import { readRegularFileSync } from '../regular-file.js';

export interface UserConfig {
  /** Absolute path of the file read. */
  file: string;
  provider?: ProviderName;
  model?: string;
  baseURL?: string;
  /** Hosts the user's keys may go to: `host`, `host:port`, `*.domain`, or a URL (its origin). */
  trustedHosts: string[];
}

const KEYS = ['provider', 'model', 'baseURL', 'trustedHosts'] as const;
/** A settings file is a few lines; anything larger is not one, and is not read into memory. */
const MAX_BYTES = 64 * 1024;

/** Where the user config lives for this environment. */
export function userConfigPath(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CONFIG_HOME?.trim();
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME?.trim() || os.homedir(), '.config');
  return path.join(base, 'codeai-hook', 'config.yaml');
}

/** The user config, or null when the file does not exist. A bad file is a ConfigError naming the file and key. */
export async function loadUserConfig(env: NodeJS.ProcessEnv): Promise<UserConfig | null> {
  const file = userConfigPath(env);
  const label = userConfigLabel(env);
  let text: string | null;
  try {
    // Read synchronously, as the policy is: every commit asks, and most users have no such file.
    text = readRegularFileSync(file, { maxBytes: MAX_BYTES });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EFBIG') throw new ConfigError(`${label}: larger than ${MAX_BYTES} bytes; it holds a few settings only`, file);
    // A file that is not there, or that cannot even be looked at (a folder on its path the user cannot search), is
    // no user config; one that is there but cannot be opened is a broken one.
    if (code === 'ENOENT' || code === 'ENOTDIR' || !canStat(file)) return null;
    throw new ConfigError(`${label}: cannot be read (${code ?? 'error'}); fix its permissions or remove it`, file);
  }
  // A FIFO or a device would block the read (and every commit with it).
  if (text === null) throw new ConfigError(`${label}: not a regular file; make it a YAML file or remove it`, file);
  let raw: unknown;
  try {
    raw = await parseYamlText(text);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n').find((l) => l.trim()) ?? '';
    throw new ConfigError(`${label}: cannot parse: ${message.trim()}; fix the YAML`, file);
  }
  return validateUserConfig(raw ?? {}, file, label);
}

export function validateUserConfig(raw: unknown, file: string, label = file): UserConfig {
  const fail = (key: string, message: string): never => {
    throw new ConfigError(`${label}: ${message}`, file, key);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('', 'expected a mapping of provider, model, baseURL, trustedHosts');
  const dict = raw as Record<string, unknown>;
  for (const key of Object.keys(dict)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      fail(key, `unknown key "${key}"; allowed: ${KEYS.join(', ')} (the gate, such as block and exclude, belongs in the repository's policy)`);
    }
  }
  const config: UserConfig = { file, trustedHosts: [] };
  const { provider, model, baseURL, trustedHosts } = dict;
  if (provider != null) {
    if (typeof provider !== 'string' || !(PROVIDER_NAMES as readonly string[]).includes(provider)) {
      fail('provider', `provider is not one of ${PROVIDER_NAMES.join(', ')}`);
    }
    config.provider = provider as ProviderName;
  }
  if (model != null) {
    if (typeof model !== 'string' || model.trim() === '') fail('model', 'model must be a non-empty string');
    config.model = model as string;
  }
  if (baseURL != null) {
    if (typeof baseURL !== 'string' || !isHttp(baseURL)) fail('baseURL', 'baseURL must be an http(s) URL such as "https://llm.example.com/v1"');
    config.baseURL = baseURL as string;
  }
  if (trustedHosts != null) {
    if (!Array.isArray(trustedHosts)) fail('trustedHosts', 'trustedHosts must be a list of hosts, e.g. ["llm.example.com", "*.corp.example"]');
    for (const [i, entry] of (trustedHosts as unknown[]).entries()) {
      // The value is not quoted back: whatever sits in this file stays out of the output.
      if (typeof entry !== 'string' || parseHostPattern(entry) === null) {
        fail(`trustedHosts[${i}]`, `trustedHosts[${i}] is not a host ("host", "host:port", "*.domain" or "https://host")`);
      }
      config.trustedHosts.push((entry as string).trim());
    }
  }
  return config;
}

/**
 * The policy with the user's choice of model in place of the repository's. A provider named by the user replaces
 * the repository's provider, model and baseURL together: a model name or URL meant for another server is no use.
 */
export function withUserConfig(policy: Policy, user: UserConfig | null): Policy {
  if (!user || (user.provider === undefined && user.model === undefined && user.baseURL === undefined)) return policy;
  const next: Policy = { ...policy };
  if (user.provider !== undefined && user.provider !== policy.provider) {
    next.provider = user.provider;
    next.model = undefined;
    next.baseURL = undefined;
  }
  if (user.model !== undefined) next.model = user.model;
  if (user.baseURL !== undefined) next.baseURL = user.baseURL;
  return next;
}

function isHttp(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** The user config's path as the user knows it: ~/… under their home. */
export function userConfigLabel(env: NodeJS.ProcessEnv): string {
  const file = userConfigPath(env);
  const home = env.HOME?.trim() || os.homedir();
  return file.startsWith(`${home}${path.sep}`) ? `~${file.slice(home.length)}` : file;
}

function canStat(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}
