// The build: a type check, then one bundled ESM entry (dist/bin.js) with each command in a lazily loaded chunk.
// Bundling saves ~40 ms of module loading on every commit (measured, see README "Benchmarks"). Each model SDK is
// bundled too, into the chunk its provider import()s when a model is called: importing @anthropic-ai/sdk from
// node_modules read 223 files (~185 ms a commit), one chunk reads one; the built-in rules load none of them
// (test/e2e/bundle.test.ts). husky stays a package because it copies a file that sits beside its own module.
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
  external: ['husky', 'typescript', 'esbuild'],
  // Bundled CommonJS dependencies (cosmiconfig, simple-git) call require(); ESM has none of its own.
  banner: { js: "import { createRequire as __codeaiRequire } from 'node:module'; const require = __codeaiRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'linked',
  logLevel: 'warning',
});
chmodSync('dist/bin.js', 0o755);
