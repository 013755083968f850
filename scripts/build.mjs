// The build: a type check, then three kinds of output in dist/:
// - dist/cli.cjs: the whole CLI in one bundle, run by the launcher as a function compiled from V8's code cache
//   (src/launcher.ts): bundling saved ~40 ms of ES module loading on every commit, the cache ~40 ms of compiling.
//   Code reached only through import() (each command, the YAML and config machinery) is bundled but runs only when
//   imported. `import.meta.url` is the bundle's own file URL, handed in by the launcher.
// - dist/sdk/<client>.cjs: each model SDK in a bundle of its own, loaded (through the same cache) only when its
//   provider calls a model: importing @anthropic-ai/sdk from node_modules read 223 files (~185 ms a commit); the
//   built-in rules load none (test/e2e/bundle.test.ts). In the CLI bundle an import() of an SDK is a stub that asks
//   the launcher for that bundle.
// - dist/bin.js: the launcher, holding each bundle's content hash (the cache key). CommonJS (dist/package.json): the
//   ES module loader for this one file cost ~10 ms a commit.
// husky stays a package (loaded with import(), external-import.ts) because it copies a file that sits beside its own
// module; typescript and esbuild are found in the user's project when a TypeScript config needs them.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const SDKS = { ollama: 'sdk/ollama.cjs', openai: 'sdk/openai.cjs', '@anthropic-ai/sdk': 'sdk/anthropic.cjs' };
const common = { bundle: true, platform: 'node', target: 'node20', legalComments: 'linked', logLevel: 'warning', charset: 'ascii' };

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--noEmit'], { stdio: 'inherit' });
rmSync('dist', { recursive: true, force: true });

// Each SDK, as its ES module entry (the one `import()` gave before), with its default export kept.
const exportsOf = {};
for (const [pkg, out] of Object.entries(SDKS)) {
  await build({
    ...common,
    stdin: { contents: `export * from '${pkg}';\nexport { default } from '${pkg}';\n`, resolveDir: process.cwd(), loader: 'js' },
    format: 'cjs',
    outfile: `dist/${out}`,
    // Our Headers in place of Node's, whose first use loads undici (src/providers/sdk-globals.ts).
    inject: ['src/providers/sdk-globals.ts'],
  });
  exportsOf[pkg] = Object.keys(require(path.resolve('dist', out))).filter((k) => k !== 'default' && k !== '__esModule');
}

/** In the CLI bundle, `import('openai')` and the like: the launcher's load of the SDK's own bundle. */
const sdkStubs = {
  name: 'sdk-stubs',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(SDKS).map((k) => k.replace(/[/@.-]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'sdk-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'sdk-stub' }, (args) => ({
      contents: [
        `const sdk = __codeaiHost.loadChunk(${JSON.stringify(SDKS[args.path])});`,
        'export default sdk.default;',
        `export const { ${exportsOf[args.path].join(', ')} } = sdk;`,
      ].join('\n'),
      loader: 'js',
    }));
  },
};

await build({
  ...common,
  entryPoints: ['src/bin.ts'],
  outfile: 'dist/cli.cjs',
  format: 'cjs',
  external: ['husky', 'typescript', 'esbuild'],
  define: { 'import.meta.url': '__codeaiImportMetaUrl' },
  plugins: [sdkStubs],
});

const hashes = Object.fromEntries(
  ['cli.cjs', ...Object.values(SDKS)].map((name) => [name, createHash('sha256').update(readFileSync(path.join('dist', name))).digest('hex').slice(0, 16)]),
);
await build({
  ...common,
  entryPoints: ['src/launcher.ts'],
  outfile: 'dist/bin.js',
  format: 'cjs',
  define: { CODEAI_BUNDLE_HASHES: JSON.stringify(hashes) },
});
writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');
chmodSync('dist/bin.js', 0o755);
