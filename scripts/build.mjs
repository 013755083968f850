// The build: a type check, then these outputs in dist/:
// - dist/cli.cjs: the whole CLI in one bundle, run by the launcher as a function compiled from V8's code cache
//   (src/launcher.ts): bundling saved ~40 ms of ES module loading on every commit, the cache ~40 ms of compiling.
//   Code reached only through import() (each command, the YAML and config machinery) is bundled but runs only when
//   imported. `import.meta.url` is the bundle's own file URL, handed in by the launcher.
// - dist/sdk/<client>.cjs: each model SDK in a bundle of its own, loaded (through the same cache) only when its
//   provider calls a model: importing @anthropic-ai/sdk from node_modules read 223 files (~185 ms a commit); the
//   built-in rules load none (test/e2e/bundle.test.ts). dist/lib/lsp.cjs likewise holds vscode-languageserver and its
//   kin, for `codeai-hook lsp` alone (test/e2e/lsp-bundle.test.ts). In the CLI bundle an import of one of these
//   packages is a stub that asks the launcher for its bundle.
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
/** Bundles of their own, loaded only when first imported: each model SDK, and the language server's libraries. */
const LAZY = [
  { out: 'sdk/ollama.cjs', packages: ['ollama'] },
  { out: 'sdk/openai.cjs', packages: ['openai'] },
  // Only what src/providers/anthropic.ts builds its client from: the Anthropic class brings every other resource of
  // the API, four times the code (1.36 MB), which cost every Anthropic commit ~20 ms more to load (--cpu-prof).
  { out: 'sdk/anthropic.cjs', packages: ['@anthropic-ai/sdk/client', '@anthropic-ai/sdk/resources/messages/messages'], only: { '@anthropic-ai/sdk/client': ['BaseAnthropic'], '@anthropic-ai/sdk/resources/messages/messages': ['Messages'] } },
  // One bundle for the three: they share vscode-jsonrpc, whose classes must be the same for all of them.
  { out: 'lib/lsp.cjs', packages: ['vscode-languageserver', 'vscode-languageserver-protocol/node', 'vscode-languageserver-textdocument'] },
  // Never run by a commit (git is spawned directly there, the policy's YAML parsed by js-yaml alone), yet with their
  // dependencies (debug, @babel/code-frame, a second js-yaml) a quarter of the CLI bundle, which every commit reads
  // and whose code cache it deserialises: 1.22 → 0.91 MB, the hook's cache 589 → 543 KB.
  { out: 'lib/simple-git.cjs', packages: ['simple-git'] },
  { out: 'lib/cosmiconfig.cjs', packages: ['cosmiconfig'] },
];
const common = { bundle: true, platform: 'node', target: 'node20', legalComments: 'linked', logLevel: 'warning', charset: 'ascii' };

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--noEmit'], { stdio: 'inherit' });
rmSync('dist', { recursive: true, force: true });

// Each package as its ES module entry (the one `import()` gave before), a namespace per package, default included.
/** package → where the CLI bundle finds it: the bundle, the namespace's key in it, and its export names. */
const lazyOf = {};
for (const { out, packages, only = {} } of LAZY) {
  // A package's namespace, or (`only`) just the names given, so that the rest of the package is left out.
  const entry = (pkg, i) =>
    only[pkg]
      ? `import { ${only[pkg].map((n) => `${n} as p${i}_${n}`).join(', ')} } from '${pkg}';\nexport const p${i} = { ${only[pkg].map((n) => `${n}: p${i}_${n}`).join(', ')} };`
      : `export * as p${i} from '${pkg}';`;
  await build({
    ...common,
    stdin: { contents: packages.map(entry).join('\n'), resolveDir: process.cwd(), loader: 'js' },
    format: 'cjs',
    outfile: `dist/${out}`,
    // Our Headers in place of Node's, whose first use loads undici (src/providers/sdk-globals.ts).
    ...(out.startsWith('sdk/') ? { inject: ['src/providers/sdk-globals.ts'], define: { 'globalThis.ReadableStream': '__codeaiSdkReadableStream' } } : {}),
  });
  const loaded = require(path.resolve('dist', out));
  packages.forEach((pkg, i) => {
    const names = Object.keys(loaded[`p${i}`]).filter((k) => k !== 'default' && k !== '__esModule');
    lazyOf[pkg] = { out, key: `p${i}`, names };
  });
}

/** In the CLI bundle, `import('openai')` and the like: the launcher's load of the package's own bundle. */
const lazyStubs = {
  name: 'lazy-stubs',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(lazyOf).map((k) => k.replace(/[/@.-]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'lazy-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-stub' }, (args) => {
      const { out, key, names } = lazyOf[args.path];
      return {
        contents: [
          `const ns = __codeaiHost.loadChunk(${JSON.stringify(out)})[${JSON.stringify(key)}];`,
          'export default ns.default;',
          `export const { ${names.join(', ')} } = ns;`,
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};

await build({
  ...common,
  entryPoints: ['src/bin.ts'],
  outfile: 'dist/cli.cjs',
  format: 'cjs',
  external: ['husky', 'typescript', 'esbuild'],
  define: { 'import.meta.url': '__codeaiImportMetaUrl' },
  plugins: [lazyStubs],
});

const hashes = Object.fromEntries(
  ['cli.cjs', ...LAZY.map((l) => l.out)].map((name) => [name, createHash('sha256').update(readFileSync(path.join('dist', name))).digest('hex').slice(0, 16)]),
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
