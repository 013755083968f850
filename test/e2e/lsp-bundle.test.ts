// The language server must not cost the hook anything at start-up. In the build (scripts/build.mjs) its libraries
// (vscode-languageserver and kin) are a bundle of their own, dist/lib/lsp.cjs, which the launcher loads only when the
// lsp command imports them; the server's own code sits in the CLI bundle inside esbuild's lazy module wrappers, run
// only when imported. Read from dist as npm test builds it, and checked at run time: the launcher keeps a code cache
// file for every bundle it loads, and a `run` leaves none for the server's libraries.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, TestRepo } from './harness.js';

const DIST = path.join(ROOT, 'dist');

// Strings only the server's libraries hold.
const LIBRARY_MARKS = ['textDocument/publishDiagnostics', 'node_modules/vscode-languageserver', 'node_modules/vscode-jsonrpc', 'Content-Length: '];

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

describe('the language server is loaded only by lsp', () => {
  it('dist/bin.js and dist/cli.cjs hold none of its libraries; dist/lib/lsp.cjs holds them', () => {
    for (const file of ['bin.js', 'cli.cjs']) {
      const text = readFileSync(path.join(DIST, file), 'latin1');
      for (const mark of LIBRARY_MARKS) expect(text.includes(mark), `${file} holds '${mark}'`).toBe(false);
    }
    const lib = readFileSync(path.join(DIST, 'lib', 'lsp.cjs'), 'latin1');
    for (const mark of LIBRARY_MARKS) expect(lib).toContain(mark);
  });

  it("the server's own code runs only when imported, and a run loads no library bundle", () => {
    const cli = readFileSync(path.join(DIST, 'cli.cjs'), 'latin1');
    for (const module of ['src/lsp/server.ts', 'src/commands/lsp.ts']) {
      expect(cli).toMatch(new RegExp(`= __esm\\(\\{\\n  "${module.replace(/[/.]/g, '\\$&')}"\\(\\) \\{`));
    }
    repo = new TestRepo();
    repo.write('.codeairc.yaml', 'provider: builtin\n');
    repo.write('a.js', 'export const a = 1;\n');
    repo.git('add', '.');
    const r = repo.cli(['run']);
    expect(r.code, r.stderr).toBe(0);
    const cached = readdirSync(path.join(repo.home, '.cache', 'codeai-hook', 'v8'));
    expect(cached.some((f) => f.startsWith('cli-cjs-'))).toBe(true);
    // Neither the server's libraries nor any model client: the built-in path loads only the CLI.
    expect(cached.filter((f) => !f.startsWith('cli-cjs-'))).toEqual([]);
  });
});
