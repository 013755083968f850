// The built package carries each model client in a bundle of its own (dist/sdk/*.cjs, scripts/build.mjs), loaded only
// when its provider calls a model: a copy of dist/ with no node_modules at all reviews through the three real clients,
// the CLI bundle holds none of their code, and with the client bundles deleted the built-in rules still run, so the
// built-in path never loads a client (the file would be missing).
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, startFakeOllama, startFakeOpenAI, type FakeServer } from '../fakes/index.js';
import { finding, ROOT, TestRepo } from './harness.js';

const FAKE_KEY = 'AKIA' + 'Z7QWERTYUIOPASDF';
const API_KEY = 'sk-bundle-0123456789abcdefghijklmnopqrstuvwxyz';
const CLIENTS = ['ollama', 'openai', '@anthropic-ai/sdk'];

let pkg: string;
let ollama: FakeServer;
let openai: FakeServer;
let anthropic: FakeServer;

beforeAll(async () => {
  // package.json and dist/ only, as a copy: nothing to resolve a client package from.
  pkg = mkdtempSync(path.join(os.tmpdir(), 'codeai-bundle-'));
  cpSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
  cpSync(path.join(ROOT, 'dist'), path.join(pkg, 'dist'), { recursive: true });
  [ollama, openai, anthropic] = await Promise.all([startFakeOllama({ models: ['m'] }), startFakeOpenAI(), startFakeAnthropic()]);
});
afterAll(async () => {
  rmSync(pkg, { recursive: true, force: true });
  await Promise.all([ollama?.close(), openai?.close(), anthropic?.close()]);
});

function staged(config: string, content: string): TestRepo {
  const repo = new TestRepo();
  repo.write('.codeairc.yaml', config);
  repo.write('src/a.js', content);
  repo.git('add', '.');
  return repo;
}

function runCopy(repo: TestRepo, env: NodeJS.ProcessEnv = {}) {
  return repo.runAsync(process.execPath, [path.join(pkg, 'dist', 'bin.js'), 'run'], { env });
}

/** Whether a bundle holds a client's code (esbuild names each bundled file in a comment). */
function holdsClient(file: string): boolean {
  const text = readFileSync(file, 'latin1');
  return CLIENTS.some((c) => text.includes(`// node_modules/${c}/`));
}

describe('each model client is bundled into a chunk of its own provider', () => {
  it('reviews through Ollama, OpenAI and Anthropic with no node_modules beside the package, never loading undici', async () => {
    const cases = [
      { fake: ollama, config: `provider: ollama\nmodel: m\nbaseURL: ${ollama.url}\n`, env: {} },
      { fake: openai, config: `provider: openai\nmodel: m\nbaseURL: ${openai.url}\n`, env: { OPENAI_API_KEY: API_KEY } },
      { fake: anthropic, config: `provider: anthropic\nmodel: m\nbaseURL: ${anthropic.url}\n`, env: { ANTHROPIC_API_KEY: API_KEY } },
    ];
    for (const c of cases) {
      const repo = staged(c.config, 'export const a = 1;\n');
      try {
        c.fake.enqueue({ findings: [finding('src/a.js', 1, 'high', 'Bundled client answered')] });
        const probe = path.join(repo.home, 'undici');
        const streams = path.join(repo.home, 'web-streams');
        const preload = `--require ${path.join(ROOT, 'test', 'e2e', 'undici-probe.cjs')}`;
        const r = await runCopy(repo, { ...c.env, NODE_OPTIONS: preload, UNDICI_PROBE_FILE: probe, WEB_STREAMS_PROBE_FILE: streams });
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).toContain('Bundled client answered');
        // Node's undici (its fetch, Headers, FormData) costs ~35 ms to load: no client may touch it (sdk-globals.ts).
        expect(readFileSync(probe, 'utf8')).toBe('not loaded');
        // Nor Node's web streams (~7 ms with the first reader released): the body is ours (body-stream.ts).
        expect(readFileSync(streams, 'utf8')).toBe('not loaded');
      } finally {
        repo.cleanup();
      }
    }
  });

  it('with every client chunk deleted, the built-in rules still block and pass; a model provider cannot load', async () => {
    const sdk = path.join(pkg, 'dist', 'sdk');
    const chunks = readdirSync(sdk).map((f) => path.join(sdk, f)).filter((f) => f.endsWith('.cjs'));
    // Ollama's, OpenAI's and Anthropic's code, each in its own file, none in the CLI bundle.
    expect(chunks.filter(holdsClient)).toHaveLength(3);
    expect(holdsClient(path.join(pkg, 'dist', 'cli.cjs'))).toBe(false);
    for (const f of chunks) rmSync(f);

    const blocked = staged('provider: builtin\n', `const key = '${FAKE_KEY}';\n`);
    const clean = staged('provider: builtin\n', 'export const a = 1;\n');
    const model = staged(`provider: ollama\nmodel: m\nbaseURL: ${ollama.url}\n`, 'export const a = 1;\n');
    try {
      const b = await runCopy(blocked);
      expect(b.code, b.stderr).toBe(1);
      expect(b.stderr).toContain('src/a.js');
      const c = await runCopy(clean);
      expect(c.code, c.stderr).toBe(0);
      // The deletion is real: a provider that needs its client now fails.
      const m = await runCopy(model);
      expect(m.code).not.toBe(0);
      expect(m.code).not.toBe(1);
    } finally {
      for (const r of [blocked, clean, model]) r.cleanup();
    }
  });
});
