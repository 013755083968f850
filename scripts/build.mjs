// The build: a type check, then one bundled ESM entry (dist/bin.js) with each command in a lazily loaded chunk.
// Bundling saves ~40 ms of module loading on every commit (measured, see README "Benchmarks"); the model SDKs stay
// separate packages, loaded only when a model is called, and husky stays a package because it copies a file that
// sits beside its own module.
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--noEmit'], { stdio: 'inherit' });
rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/bin.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['husky', 'ollama', 'openai', '@anthropic-ai/sdk', 'typescript', 'esbuild'],
  // Bundled CommonJS dependencies (cosmiconfig, simple-git) call require(); ESM has none of its own.
  banner: { js: "import { createRequire as __codeaiRequire } from 'node:module'; const require = __codeaiRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'linked',
  logLevel: 'warning',
});
chmodSync('dist/bin.js', 0o755);
