// codeai-hook as a command in simple-git-hooks' config (package.json "simple-git-hooks", or its JSON file), which
// simple-git-hooks writes into git's hook files when it runs (`npx simple-git-hooks`, usually from postinstall).

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { hookCommandLine, type HookName } from './block.js';
import type { Framework } from './frameworks.js';
import { formatLike, type JsonObject } from './package-json.js';

export interface CommandEdit {
  hook: HookName;
  before: string | null;
  after: string;
}

export interface SimpleGitHooksPlan {
  text: string;
  edits: CommandEdit[];
}

/** simple-git-hooks writes the command into the hook file as a line of sh: git's arguments are $1... there. */
export function simpleGitHooksCommand(hook: HookName, opts: { packageDir: string; globalBinary: boolean }): string {
  return hookCommandLine(hook, opts);
}

/** Our command joined to the hook's own: theirs first, and ours in a subshell so its `exec` ends only itself. */
export function withOurs(existing: string | undefined, ours: string): string {
  return existing === undefined || existing.trim() === '' ? ours : `${existing} && (${ours})`;
}

/** The config file with our command in each hook, or null when every hook already runs codeai-hook. */
export function planSimpleGitHooks(
  framework: Extract<Framework, { kind: 'simple-git-hooks' }>,
  text: string,
  hooks: HookName[],
  opts: { packageDir: string; globalBinary: boolean },
): SimpleGitHooksPlan | null {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UsageError(`${framework.file} is not valid JSON (${(err as Error).message}): fix it and run codeai-hook install again`);
  }
  const config = framework.key ? (data as JsonObject)[framework.key] : data;
  const where = framework.key ? `"${framework.key}" in ${framework.file}` : framework.file;
  if (!isObject(config)) throw new UsageError(`${where} is not an object of hook names to commands: fix it and run codeai-hook install again`);
  const edits: CommandEdit[] = [];
  const next: JsonObject = { ...config };
  for (const hook of hooks) {
    const current = config[hook];
    if (current !== undefined && typeof current !== 'string') {
      throw new UsageError(`${where}: "${hook}" is not a command string: fix it and run codeai-hook install again`);
    }
    if (current?.includes('codeai-hook run')) continue;
    const after = withOurs(current, simpleGitHooksCommand(hook, opts));
    next[hook] = after;
    edits.push({ hook, before: current ?? null, after });
  }
  if (edits.length === 0) return null;
  const whole = framework.key ? { ...(data as JsonObject), [framework.key]: next } : next;
  return { text: formatLike(text, whole), edits };
}

/** The config with our commands taken back out; a hook whose command changed since install is left alone. */
export function undoSimpleGitHooks(text: string, key: string | null, edits: CommandEdit[]): { text: string; left: HookName[] } {
  const data = JSON.parse(text.replace(/^\uFEFF/, '')) as JsonObject;
  const config = { ...((key ? data[key] : data) as JsonObject) };
  const left: HookName[] = [];
  for (const edit of edits) {
    if (config[edit.hook] !== edit.after) {
      left.push(edit.hook);
      continue;
    }
    if (edit.before === null) delete config[edit.hook];
    else config[edit.hook] = edit.before;
  }
  return { text: formatLike(text, key ? { ...data, [key]: config } : config), left };
}

/**
 * Runs the project's own simple-git-hooks so git's hook files follow the config now; says what to run when it is
 * not installed in this clone.
 */
export async function syncSimpleGitHooks(configFile: string, top: string): Promise<string> {
  const dir = path.dirname(configFile);
  const bin = [dir, top].map((d) => path.join(d, 'node_modules', '.bin', 'simple-git-hooks')).find((f) => existsSync(f));
  if (!bin) return 'note: run npx simple-git-hooks so that git\'s hook files follow the config (simple-git-hooks is not installed in this clone)';
  const result = await new Promise<{ ok: boolean; out: string }>((resolve) => {
    execFile(bin, [], { cwd: dir, encoding: 'utf8' }, (err, stdout, stderr) => resolve({ ok: !err, out: `${stdout}${stderr}`.trim() }));
  });
  if (!result.ok) return `note: simple-git-hooks failed (${result.out.split('\n')[0]}): run npx simple-git-hooks yourself`;
  return "ran simple-git-hooks: git's hook files follow the config";
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
