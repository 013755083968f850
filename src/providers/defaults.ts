// Which model and which URL each provider uses when .codeairc does not say, and where its API key comes from.
// Keys are read from the environment only: a key in a committed config file would leak with the repository.

import { ollamaURLFromHost, withoutTrailingSlash } from './endpoint.js';

export type ModelProviderName = 'ollama' | 'openai' | 'deepseek' | 'anthropic' | 'openai-compatible';

export const DEFAULT_MODEL: Readonly<Record<Exclude<ModelProviderName, 'openai-compatible'>, string>> = {
  ollama: 'qwen2.5-coder:7b',
  openai: 'gpt-4o-mini',
  deepseek: 'deepseek-chat',
  // Not claude-sonnet-4-5: the SDK marks it deprecated (end of life 2026-11-30) and prints a warning on every request.
  anthropic: 'claude-sonnet-4-6',
};

export const OLLAMA_DEFAULT_URL = 'http://127.0.0.1:11434';
const OPENAI_DEFAULT_URL = 'https://api.openai.com/v1';
const DEEPSEEK_DEFAULT_URL = 'https://api.deepseek.com';
// The Anthropic SDK appends /v1/messages itself, so its base URL is the bare origin.
const ANTHROPIC_DEFAULT_URL = 'https://api.anthropic.com';

/**
 * Each vendor's own API, where its key may always go. Ollama's is its cloud (https://ollama.com, where the ollama
 * client sends OLLAMA_API_KEY); an OpenAI-compatible server has none: it is wherever the user says.
 */
export const OFFICIAL_ENDPOINT: Readonly<Record<ModelProviderName, string | undefined>> = {
  ollama: 'https://ollama.com',
  openai: OPENAI_DEFAULT_URL,
  deepseek: DEEPSEEK_DEFAULT_URL,
  anthropic: ANTHROPIC_DEFAULT_URL,
  'openai-compatible': undefined,
};

/** The environment variable holding each provider's key; openai-compatible servers reuse OpenAI's, optionally. */
export const API_KEY_ENV: Readonly<Record<Exclude<ModelProviderName, 'ollama'>, string>> = {
  openai: 'OPENAI_API_KEY',
  deepseek: 'DEEPSEEK_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  'openai-compatible': 'OPENAI_API_KEY',
};

/**
 * Local OpenAI-style servers (llama.cpp, vLLM, LM Studio) usually ignore the key, but the OpenAI SDK refuses to start
 * without one; this is what it sends when OPENAI_API_KEY is not set.
 */
export const PLACEHOLDER_API_KEY = 'codeai-no-key';

/** The URL a provider talks to when .codeairc has no baseURL, honouring the variables each vendor's own tools read. */
export function defaultBaseURL(name: ModelProviderName, env: NodeJS.ProcessEnv): string | undefined {
  switch (name) {
    case 'ollama':
      return env['OLLAMA_HOST']?.trim() ? ollamaURLFromHost(env['OLLAMA_HOST']) : OLLAMA_DEFAULT_URL;
    case 'openai':
      return withoutTrailingSlash(env['OPENAI_BASE_URL']?.trim() || OPENAI_DEFAULT_URL);
    case 'deepseek':
      return DEEPSEEK_DEFAULT_URL;
    case 'anthropic':
      return withoutTrailingSlash(env['ANTHROPIC_BASE_URL']?.trim() || ANTHROPIC_DEFAULT_URL);
    case 'openai-compatible':
      return undefined;
  }
}
