import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, POLICY_KEYS } from '../../src/policy/defaults.js';
import { loadPolicy } from '../../src/policy/load.js';
import { renderConfigTemplate } from '../../src/policy/template.js';
import type { Policy } from '../../src/types.js';

const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'codeai-template-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
/** Reads text back the way the hook will: as a .codeairc.yaml found by loadPolicy. */
async function loadBack(text: string): Promise<Policy> {
  const dir = path.join(root, `t${++count}`);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir);
  writeFileSync(path.join(dir, '.codeairc.yaml'), text);
  const loaded = await loadPolicy(dir, { stopDir: dir });
  expect(loaded.file).toBe(path.join(dir, '.codeairc.yaml'));
  return loaded.policy;
}

describe('renderConfigTemplate', () => {
  it.each([
    [{ provider: 'auto' as const }, {}],
    [{ provider: 'ollama' as const, model: 'qwen2.5-coder:7b' }, { model: 'qwen2.5-coder:7b' }],
    [{ provider: 'openai-compatible' as const, model: "team's model: v2" }, { model: "team's model: v2" }],
    [{ provider: 'anthropic' as const, model: 'true' }, { model: 'true' }],
  ])('loads back to the defaults plus the detected provider and model (%j)', async (opts, extra) => {
    expect(await loadBack(renderConfigTemplate(opts))).toEqual({ ...DEFAULT_POLICY, provider: opts.provider, ...extra });
  });

  it('shows every key, each under a comment line', () => {
    const lines = renderConfigTemplate({ provider: 'auto' }).split('\n');
    for (const key of POLICY_KEYS) {
      const at = lines.findIndex((line) => line.startsWith(`${key}:`) || line.startsWith(`# ${key}:`));
      expect(at, key).toBeGreaterThan(0);
      expect(lines[at - 1], key).toMatch(/^# [A-Z]/);
    }
  });

  it('shows unset keys commented out, and uncommenting them gives a valid policy', async () => {
    const text = renderConfigTemplate({ provider: 'auto' });
    expect(text).toMatch(/^# model: /m);
    expect(text).toMatch(/^# onError: /m);
    const uncommented = text
      .replace(/^# (model|baseURL|onError|instructions): /gm, '$1: ')
      .replace(/^overrides: \[\]\n# overrides:\n#   (.*)\n#     (.*)$/m, 'overrides:\n  $1\n    $2');
    const policy = await loadBack(uncommented);
    expect(policy.model).toBe('qwen2.5-coder:7b');
    expect(policy.baseURL).toBe('http://127.0.0.1:11434');
    expect(policy.onError).toBe('warn');
    expect(policy.instructions).toMatch(/SQL/);
    expect(policy.overrides).toEqual([{ files: ['test/**'], block: { severity: 'critical' } }]);
  });

  it('is what .codeairc.example holds, so the shipped example cannot drift', () => {
    const example = readFileSync(path.join(import.meta.dirname, '../../.codeairc.example'), 'utf8');
    expect(example).toBe(renderConfigTemplate({ provider: 'auto' }));
  });

  it('shows only real rule ids in its disableRules example, and the example loads', async () => {
    const line = renderConfigTemplate({ provider: 'auto' }).split('\n').find((l) => l.includes('rule ids to turn off'));
    const ids = /\[(.*)\]/.exec(line ?? '')?.[1]?.split(',').map((id) => id.trim()) ?? [];
    expect(ids.length).toBeGreaterThan(0);
    expect((await loadBack(`disableRules: [${ids.join(', ')}]\n`)).disableRules).toEqual(ids);
  });
});
