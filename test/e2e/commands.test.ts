// `init` and `doctor` end to end: the built CLI in throw-away repositories, the model a FAKE Ollama on 127.0.0.1
// (reached through OLLAMA_HOST or baseURL, by the real `ollama` client). The harness default points OLLAMA_HOST at a
// closed port, so "nothing reachable" is the starting state of every repository here.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeServer } from '../fakes/index.js';
import { CLOSED_URL, TestRepo, type RunResult } from './harness.js';

let ollama: FakeServer;
beforeAll(async () => {
  // No qwen2.5-coder:7b (the default) among them: auto must pick the coder model the server lists, not assume one.
  ollama = await startFakeOllama({ models: ['llama3:8b', 'deepseek-coder:6.7b'] });
});
afterAll(() => ollama.close());

/** The non-empty stderr lines: "one line" claims are checked against this. */
function lines(r: RunResult): string[] {
  return r.stderr.split('\n').filter((l) => l.trim() !== '');
}

/** A repository that looks like a user's project before codeai-hook is set up: package linked, no config, no hook. */
function freshRepo(): TestRepo {
  const repo = new TestRepo();
  repo.linkPackage();
  return repo;
}

describe('codeai-hook init', () => {
  let repo: TestRepo;
  afterEach(() => repo?.cleanup());

  it('--yes with Ollama reachable: provider ollama and its model, hook installed, next step, the config loads back', async () => {
    repo = freshRepo();
    const env = { OLLAMA_HOST: ollama.url };
    const r = await repo.cliAsync(['init', '--yes'], { env });
    expect(r.code, r.stderr).toBe(0);
    const config = repo.read('.codeairc.yaml');
    expect(config).toMatch(/^provider: ollama$/m);
    expect(config).toMatch(/^model: deepseek-coder:6\.7b$/m);
    expect(r.stderr).toContain('wrote .codeairc.yaml');
    expect(r.stderr).toContain('ollama');
    expect(repo.read('.husky/pre-commit')).toContain('codeai-hook run');
    expect(r.stderr).toMatch(/^next: /m);

    // The file init wrote is a valid policy, and everything it set up checks out: doctor passes, probe included.
    const doctor = await repo.cliAsync(['doctor'], { env });
    expect(doctor.code, doctor.stderr).toBe(0);
    // doctor's report is its product: stdout, so `doctor | grep` works; nothing of it on stderr.
    expect(doctor.stdout).toContain('config: .codeairc.yaml');
    expect(doctor.stdout).toContain('model deepseek-coder:6.7b');
    expect(doctor.stderr).toBe('');
  });

  it('--yes with nothing reachable writes provider auto; run and doctor accept the file', () => {
    repo = freshRepo();
    const r = repo.cli(['init', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    const config = repo.read('.codeairc.yaml');
    expect(config).toMatch(/^provider: auto$/m);
    expect(config).not.toMatch(/^model:/m);
    expect(r.stderr).toMatch(/no model reachable/);
    expect(repo.read('.husky/pre-commit')).toContain('codeai-hook run');
    // codeai-hook is not in this package.json's devDependencies: that is left for the user, and must not look done.
    expect(r.stderr).toMatch(/^→ .*npm i -D codeai-hook/m);
    expect(r.stderr).not.toMatch(/^✔ .*npm i -D codeai-hook/m);

    const doctor = repo.cli(['doctor']);
    expect(doctor.code, doctor.stderr).toBe(0);
    expect(doctor.stdout).toContain('provider: built-in rules only');
    repo.write('a.js', 'export const a = 1;\n');
    repo.git('add', 'a.js');
    const run = repo.cli(['run']);
    expect(run.code, run.stderr).toBe(0);
  });

  it('writes the config at the repository top when run from a subfolder', () => {
    repo = freshRepo();
    repo.write('pkg/sub/x.js', 'x\n');
    const r = repo.cli(['init', '--yes', '--no-install'], { cwd: path.join(repo.dir, 'pkg', 'sub') });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(repo.dir, '.codeairc.yaml'))).toBe(true);
    expect(existsSync(path.join(repo.dir, 'pkg', 'sub', '.codeairc.yaml'))).toBe(false);
  });

  it('--no-install writes only the config and says to install next', () => {
    repo = freshRepo();
    const r = repo.cli(['init', '--yes', '--no-install']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(repo.dir, '.codeairc.yaml'))).toBe(true);
    expect(existsSync(path.join(repo.dir, '.husky'))).toBe(false);
    expect(repo.run('git', ['config', '--local', '--get', 'core.hooksPath']).stdout).toBe('');
    expect(r.stderr).toMatch(/^next: codeai-hook install/m);
  });

  it('without a TTY and without --yes: writes the config, does not install, says next: codeai-hook install', () => {
    repo = freshRepo();
    // repo.cli feeds stdin from a pipe: not a TTY, as in a script or an editor's terminal task.
    const r = repo.cli(['init']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(repo.dir, '.codeairc.yaml'))).toBe(true);
    expect(existsSync(path.join(repo.dir, '.husky', 'pre-commit'))).toBe(false);
    expect(r.stderr).toMatch(/^next: codeai-hook install/m);
    expect(r.stderr).not.toMatch(/\[Y\/n\]/);
  });

  it('refuses to replace a config (valid or broken) without --force: exit 2, one line naming the file and --force', () => {
    repo = freshRepo();
    expect(repo.cli(['init', '--yes', '--no-install']).code).toBe(0);
    repo.write('.codeairc.yaml', 'provider: builtin\n# mine\n');
    const again = repo.cli(['init', '--yes', '--no-install']);
    expect(again.code).toBe(2);
    expect(lines(again)).toHaveLength(1);
    expect(lines(again)[0]).toContain('.codeairc.yaml');
    expect(lines(again)[0]).toContain('--force');
    expect(repo.read('.codeairc.yaml')).toBe('provider: builtin\n# mine\n');

    // A config that does not even parse is still the user's file.
    repo.write('.codeairc.yaml', 'block: [severity: high\n');
    const broken = repo.cli(['init', '--yes', '--no-install']);
    expect(broken.code).toBe(2);
    expect(lines(broken)).toHaveLength(1);
    expect(lines(broken)[0]).toContain('.codeairc.yaml');
    expect(lines(broken)[0]).toContain('--force');
    expect(repo.read('.codeairc.yaml')).toBe('block: [severity: high\n');

    const forced = repo.cli(['init', '--yes', '--no-install', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(repo.read('.codeairc.yaml')).toMatch(/^provider: auto$/m);
    expect(repo.cli(['doctor']).code).not.toBe(2);
  });

  it('--force replaces a config of another name so that the new file is the one read', () => {
    repo = freshRepo();
    // .codeairc.json is searched before .codeairc.yaml: left in place, it would silently shadow the new file.
    repo.write('.codeairc.json', '{ "provider": "builtin" }\n');
    const refused = repo.cli(['init', '--yes', '--no-install']);
    expect(refused.code).toBe(2);
    expect(lines(refused)[0]).toContain('.codeairc.json');
    expect(existsSync(path.join(repo.dir, '.codeairc.yaml'))).toBe(false);

    const forced = repo.cli(['init', '--yes', '--no-install', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toContain('.codeairc.json.bak');
    expect(repo.read('.codeairc.json.bak')).toBe('{ "provider": "builtin" }\n');
    expect(repo.cli(['doctor']).stdout).toMatch(/config: \.codeairc\.yaml/);

    // A broken extensionless .codeairc (what the "cannot parse" message sends here) is rewritten in place.
    repo.cleanup();
    repo = freshRepo();
    repo.write('.codeairc', 'block: [\n');
    const broken = repo.cli(['doctor']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("init --force");
    expect(repo.cli(['init', '--yes', '--no-install', '--force']).code).toBe(0);
    const after = repo.cli(['doctor']);
    expect(after.code).not.toBe(2);
    expect(after.stdout).toMatch(/config: \.codeairc$/m);
  });

  it('a policy in package.json ("codeai" key) is refused even with --force: init cannot replace it', () => {
    repo = freshRepo();
    repo.write('package.json', JSON.stringify({ name: 'e2e', private: true, codeai: { provider: 'builtin' } }));
    const r = repo.cli(['init', '--yes', '--force']);
    expect(r.code).toBe(2);
    expect(lines(r)).toHaveLength(1);
    expect(lines(r)[0]).toMatch(/package\.json .*"codeai"/);
    expect(existsSync(path.join(repo.dir, '.codeairc.yaml'))).toBe(false);
  });
});

describe('codeai-hook doctor', () => {
  let repo: TestRepo;
  afterEach(() => repo?.cleanup());

  const ollamaConfig = () => `provider: ollama\nmodel: deepseek-coder:6.7b\nbaseURL: ${ollama.url}\n`;

  it('everything in place: exit 0, config file, provider and why, the probe latency, the hook', async () => {
    repo = TestRepo.installed({ config: ollamaConfig() + 'onError: block\n' });
    const r = await repo.cliAsync(['doctor']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/config: \.codeairc\.yaml/);
    // The values are shown; onError once, as it resolves for the hook and for ci.
    expect(r.stdout).toMatch(/^ +block: \{"severity":"high","max":\{\},"minConfidence":"medium"\}$/m);
    expect(r.stdout.match(/onError/g)).toEqual(['onError']);
    expect(r.stdout).toContain('onError: hook block, ci block');
    expect(r.stdout).toMatch(/provider: ollama · model deepseek-coder:6\.7b · http:\/\/127\.0\.0\.1:\d+ \(provider: ollama in \.codeairc\.yaml\)/);
    expect(r.stdout).toMatch(/answered a 1-token probe in \d+ ms/);
    expect(r.stdout).toMatch(/^✔ hook: \.husky\/pre-commit runs codeai-hook/m);
  });

  it('hook not installed: exit 1 with a line saying to run codeai-hook install', async () => {
    repo = freshRepo();
    repo.write('.codeairc.yaml', ollamaConfig());
    const r = await repo.cliAsync(['doctor']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✖ hook: .*codeai-hook install/m);
    expect(r.stdout).toMatch(/answered a 1-token probe/);
  });

  it('a cloud provider without its key in the environment: one failed check, the hook still checked, exit 1', () => {
    repo = TestRepo.installed({ config: 'provider: openai\n' });
    const r = repo.cli(['doctor']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✖ provider: .*OPENAI_API_KEY/m);
    expect(r.stdout).toMatch(/^✔ hook:/m);
  });

  it('model unreachable: exit 1 with a line naming the URL', () => {
    repo = TestRepo.installed({ config: `provider: ollama\nmodel: m\nbaseURL: ${CLOSED_URL}\n` });
    const r = repo.cli(['doctor']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^✖ model: .*${CLOSED_URL.replace(/[.]/g, '\\.')}`, 'm'));
    expect(r.stdout).toMatch(/^✔ hook:/m);
  });

  it('model not pulled: exit 1 naming ollama pull', async () => {
    repo = TestRepo.installed({ config: `provider: ollama\nmodel: qwen2.5-coder:7b\nbaseURL: ${ollama.url}\n` });
    const r = await repo.cliAsync(['doctor']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✖ model: .*ollama pull qwen2\.5-coder:7b/m);
  });

  it('an invalid config: exit 2, one line naming the file and the key', () => {
    repo = TestRepo.installed({ config: 'block:\n  severity: hgh\n' });
    const r = repo.cli(['doctor']);
    expect(r.code).toBe(2);
    expect(lines(r)).toHaveLength(1);
    expect(lines(r)[0]).toContain('.codeairc.yaml');
    expect(lines(r)[0]).toContain('block.severity');
  });

  it('nothing configured and no model: built-in rules only; the exit status follows the hook alone', () => {
    repo = TestRepo.installed();
    const installed = repo.cli(['doctor']);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toMatch(/config: none found/);
    // A warning, not a green check: ci fails closed in this state.
    expect(installed.stdout).toMatch(/^⚠ provider: built-in rules only \(auto: no model reachable.*in ci this fails closed \(exit 3\): set OPENAI_API_KEY/m);

    const bare = freshRepo();
    try {
      const r = bare.cli(['doctor']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^⚠ provider: built-in rules only \(/m);
      expect(r.stdout).toMatch(/^✖ hook: .*codeai-hook install/m);
    } finally {
      bare.cleanup();
    }
  });
});
