// The language server must not cost the hook anything at start-up: in the built bundle, what `codeai-hook run` loads
// (dist/bin.js and, statically, its command's chunk and what that imports) holds none of the server's code and none
// of vscode-languageserver; only the lsp command's chunk does. Read from dist as npm test builds it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './harness.js';

const DIST = path.join(ROOT, 'dist');

/** Every file a module loads before it runs: itself and its static imports, transitively (dynamic import() is not). */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s*(?:[^'"();]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+)["'];?/gm)) visit(path.resolve(path.dirname(file), m[1]!));
  };
  visit(entry);
  return seen;
}

/** The chunk of a command, by the name esbuild gives it (run-HASH.js). */
function commandChunk(name: string): string {
  const file = readdirSync(path.join(DIST, 'chunks')).find((f) => f.startsWith(`${name}-`) && f.endsWith('.js'));
  if (!file) throw new Error(`no chunk for the ${name} command in dist/chunks: run npm run build`);
  return path.join(DIST, 'chunks', file);
}

// Strings only the server's code and its libraries hold.
const SERVER_MARKS = ['textDocument/publishDiagnostics', 'codeai-hook.explain', 'vscode-languageserver', 'Content-Length: '];

describe('the lsp chunk is loaded only by lsp', () => {
  it('what run loads before it runs holds none of the server or its libraries', () => {
    const loaded = [...staticClosure(path.join(DIST, 'bin.js')), ...staticClosure(commandChunk('run'))];
    expect(loaded.length).toBeGreaterThan(2);
    for (const file of loaded) {
      const text = readFileSync(file, 'utf8');
      for (const mark of SERVER_MARKS) expect(text.includes(mark), `${path.relative(DIST, file)} holds '${mark}'`).toBe(false);
    }
  });

  it('the lsp chunk holds the server, and bin.js reaches it only through a dynamic import', () => {
    const lsp = commandChunk('lsp');
    const closure = [...staticClosure(lsp)].map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const mark of SERVER_MARKS) expect(closure).toContain(mark);
    expect(readFileSync(path.join(DIST, 'bin.js'), 'utf8')).toMatch(/import\(["']\.\/chunks\/lsp-[A-Z0-9]+\.js["']\)/);
  });
});
