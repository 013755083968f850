// Every built-in rule with its own true and false examples (test/rules/examples/): each hit must be reported under
// the rule's id, each miss must not. The secrets are built at test time, with valid checksums where the format has
// one, so the repository holds none.
import { describe, expect, it } from 'vitest';
import { builtinRuleIds, runBuiltinRules } from '../../src/rules/scan.js';
import { CATEGORIES, type DiffFile } from '../../src/types.js';
import { CLOUD_EXAMPLES } from './examples/cloud.js';
import { GENERIC_EXAMPLES } from './examples/generic.js';
import type { Example, ExampleTable } from './examples/make.js';
import { SAAS_EXAMPLES } from './examples/saas.js';
import { SERVICE_EXAMPLES } from './examples/services.js';
import { VCS_EXAMPLES } from './examples/vcs.js';
import { addedFile } from './fixtures/make-diff.js';

const ALL = { disabled: [], categories: [...CATEGORIES] };
const TABLES: ExampleTable[] = [CLOUD_EXAMPLES, VCS_EXAMPLES, SERVICE_EXAMPLES, SAAS_EXAMPLES, GENERIC_EXAMPLES];
const EXAMPLES: ExampleTable = Object.assign({}, ...TABLES);

function toFile(example: Example): DiffFile {
  if (typeof example === 'string') return addedFile('config/settings.conf', example.split('\n'));
  if ('file' in example) return example.file;
  return addedFile(example.path, example.text.split('\n'));
}

function label(example: Example): string {
  const text = typeof example === 'string' ? example : 'file' in example ? example.file.path : `${example.path}: ${example.text}`;
  return text.length > 70 ? `${text.slice(0, 69)}…` : text;
}

const cases = (kind: 'hit' | 'miss') =>
  Object.entries(EXAMPLES).flatMap(([rule, ex]) => ex[kind].map((example, i) => ({ rule, example, name: `${rule} ${kind} ${i + 1}: ${label(example)}` })));

describe('rule examples', () => {
  it('give every rule at least one true and one false example, and name only real rules', () => {
    const ids = builtinRuleIds();
    for (const id of ids) {
      expect(EXAMPLES[id]?.hit.length ?? 0, `${id} hits`).toBeGreaterThan(0);
      expect(EXAMPLES[id]?.miss.length ?? 0, `${id} misses`).toBeGreaterThan(0);
    }
    expect(Object.keys(EXAMPLES).filter((id) => !ids.includes(id))).toEqual([]);
    const counted = TABLES.reduce((n, t) => n + Object.keys(t).length, 0);
    expect(counted, 'an id in two example tables').toBe(Object.keys(EXAMPLES).length);
  });

  it.each(cases('hit'))('$name', ({ rule, example }) => {
    const file = toFile(example);
    const found = runBuiltinRules([file], ALL).map((f) => f.rule);
    expect(found, file.hunks[0]?.lines.map((l) => l.text).join('\n')).toContain(rule);
  });

  it.each(cases('miss'))('$name', ({ rule, example }) => {
    const found = runBuiltinRules([toFile(example)], ALL).filter((f) => f.rule === rule);
    expect(found.map((f) => `${f.line}: ${f.message}`)).toEqual([]);
  });
});
