// AI and data platforms: model providers and the services around them.
import type { LineRule } from '../types.js';
import { named, token } from './build.js';

const FAMILY = 'AI and data';

/** The family's rules, built when the table is (secrets.ts). */
export const aiRules = (): LineRule[] => [
  token({
    id: 'anthropic-api-key',
    title: 'Anthropic API key',
    issuer: 'the Anthropic console (read it from ANTHROPIC_API_KEY)',
    hint: 'Delete the key in the Anthropic console and read it from ANTHROPIC_API_KEY.',
    family: FAMILY,
    pattern: 'sk-ant-[a-z]{2,10}[0-9]{0,3}-[A-Za-z0-9_-]{32,300}',
    keywords: ['sk-ant-'],
    minEntropy: 3.5,
  }),
  token({
    id: 'openai-api-key',
    title: 'OpenAI-style API key',
    issuer: 'the provider dashboard (OpenAI, DeepSeek…; read it from OPENAI_API_KEY or DEEPSEEK_API_KEY)',
    hint: 'Revoke the key in the provider dashboard (OpenAI, DeepSeek…) and read it from OPENAI_API_KEY or DEEPSEEK_API_KEY.',
    family: FAMILY,
    // Project, service-account and admin keys carry '-' and '_'; legacy and DeepSeek keys are plain alphanumerics.
    pattern: 'sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{32,300}|(?!ant-)[A-Za-z0-9]{32,300})',
    keywords: ['sk-'],
    minEntropy: 3.5,
    limits: 'keys of other providers that share the bare `sk-` shape are reported under this id',
  }),
  token({ id: 'huggingface-access-token', title: 'Hugging Face token', issuer: 'Hugging Face (Settings → Access Tokens)', family: FAMILY, pattern: 'hf_[A-Za-z]{34}', keywords: ['hf_'], minEntropy: 3.5 }),
  token({ id: 'huggingface-organization-api-token', title: 'Hugging Face organization token', issuer: 'Hugging Face (organization settings)', family: FAMILY, pattern: 'api_org_[A-Za-z]{34}', keywords: ['api_org_'], minEntropy: 3.5 }),
  named({ id: 'cohere-api-token', title: 'Cohere API key', issuer: 'the Cohere dashboard', family: FAMILY, names: 'cohere|co_api_key', value: '[a-z0-9]{40}', keywords: ['cohere', 'co_api_key'], minEntropy: 4 }),
  token({ id: 'perplexity-api-key', title: 'Perplexity API key', issuer: 'Perplexity (Settings → API)', family: FAMILY, pattern: 'pplx-[a-zA-Z0-9]{48}', keywords: ['pplx-'], minEntropy: 4 }),
  token({ id: 'groq-api-key', title: 'Groq API key', issuer: 'the Groq console', family: FAMILY, pattern: 'gsk_[A-Za-z0-9]{52}', keywords: ['gsk_'], minEntropy: 4 }),
  token({ id: 'replicate-api-token', title: 'Replicate API token', issuer: 'Replicate (Account → API tokens)', family: FAMILY, pattern: 'r8_[A-Za-z0-9]{37}', keywords: ['r8_'], minEntropy: 3.5 }),
  token({ id: 'xai-api-key', title: 'xAI API key', issuer: 'the xAI console', family: FAMILY, pattern: 'xai-[A-Za-z0-9]{80}', keywords: ['xai-'], minEntropy: 4 }),
  token({ id: 'langsmith-api-key', title: 'LangSmith API key', issuer: 'LangSmith (Settings → API keys)', family: FAMILY, pattern: 'lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}', keywords: ['lsv2_'], minEntropy: 3 }),
  named({ id: 'privateai-api-token', title: 'Private AI API key', issuer: 'the Private AI portal', family: FAMILY, names: 'private[_-]?ai', value: '[a-z0-9]{32}', keywords: ['privateai', 'private_ai', 'private-ai'] }),
];
