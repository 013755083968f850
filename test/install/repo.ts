import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Temp repositories for the install tests: real git, real commits, so husky and our block really run.

// The tests must not depend on this machine's git or husky settings: no global or system git config (a global
// core.hooksPath or template dir would change what install sees), and HUSKY=0, common in CI, would skip every hook.
process.env.GIT_CONFIG_GLOBAL = process.platform === 'win32' ? 'NUL' : '/dev/null';
process.env.GIT_CONFIG_NOSYSTEM = '1';
delete process.env.HUSKY;
for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR']) delete process.env[name];

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TempRepo {
  /** The work tree's top (symlinks resolved, as git reports it). */
  dir: string;
  /** Runs git in `dir` (or `cwd` below it); rejects when git fails. */
  git(...args: string[]): Promise<string>;
  /** Runs git and resolves with its exit code, for commands expected to fail (a blocked commit). */
  tryGit(args: string[], opts?: { env?: NodeJS.ProcessEnv; cwd?: string }): Promise<RunResult>;
  /** Writes a file below `dir`, creating folders. */
  write(rel: string, text: string, mode?: number): string;
  read(rel: string): Buffer;
  exists(rel: string): boolean;
  cleanup(): void;
}

export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 127) : 0, stdout, stderr });
    });
  });
}

/** `git init -b main` in a new temp folder, with a local identity and no commit signing. */
export async function makeRepo(): Promise<TempRepo> {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'codeai-install-')));
  const repo: TempRepo = {
    dir,
    async git(...args) {
      const r = await run('git', args, dir);
      if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return r.stdout;
    },
    tryGit(args, opts = {}) {
      return run('git', args, opts.cwd ?? dir, opts.env ?? process.env);
    },
    write(rel, text, mode) {
      const file = path.join(dir, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      if (mode !== undefined) chmodSync(file, mode);
      return file;
    },
    read: (rel) => readFileSync(path.join(dir, rel)),
    exists: (rel) => existsSync(path.join(dir, rel)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  await repo.git('init', '-q', '-b', 'main');
  await repo.git('config', 'user.name', 'Install Test');
  await repo.git('config', 'user.email', 'install-test@example.com');
  await repo.git('config', 'commit.gpgsign', 'false');
  return repo;
}

/**
 * A folder with stand-ins for `codeai-hook` and `lint-staged`: each appends "<name> <cwd> <args>" to $FAKE_LOG;
 * `codeai-hook` exits with $CODEAI_FAKE_EXIT (default 0). The real binary is tested end to end by test/e2e.
 */
export interface FakeBin {
  dir: string;
  log: string;
  /** process.env with the fakes first on PATH. */
  env(exitCode?: number): NodeJS.ProcessEnv;
  /** The lines logged so far, in order. */
  calls(): string[];
  /** Forgets the calls logged so far. */
  reset(): void;
  cleanup(): void;
}

export function makeFakeBin(): FakeBin {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'codeai-fakebin-')));
  const log = path.join(dir, 'calls.log');
  for (const [name, exit] of [['codeai-hook', '${CODEAI_FAKE_EXIT:-0}'], ['lint-staged', '0']] as const) {
    writeFileSync(path.join(dir, name), `#!/bin/sh\necho "${name} $PWD $*" >> "$FAKE_LOG"\nexit ${exit}\n`, { mode: 0o755 });
  }
  return {
    dir,
    log,
    env: (exitCode = 0) => ({ ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}`, FAKE_LOG: log, CODEAI_FAKE_EXIT: String(exitCode) }),
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    reset: () => rmSync(log, { force: true }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** process.env without any PATH folder that holds a `codeai-hook`: a clone before `npm install`. */
export function envWithoutCodeaiHook(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d && !existsSync(path.join(d, 'codeai-hook')));
  return { ...process.env, ...extra, PATH: dirs.join(path.delimiter) };
}

/** Stages a new file and commits it; resolves with git's result (a hook exiting non-zero blocks it). */
export async function commitFile(repo: TempRepo, env: NodeJS.ProcessEnv, name = `f${Date.now()}${Math.random()}.txt`, cwd?: string): Promise<RunResult> {
  repo.write(name, `${name}\n`);
  await repo.git('add', '--', name);
  return repo.tryGit(['commit', '-q', '-m', `add ${name}`], { env, ...(cwd ? { cwd } : {}) });
}

export async function commitCount(repo: TempRepo): Promise<number> {
  const r = await repo.tryGit(['rev-list', '--count', 'HEAD']);
  return r.code === 0 ? Number(r.stdout.trim()) : 0;
}
