import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

describe('loadPolicy: hostile files end in one config error, promptly', () => {
  const short = { CODEAI_CONFIG_TIMEOUT_MS: '300' };

  it('refuses a FIFO, a device or a folder where a policy file is looked for, instead of waiting on it', async () => {
    const fifo = repo({});
    execFileSync('mkfifo', [path.join(fifo, '.codeairc.yaml')]);
    expect((await loadErrorOf(loadPolicy(fifo, { stopDir: fifo }))).message).toBe(
      `${path.join(fifo, '.codeairc.yaml')}: not a regular file (a FIFO, device or folder); a policy must be a plain file: remove or replace it`,
    );
    const device = repo({});
    symlinkSync('/dev/zero', path.join(device, '.codeairc'));
    expect((await loadErrorOf(loadPolicy(device, { stopDir: device }))).message).toMatch(/\.codeairc: not a regular file/);
    const folder = repo({ '.codeairc.json/x': '' });
    expect((await loadErrorOf(loadPolicy(folder, { stopDir: folder }))).message).toMatch(/\.codeairc\.json: not a regular file/);
  });

  it.each([
    ['a promise that never settles', 'codeai.config.mjs', 'await new Promise(() => {});\nexport default {};\n', /did not finish loading within 0\.3 s/],
    ['an exported promise that never settles', 'codeai.config.mjs', 'export default new Promise(() => {});\n', /did not finish loading within 0\.3 s/],
    ['the same in TypeScript', 'codeai.config.ts', 'export default new Promise<object>(() => {});\n', /did not finish loading within 0\.3 s/],
    ['a rejection nobody awaits', 'codeai.config.mjs', "Promise.reject(new Error('late boom'));\nexport default {};\n", /cannot load: late boom \(a promise rejected and nobody awaited it\)/],
    ['an exception, by its own message', 'codeai.config.mjs', "const x = undefined;\nexport default { provider: x.name };\n", /cannot load: Cannot read properties of undefined \(reading 'name'\); fix the file/],
    ['an exception in CommonJS', '.codeairc.js', "throw new TypeError('bad cjs');\n", /cannot load: bad cjs; fix the file/],
    ['an object holding itself', 'codeai.config.mjs', 'const a = { instructions: "x" }; a.overrides = [a];\nexport default a;\n', /overrides\[0\] refers back to itself/],
  ])('%s', async (_name, file, text, message) => {
    const dir = repo({ [file]: text });
    const started = Date.now();
    const error = await loadErrorOf(loadPolicy(dir, { stopDir: dir, env: short }));
    expect(error.message).toMatch(message);
    expect(error.message).toContain(path.join(dir, file));
    expect(error.message).not.toContain('\n');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses a recursive YAML alias and an alias bomb without walking the expansion', async () => {
    const recursive = repo({ '.codeairc.yaml': 'overrides: &a [*a]\n' });
    expect((await loadErrorOf(loadPolicy(recursive, { stopDir: recursive }))).message).toMatch(/overrides\[0\] refers back to itself/);
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(9).fill(`*${'abcdefghij'[i - 1]}`).join(',')}]`);
    const started = Date.now();
    const bomb = repo({ '.codeairc.yaml': `${levels.join('\n')}\n` });
    expect((await loadErrorOf(loadPolicy(bomb, { stopDir: bomb }))).message).toMatch(/unknown key "a"/);
    const underKey = repo({ '.codeairc.yaml': `x-defs:\n${levels.map((l) => `  ${l}`).join('\n')}\noverrides: *i\n`.replace('x-defs', 'instructions') });
    expect((await loadErrorOf(loadPolicy(underKey, { stopDir: underKey }))).message).toMatch(/instructions is \{"a":\["lol"/);
    expect(Date.now() - started).toBeLessThan(2000);
    const huge = repo({ 'codeai.config.mjs': 'export default { include: Array.from({ length: 20000 }, (_, i) => `src/${i}/**`) };\n' });
    expect((await loadErrorOf(loadPolicy(huge, { stopDir: huge }))).message).toMatch(/more than 10000 values/);
  });

  it('names a broken package.json, and ignores cosmiconfig\'s $import', async () => {
    const broken = repo({ 'package.json': '{ "name": "x", \n' });
    expect((await loadErrorOf(loadPolicy(broken, { stopDir: broken }))).message).toMatch(
      new RegExp(`^${path.join(broken, 'package.json').replace(/[.]/g, '\\.')}: cannot parse: .+; fix the syntax`),
    );
    const imports = repo({ '.codeairc.yaml': '$import: /dev/stdin\n' });
    expect((await loadErrorOf(loadPolicy(imports, { stopDir: imports }))).message).toMatch(/unknown key "\$import"/);
  });

  it('compiles a TypeScript config in memory: its imports resolve beside it and no file is written anywhere', async () => {
    const dir = repo({
      'shared.cjs': 'module.exports = { concurrency: 3 };\n',
      'codeai.config.ts': "import shared from './shared.cjs';\nexport default { ...shared } satisfies object;\n",
    });
    const before = readdirSync(os.tmpdir()).length;
    expect((await loadPolicy(dir, { stopDir: dir })).policy.concurrency).toBe(3);
    expect(readdirSync(dir).sort()).toEqual(['codeai.config.ts', 'shared.cjs']);
    expect(readdirSync(os.tmpdir()).length).toBeLessThanOrEqual(before);
  });
});

describe('loadPolicy while git is still finding the top level (stopDir a promise)', () => {
  it('reads the nearest folder at once, and the folders above once the top level is known', async () => {
    const dir = repo({ '.codeairc.yaml': 'concurrency: 2\n', 'pkg/src/.keep': '' });
    let release!: (top: string) => void;
    const top = new Promise<string>((resolve) => (release = resolve));
    // The nearest folder's file needs no top level.
    const nested = repo({ '.codeairc.yaml': 'concurrency: 3\n' });
    expect((await loadPolicy(nested, { stopDir: new Promise<string>(() => undefined) })).policy.concurrency).toBe(3);
    // From a package with no policy of its own, the search goes up only once git answered.
    const pending = loadPolicy(path.join(dir, 'pkg/src'), { stopDir: top });
    let settled = false;
    void pending.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    release(dir);
    expect((await pending).file).toBe(path.join(dir, '.codeairc.yaml'));
  });

  it('runs no JS config when git finds no repository: the module waits for the top level', async () => {
    const marker = path.join(root, `ran-${count}`);
    const dir = repo({ '.codeairc.mjs': `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport default {};\n` });
    const noRepository = Promise.reject(new Error('not a repository'));
    noRepository.catch(() => undefined); // as openSession marks it: awaited only when a config needs it
    await expect(loadPolicy(dir, { stopDir: noRepository })).rejects.toThrow('not a repository');
    await expect(loadPolicy(dir, { configPath: '.codeairc.mjs', stopDir: noRepository })).rejects.toThrow('not a repository');
    expect(readdirSync(root)).not.toContain(path.basename(marker));
  });
});
