// test/fakes/serve.ts, the command-line fake the benchmark and manual tries start: URL first on stdout, the same
// answer after the fixed latency to every call, and a clean exit on SIGTERM or when its stdin pipe closes.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createOllamaProvider } from '../../src/providers/ollama.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'codeai-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function serve(args: string[]): { child: ChildProcessWithoutNullStreams; url: Promise<string>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/fakes/serve.ts'), ...args], { cwd: ROOT });
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (data: Buffer) => {
      out += data.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
    });
    child.on('exit', (code) => reject(new Error(`serve.ts exited with ${code} before printing its URL`)));
  });
  url.catch(() => undefined); // a test that expects an early exit does not wait for the URL
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, url, exit };
}

describe('serve.ts', () => {
  it('prints its URL first and answers every call with the findings after the latency; SIGTERM exits 0', async () => {
    const findings = [{ file: 'a.js', line: 2, severity: 'low', category: 'style', title: 'Naming', message: 'Rename.' }];
    const file = path.join(dir, 'findings.json');
    writeFileSync(file, JSON.stringify({ findings }));
    const { child, url, exit } = serve(['ollama', '--latency', '120', '--findings-file', file, '--models', 'bench-model']);
    const base = await url;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const provider = createOllamaProvider({ name: 'ollama', model: 'bench-model', baseURL: base, requestTimeoutMs: 3000 });
    const request = { system: 's', messages: [{ role: 'user' as const, content: 'd' }], schema: {}, maxTokens: 50 };
    for (let i = 0; i < 2; i++) {
      const started = Date.now();
      expect(JSON.parse(await provider.review(request, new AbortController().signal))).toEqual({ findings });
      expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    }
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('exits when its stdin pipe closes, and refuses an unknown protocol', async () => {
    const running = serve(['anthropic']);
    expect(await running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    running.child.stdin.end();
    expect(await running.exit).toBe(0);

    const wrong = serve(['gemini']);
    expect(await wrong.exit).toBe(2);
  });
});
