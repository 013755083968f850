// Preloaded (NODE_OPTIONS=--require) by test/e2e/hook-modules.test.ts: writes, on exit, the name of every module of
// the CLI's bundles that the run initialised, and each git it started ("git <subcommand> ..."), one a line in the
// order they happened, to the file MODULE_PROBE_FILE names. esbuild wraps each
// bundled module in __esm (our ES modules and ES packages) or __commonJS (CommonJS packages), run on the module's
// first import; the launcher compiles each bundle with vm.Script, so the probe hands it a copy of the bundle whose
// wrappers also record the name (compiled from source: a code cache belongs to the unchanged text), and records the
// bundle itself as "bundle <file in dist>". The CLI's bundle without both wrappers is reported, so a changed esbuild
// fails the test instead of emptying the list; a package's bundle may hold only one kind (or none).
'use strict';
const childProcess = require('node:child_process');
const fs = require('node:fs');
const vm = require('node:vm');

const seen = [];
const problems = [];
globalThis.__codeaiModuleProbe = (name) => seen.push(name);
const ESM = /var __esm = \((\w+), \w+, \w+\) => function __init\(\) \{\n/;
const CJS = /var __commonJS = \((\w+), (\w+)\) => function __require\(\) \{\n/;
const Script = vm.Script;
vm.Script = function ProbedScript(source, options = {}) {
  let text = String(source);
  const file = String(options.filename);
  const inDist = file.replace(/\\/g, '/').replace(/^.*\/dist\//, '');
  seen.push(`bundle ${inDist}`);
  if (inDist === 'cli.cjs' && !(ESM.test(text) && CJS.test(text))) problems.push(`not instrumented: ${file}`);
  text = text
    .replace(ESM, (head, fn) => `${head}  if (${fn}) globalThis.__codeaiModuleProbe(__getOwnPropNames(${fn})[0]);\n`)
    .replace(CJS, (head, cb, mod) => `${head}  if (!${mod}) globalThis.__codeaiModuleProbe(__getOwnPropNames(${cb})[0]);\n`);
  const { cachedData: _cache, ...rest } = options;
  return new Script(text, rest);
};
// The bundle calls spawn through the module object, so this sees every git it starts: named by its words after
// the `-c key=value` settings.
const spawn = childProcess.spawn;
childProcess.spawn = function probedSpawn(command, args, ...rest) {
  if (command === 'git' && Array.isArray(args)) {
    const words = [];
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '-c') i++;
      else words.push(args[i]);
    }
    seen.push(`git ${words.slice(0, 2).join(' ')}`);
  }
  return spawn.call(this, command, args, ...rest);
};
// Node's own modules the run loaded, as `node:<name>` (process.moduleLoadList: Node's record of them; a Node without
// it is reported, so the test fails instead of seeing none).
function builtins() {
  if (!Array.isArray(process.moduleLoadList)) return ['not instrumented: process.moduleLoadList'];
  return process.moduleLoadList.filter((m) => m.startsWith('NativeModule ') && !m.includes('internal/')).map((m) => `node:${m.slice(13)}`);
}
process.on('exit', () => fs.writeFileSync(process.env.MODULE_PROBE_FILE, [...problems, ...seen, ...builtins()].join('\n')));
