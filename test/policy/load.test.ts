import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import { loadPolicy } from '../../src/policy/load.js';

const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'codeai-policy-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
/** A fresh directory holding the given files (a fresh path also keeps Node's ESM cache out of the way). */
function repo(files: Record<string, string>): string {
  const dir = path.join(root, `repo${++count}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function loadErrorOf(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('loadPolicy: every search place', () => {
  it.each([
    ['package.json', JSON.stringify({ name: 'app', codeai: { concurrency: 2 } })],
    ['.codeairc', 'concurrency: 2\n'],
    ['.codeairc', '{ "concurrency": 2 }\n'],
    ['.codeairc.json', '{ "concurrency": 2 }\n'],
    ['.codeairc.yaml', 'concurrency: 2\n'],
    ['.codeairc.yml', 'concurrency: 2\n'],
    ['.codeairc.js', 'module.exports = { concurrency: 2 };\n'],
    ['.codeairc.mjs', 'export default { concurrency: 2 };\n'],
    ['codeai.config.mjs', 'export default { concurrency: 1 + 1 };\n'],
    ['codeai.config.ts', "import type { Policy } from 'x';\nconst policy: Partial<Policy> = { concurrency: 2 as number };\nexport default policy;\n"],
  ])('finds %s (%#)', async (place, text) => {
    const dir = repo({ [place]: text });
    const loaded = await loadPolicy(dir, { stopDir: dir });
    expect(loaded.file).toBe(path.join(dir, place));
    expect(loaded.policy).toEqual({ ...DEFAULT_POLICY, concurrency: 2 });
  });

  it('finds codeai.config.js as ESM beside a package.json without a codeai key', async () => {
    const dir = repo({
      'package.json': JSON.stringify({ name: 'app', type: 'module' }),
      'codeai.config.js': "export default { provider: 'ollama' };\n",
    });
    const loaded = await loadPolicy(dir, { stopDir: dir });
    expect(loaded.file).toBe(path.join(dir, 'codeai.config.js'));
    expect(loaded.policy.provider).toBe('ollama');
  });

  it('takes the first place in order when one directory has several', async () => {
    const dir = repo({ '.codeairc.yaml': 'concurrency: 3\n', 'package.json': JSON.stringify({ codeai: { concurrency: 2 } }) });
    expect((await loadPolicy(dir, { stopDir: dir })).file).toBe(path.join(dir, 'package.json'));
  });
});

describe('loadPolicy: which file', () => {
  it('takes the nearest file between cwd and the repo root', async () => {
    const dir = repo({ '.codeairc.yaml': 'concurrency: 2\n', 'pkg/.codeairc.json': '{ "concurrency": 3 }', 'pkg/src/x/.keep': '', 'docs/.keep': '' });
    const fromPkg = await loadPolicy(path.join(dir, 'pkg/src/x'), { stopDir: dir });
    expect(fromPkg.file).toBe(path.join(dir, 'pkg/.codeairc.json'));
    expect(fromPkg.policy.concurrency).toBe(3);
    const fromDocs = await loadPolicy(path.join(dir, 'docs'), { stopDir: dir });
    expect(fromDocs.file).toBe(path.join(dir, '.codeairc.yaml'));
  });

  it('does not stop at a monorepo package.json that has no codeai key', async () => {
    const dir = repo({ '.codeairc.yaml': 'concurrency: 2\n', 'packages/a/package.json': '{ "name": "a" }' });
    expect((await loadPolicy(path.join(dir, 'packages/a'), { stopDir: dir })).file).toBe(path.join(dir, '.codeairc.yaml'));
  });

  it('never reads above stopDir, and without one reads only cwd', async () => {
    const dir = repo({ '.codeairc.yaml': 'concurrency: 2\n', 'repo/src/.keep': '' });
    expect(await loadPolicy(path.join(dir, 'repo/src'), { stopDir: path.join(dir, 'repo') })).toEqual({
      policy: DEFAULT_POLICY,
      file: null,
    });
    expect((await loadPolicy(path.join(dir, 'repo'))).file).toBeNull();
    expect((await loadPolicy(dir)).file).toBe(path.join(dir, '.codeairc.yaml'));
  });

  it('gives the defaults with no file', async () => {
    const dir = repo({ 'package.json': '{ "name": "app" }' });
    expect(await loadPolicy(dir, { stopDir: dir })).toEqual({ policy: DEFAULT_POLICY, file: null });
  });

  it('reads an empty or comments-only file as the defaults, shadowing a file further up', async () => {
    const dir = repo({ '.codeairc.yaml': 'concurrency: 2\n', 'a/.codeairc.yaml': '', 'b/.codeairc.yml': '---\n# nothing yet\n' });
    for (const sub of ['a', 'b']) {
      const loaded = await loadPolicy(path.join(dir, sub), { stopDir: dir });
      expect(loaded.policy).toEqual(DEFAULT_POLICY);
      expect(loaded.file).toMatch(new RegExp(`/${sub}/\\.codeairc\\.ya?ml$`));
    }
  });

  it('loads --config FILE directly, relative to cwd', async () => {
    const dir = repo({ '.codeairc.yaml': 'concurrency: 2\n', 'ci/policy.yaml': 'concurrency: 8\n' });
    const loaded = await loadPolicy(dir, { configPath: 'ci/policy.yaml', stopDir: dir });
    expect(loaded).toEqual({ policy: { ...DEFAULT_POLICY, concurrency: 8 }, file: path.join(dir, 'ci/policy.yaml') });
  });

  it('refuses a --config file that is missing, a directory or of an unknown type', async () => {
    const dir = repo({ 'policy.toml': 'concurrency = 2\n', 'conf/.keep': '' });
    const missing = await loadErrorOf(loadPolicy(dir, { configPath: 'nope.yaml' }));
    expect(missing.message).toBe(`${path.join(dir, 'nope.yaml')}: no such file (given with --config)`);
    expect(missing.file).toBe(path.join(dir, 'nope.yaml'));
    expect((await loadErrorOf(loadPolicy(dir, { configPath: 'conf' }))).message).toMatch(/conf: not a file/);
    expect((await loadErrorOf(loadPolicy(dir, { configPath: 'policy.toml' }))).message).toMatch(
      /policy\.toml: unknown file type; use \.yaml, \.yml, \.json, \.js, \.mjs, \.ts or a file with no extension$/,
    );
  });
});

describe('loadPolicy: broken files', () => {
  it('names a YAML syntax error with its position', async () => {
    const dir = repo({ '.codeairc.yaml': 'block:\n  severity: high\n    max: 2\n' });
    const error = await loadErrorOf(loadPolicy(dir, { stopDir: dir }));
    expect(error.message).toBe(
      `${path.join(dir, '.codeairc.yaml')}: cannot parse: bad indentation of a mapping entry (3:8); fix the syntax or run 'codeai-hook init --force'`,
    );
    expect(error.file).toBe(path.join(dir, '.codeairc.yaml'));
  });

  it('names a JSON syntax error on one line', async () => {
    const dir = repo({ '.codeairc.json': '{ "concurrency": 2, }' });
    const error = await loadErrorOf(loadPolicy(dir, { stopDir: dir }));
    expect(error.message).toMatch(/\.codeairc\.json: cannot parse: .*JSON.*; fix the syntax or run 'codeai-hook init --force'$/);
    expect(error.message).not.toContain('\n');
  });

  it('names a JS config that throws, by its first line', async () => {
    const dir = repo({ 'codeai.config.mjs': "throw new Error('no policy today\\nsecond line');\n" });
    const error = await loadErrorOf(loadPolicy(dir, { stopDir: dir }));
    expect(error.message).toBe(`${path.join(dir, 'codeai.config.mjs')}: cannot load: no policy today; fix the file or remove it`);
  });

  it('names a TS syntax error by line and column, and leaves no compiled file behind', async () => {
    const dir = repo({ 'codeai.config.ts': 'const policy: = {};\nexport default policy;\n' });
    const error = await loadErrorOf(loadPolicy(dir, { stopDir: dir }));
    expect(error.message).toBe(`${path.join(dir, 'codeai.config.ts')}: cannot load: 1:14: Unexpected "="; fix the file or remove it`);
    const ok = repo({ 'codeai.config.ts': 'export default { concurrency: 2 } satisfies object;\n' });
    await loadPolicy(ok, { stopDir: ok });
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(ok)).toEqual(['codeai.config.ts']);
  });

  it('reports a bad value with the file it came from', async () => {
    const dir = repo({ '.codeairc.yaml': 'block:\n  severity: hgh\n' });
    const error = await loadErrorOf(loadPolicy(dir, { stopDir: dir }));
    expect(error.message).toBe(
      `${path.join(dir, '.codeairc.yaml')}: block.severity is "hgh"; allowed: critical, high, medium, low, info, none`,
    );
    expect(error.key).toBe('block.severity');
  });
});
