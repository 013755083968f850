// The JSON schemas of the model's answers. Plain draft-07-compatible JSON Schema with no $ref, formats or
// patterns, because the same object is passed as Ollama `format`, OpenAI `json_schema` (strict mode rejects
// many keywords) and an Anthropic tool `input_schema`. The schema only shapes the answer: parseFindings still
// validates everything, since not every server enforces it.

import { CATEGORIES, CONFIDENCES, SEVERITIES } from '../types.js';

const FINDING_SCHEMA = {
  type: 'object',
  properties: {
    file: { type: 'string', description: 'Path of the file exactly as shown after "File:".' },
    line: { type: 'integer', description: 'New-side line number from the left column of the diff.' },
    endLine: { type: 'integer', description: 'Last line of a multi-line problem (optional).' },
    severity: { type: 'string', enum: [...SEVERITIES] },
    category: { type: 'string', enum: [...CATEGORIES] },
    title: { type: 'string', description: 'Short summary, at most 80 characters.' },
    message: { type: 'string', description: 'What is wrong and why it matters.' },
    suggestion: { type: 'string', description: 'How to fix it (optional).' },
    confidence: { type: 'string', enum: [...CONFIDENCES], description: 'How sure you are that this is a real problem.' },
  },
  required: ['file', 'line', 'severity', 'category', 'title', 'message'],
} as const;

export const FINDINGS_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    findings: { type: 'array', items: FINDING_SCHEMA },
  },
  required: ['findings'],
  additionalProperties: false,
};

export const EXPLAIN_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    explanation: { type: 'string', description: 'The explanation, in Markdown.' },
  },
  required: ['explanation'],
  additionalProperties: false,
};
