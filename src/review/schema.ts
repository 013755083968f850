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
    fix: {
      type: 'object',
      description: 'Only when the fix is local and certain: the exact new text of a range of new-side lines (optional).',
      properties: {
        startLine: { type: 'integer', description: 'First new-side line replaced; it must be shown in the diff.' },
        endLine: { type: 'integer', description: 'Last new-side line replaced, in the same hunk.' },
        replacement: {
          type: 'string',
          description: 'The complete text that replaces those lines, with indentation, without diff markers or line numbers; empty to delete them.',
        },
      },
      required: ['startLine', 'endLine', 'replacement'],
    },
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

/** The answer to a fix request (src/fix/fim.ts): only the text that goes in place of the lines. */
export const REPLACEMENT_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    replacement: { type: 'string', description: 'The new text of the marked lines, exactly as it goes in the file.' },
  },
  required: ['replacement'],
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
