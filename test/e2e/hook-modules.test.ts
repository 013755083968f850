// Which modules a commit loads, in the built CLI (test/e2e/module-probe.cjs lists each module of the bundle as it
// initialises). On the hook's path git is spawned directly (src/git/repo.ts, objects.ts, function-context.ts):
// loading simple-git and its per-call argv checks cost a commit ~8 ms. The policy's YAML is parsed by js-yaml alone
// (src/policy/parse-text.ts): cosmiconfig's index cost ~4 ms. simple-git stays the client of every other git call.
// A built-in review loads neither node:crypto nor node:fs/promises (src/node-builtin.ts).
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeServer } from '../fakes/index.js';
import { finding, ROOT, TestRepo } from './harness.js';

const PROBE = path.join(ROOT, 'test', 'e2e', 'module-probe.cjs');
const SIMPLE_GIT = /^node_modules\/(simple-git|@simple-git|@kwsites)\//;
const COSMICONFIG = /^node_modules\/cosmiconfig\//;
/** The bundles of their own that simple-git and cosmiconfig are built into (scripts/build.mjs). */
const PACKAGE_BUNDLES = ['bundle lib/simple-git.cjs', 'bundle lib/cosmiconfig.cjs'];

let ollama: FakeServer;
beforeAll(async () => {
  ollama = await startFakeOllama({ models: ['m'] });
});
afterAll(async () => {
  await ollama?.close();
});

/** The exit code, stderr and the bundle's modules the run initialised. */
async function probed(repo: TestRepo, args: string[]): Promise<{ code: number; stderr: string; modules: string[] }> {
  const file = path.join(repo.home, 'modules.txt');
  const r = await repo.cliAsync(args, { env: { NODE_OPTIONS: `--require ${PROBE}`, MODULE_PROBE_FILE: file } });
  const modules = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  expect(modules.filter((m) => m.startsWith('not instrumented'))).toEqual([]);
  return { code: r.code, stderr: r.stderr, modules };
}

function stagedRepo(config: string): TestRepo {
  const repo = new TestRepo();
  repo.write('.codeairc.yaml', config);
  repo.write('src/a.js', 'export function a() {\n  return 1;\n}\n');
  repo.git('add', '.');
  repo.git('commit', '-q', '--no-verify', '-m', 'start');
  repo.write('src/a.js', 'export function a() {\n  return 2;\n}\n');
  repo.git('add', '.');
  return repo;
}

describe('the modules a commit loads', () => {
  it('a built-in review with a YAML policy: js-yaml for the policy, neither simple-git nor cosmiconfig', async () => {
    const repo = stagedRepo('provider: builtin\nexclude: ["docs/**"]\n');
    try {
      const r = await probed(repo, ['run']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('provider: builtin in .codeairc.yaml');
      expect(r.modules).toContain('src/pipeline.ts');
      expect(r.modules.some((m) => m.startsWith('node_modules/js-yaml/'))).toBe(true);
      expect(r.modules.filter((m) => SIMPLE_GIT.test(m) || COSMICONFIG.test(m) || PACKAGE_BUNDLES.includes(m))).toEqual([]);
      // Nothing is hashed (src/node-builtin.ts): loading node:crypto cost such a commit ~4 ms.
      expect(r.modules).toContain('node:child_process');
      expect(r.modules).not.toContain('node:crypto');
      // Nor node:fs/promises (~1.5 ms to import): such a commit reads its few small files synchronously.
      expect(r.modules).not.toContain('node:fs/promises');
      // Exactly the two gits a commit needs, both started before the rest of the CLI (the rule tables first of all)
      // initialises (src/hook-start.ts), so they run while it loads.
      const gits = r.modules.filter((m) => m.startsWith('git '));
      expect(gits).toEqual(['git diff --cached', 'git rev-parse --show-toplevel']);
      const firstOfCli = Math.min(...['src/terminal.ts', 'src/cli.ts', 'src/rules/scan.ts'].map((m) => r.modules.indexOf(m)).filter((i) => i >= 0));
      expect(r.modules.indexOf('git rev-parse --show-toplevel')).toBeLessThan(firstOfCli);
      expect(r.modules.indexOf('git diff --cached')).toBeLessThan(firstOfCli);
    } finally {
      repo.cleanup();
    }
  });

  it('a skipped run (CODEAI_SKIP=1) and `run --help` start no git', async () => {
    const repo = stagedRepo('provider: builtin\n');
    try {
      for (const [args, env] of [[['run'], { CODEAI_SKIP: '1' }], [['run', '--help'], {}]] as const) {
        const file = path.join(repo.home, 'modules.txt');
        const r = await repo.cliAsync([...args], { env: { ...env, NODE_OPTIONS: `--require ${PROBE}`, MODULE_PROBE_FILE: file } });
        expect(r.code, r.stderr).toBe(0);
        expect(readFileSync(file, 'utf8').split('\n').filter((m) => m.startsWith('git '))).toEqual([]);
      }
    } finally {
      repo.cleanup();
    }
  });

  it('a review by a model, with the wider context from git: no simple-git either', async () => {
    const repo = stagedRepo(`provider: ollama\nmodel: m\nbaseURL: ${ollama.url}\nscopeContext: true\n`);
    try {
      ollama.enqueue({ findings: [finding('src/a.js', 2, 'high', 'Model saw the function')] });
      const r = await probed(repo, ['run']);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('Model saw the function');
      expect(r.modules).toContain('src/git/function-context.ts');
      expect(r.modules).toContain('node:crypto'); // the unit's id and the findings cache hash
      expect(r.modules.filter((m) => SIMPLE_GIT.test(m) || COSMICONFIG.test(m) || PACKAGE_BUNDLES.includes(m))).toEqual([]);
      // The wider context's three gits (the user's attributes file, the new sides, the function-context diff) start
      // before the provider is even chosen (that is, beside the built-in scan), not on the way to the model
      // (session/review.ts), and once for the review, not per group of files (session/scope-context.ts).
      const gits = r.modules.filter((m) => m.startsWith('git '));
      expect(gits).toEqual(['git diff --cached', 'git rev-parse --show-toplevel', 'git config --path', 'git cat-file --batch', 'git --literal-pathspecs diff']);
      expect(r.modules.indexOf('git --literal-pathspecs diff')).toBeLessThan(r.modules.indexOf('src/providers/choose.ts'));
    } finally {
      repo.cleanup();
    }
  });

  it('the wider context started early leaves no temporary folder when the review then fails (a missing API key)', async () => {
    const repo = stagedRepo('provider: anthropic\nmodel: m\nscopeContext: true\n');
    try {
      const tmp = path.join(repo.home, 'tmp');
      mkdirSync(tmp);
      const r = await repo.cliAsync(['run'], { env: { TMPDIR: tmp, ANTHROPIC_API_KEY: '' } });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('ANTHROPIC_API_KEY');
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      repo.cleanup();
    }
  });

  it('a model policy whose change is all excluded starts the two gits of every commit and no other', async () => {
    const repo = stagedRepo(`provider: ollama\nmodel: m\nbaseURL: ${ollama.url}\nexclude: ["src/**"]\n`);
    try {
      const r = await probed(repo, ['run']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain("excluded by 'src/**'");
      expect(r.modules.filter((m) => m.startsWith('git '))).toEqual(['git diff --cached', 'git rev-parse --show-toplevel']);
    } finally {
      repo.cleanup();
    }
  });

  it('the probe sees simple-git where a command uses it (review --base checks its refs through it), and a JSON error through cosmiconfig', async () => {
    const repo = stagedRepo('provider: builtin\n');
    try {
      repo.git('commit', '-q', '--no-verify', '-m', 'second');
      const review = await probed(repo, ['review', '--base', 'HEAD~1']);
      expect(review.code, review.stderr).toBe(0);
      expect(review.modules.some((m) => SIMPLE_GIT.test(m))).toBe(true);
      expect(review.modules).toContain('bundle lib/simple-git.cjs');

      repo.write('.codeairc.json', '{ "concurrency": 2, }');
      repo.git('rm', '-q', '--cached', '.codeairc.yaml');
      repo.write('.codeairc.yaml', '');
      const broken = await probed(repo, ['run', '--config', '.codeairc.json']);
      expect(broken.code).toBe(2);
      expect(broken.stderr).toMatch(/\.codeairc\.json: cannot parse: .*JSON at position 20/);
      expect(broken.modules.some((m) => COSMICONFIG.test(m))).toBe(true);
      expect(broken.modules).toContain('bundle lib/cosmiconfig.cjs');
    } finally {
      repo.cleanup();
    }
  });
});
