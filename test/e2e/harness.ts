// End-to-end harness: throw-away repositories with codeai-hook installed the way a user's project has it
// (linked into node_modules, hook wired by the real installer), driven by real `git commit`.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedLoopbackURL } from '../fakes/index.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'dist', 'bin.js');

/** A loopback URL where nothing listens: "connection refused" at once. */
export const CLOSED_URL = await closedLoopbackURL();

if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run 'npm run build' first (npm test does)`);

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** An environment with nothing of the developer's machine in it: no keys, no global git config, a closed Ollama. */
export function cleanEnv(home: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(OPENAI|ANTHROPIC|DEEPSEEK|OLLAMA|CODEAI|GIT|HUSKY|GITHUB|CI_|XDG|FORCE_COLOR|NO_COLOR)/.test(k)) continue;
    if (k === 'CI') continue;
    env[k] = v;
  }
  Object.assign(env, {
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.invalid',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.invalid',
    // Nothing listens there: `auto` falls through to the built-in rules at once.
    OLLAMA_HOST: CLOSED_URL,
    XDG_CACHE_HOME: path.join(home, '.cache'),
    NO_COLOR: '1',
  });
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export class TestRepo {
  readonly dir: string;
  readonly home: string;
  env: NodeJS.ProcessEnv;

  constructor(opts: { name?: string } = {}) {
    this.home = mkdtempSync(path.join(os.tmpdir(), 'codeai-e2e-'));
    this.dir = path.join(this.home, opts.name ?? 'repo');
    mkdirSync(this.dir, { recursive: true });
    this.env = cleanEnv(this.home);
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'commit.gpgsign', 'false');
  }

  /** package.json + codeai-hook linked into node_modules, as `npm i -D codeai-hook` would leave it. */
  linkPackage(dir = this.dir): void {
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'e2e', private: true }, null, 2) + '\n');
    mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(ROOT, path.join(dir, 'node_modules', 'codeai-hook'), 'dir');
    symlinkSync(path.join('..', 'codeai-hook', 'dist', 'bin.js'), path.join(dir, 'node_modules', '.bin', 'codeai-hook'));
    this.write('.gitignore', 'node_modules/\n');
  }

  /** A repository with the hook installed through the real installer and one first commit. */
  static installed(opts: { config?: string; name?: string } = {}): TestRepo {
    const repo = new TestRepo(opts);
    repo.linkPackage();
    if (opts.config !== undefined) repo.write('.codeairc.yaml', opts.config);
    const r = repo.cli(['install']);
    if (r.code !== 0) throw new Error(`install failed: ${r.stderr}`);
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'chore: start');
    return repo;
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, env: this.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  write(rel: string, content: string | Buffer): void {
    const file = path.join(this.dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }

  read(rel: string): string {
    return readFileSync(path.join(this.dir, rel), 'utf8');
  }

  /** Runs a command and collects its output; never throws on a non-zero exit. */
  run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): RunResult {
    const r = spawnSync(cmd, args, {
      cwd: opts.cwd ?? this.dir,
      env: { ...this.env, ...opts.env },
      encoding: 'utf8',
      input: opts.input ?? '',
      timeout: 60_000,
    });
    return { code: r.status ?? (r.signal ? 128 : 1), stdout: r.stdout, stderr: r.stderr };
  }

  /** Async form, for tests that run a fake server in this process (spawnSync would block its event loop). */
  runAsync(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<RunResult> {
    return new Promise((resolve) => {
      const child = spawn(cmd, args, { cwd: opts.cwd ?? this.dir, env: { ...this.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
    });
  }

  cli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): RunResult {
    return this.run(process.execPath, [BIN, ...args], opts);
  }

  cliAsync(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<RunResult> {
    return this.runAsync(process.execPath, [BIN, ...args], opts);
  }

  commit(message: string, opts: { env?: NodeJS.ProcessEnv; args?: string[] } = {}): Promise<RunResult> {
    return this.runAsync('git', ['commit', '-m', message, ...(opts.args ?? [])], opts);
  }

  headCount(): number {
    try {
      return Number(this.git('rev-list', '--count', 'HEAD').trim());
    } catch {
      return 0;
    }
  }

  /**
   * What a commit attempt must leave as it was: status, staged content, stashes, refs. Read with optional locks off
   * so that taking the snapshot does not itself refresh the index. (`git commit` may rewrite the index file's stat
   * data on its own; the hook's own process is held to the index file's bytes by indexBytes().)
   */
  snapshot(): string {
    const quiet = { ...this.env, GIT_OPTIONAL_LOCKS: '0' };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: this.dir, env: quiet, encoding: 'utf8' });
    return [
      git('status', '--porcelain=v2', '--untracked-files=all'),
      git('ls-files', '--stage'),
      git('stash', 'list'),
      git('for-each-ref'),
    ].join('\n--\n');
  }

  /** The index file's hash: what `codeai-hook run` itself must never change. */
  indexBytes(): string {
    const gitDir = path.resolve(this.dir, this.git('rev-parse', '--git-dir').trim());
    const index = path.join(gitDir, 'index');
    return existsSync(index) ? createHash('sha256').update(readFileSync(index)).digest('hex') : 'none';
  }

  cleanup(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** A model finding as a fake server sends it. */
export function finding(file: string, line: number, severity: string, title: string, category = 'bug') {
  return { file, line, severity, category, title, message: `${title}.`, suggestion: 'Fix it.' };
}
