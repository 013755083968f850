import { chmodSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BLOCK_END, HOOK_NAMES, hasBlock, removeBlocks } from './block.js';
import { getConfig, locateRepo, setLocalConfig, type RepoLayout } from './git.js';
import { readBytes, writeBytes } from './hook-file.js';
import { formatLike, readPackageJson, scripts, withPrepare } from './package-json.js';
import { posixRelative } from './paths.js';
import {
  deleteRecord,
  readRecord,
  sha256,
  type Change,
  type DirChange,
  type FileChange,
  type HooksPathChange,
  type PackageJsonChange,
  type SimpleGitHooksChange,
} from './record.js';
import { syncSimpleGitHooks, undoSimpleGitHooks } from './simple-git-hooks.js';
import type { InstallReport } from './report.js';
import { findFramework } from './frameworks.js';
import { candidateHookDirs } from './target.js';

export interface UninstallOptions {
  cwd: string;
  /** husky's folder, relative to the package root: only looked at when this clone has no install record. */
  dir?: string;
}

/**
 * Undoes what install recorded, last change first. A file nobody touched since gets its exact old bytes back; one
 * edited since loses only our block. Without a record (the block came from another clone) only the block goes.
 */
export async function uninstall(opts: UninstallOptions): Promise<InstallReport> {
  const layout = await locateRepo(opts.cwd);
  const record = readRecord(layout.commonDir);
  if (record === null) return removeBlocksOnly(layout, opts.dir);

  const undo = new Undo(layout);
  const actions: string[] = [];
  for (const change of [...record.changes].reverse()) actions.push(...(await undo.change(change)));
  // simple-git-hooks writes git's hook files from its config only when it runs: run it on the restored config.
  const simple = record.changes.find((c): c is SimpleGitHooksChange => c.kind === 'simple-git-hooks');
  if (simple) actions.push(await syncSimpleGitHooks(simple.path, layout.top));
  deleteRecord(layout.commonDir);
  const preCommit = record.changes.find((c): c is FileChange => c.kind === 'file' && path.basename(c.path) === 'pre-commit');
  return {
    hookFile: preCommit?.path ?? path.join(layout.top, '.husky', 'pre-commit'),
    actions: actions.length > 0 ? actions : ['codeai-hook is not installed here: nothing to remove'],
  };
}

async function removeBlocksOnly(layout: RepoLayout, dirOption?: string): Promise<InstallReport> {
  const hooksPath = await getConfig(layout.top, 'core.hooksPath', 'local');
  const dirs = candidateHookDirs(layout, hooksPath, dirOption);
  const actions: string[] = [];
  let hookFile: string | null = null;
  for (const file of dirs.flatMap((dir) => HOOK_NAMES.map((hook) => path.join(dir, hook)))) {
    const text = readBytes(file);
    if (text === null || !hasBlock(text)) continue;
    if (path.basename(file) === 'pre-commit') hookFile ??= file;
    actions.push(removeOurBlock(file, text, posixRelative(layout.top, file), false));
  }
  // A hook manager's YAML config that came with a commit from another clone: our block is marked there too.
  const found = findFramework(layout);
  if (found && 'framework' in found && found.framework.kind !== 'simple-git-hooks') {
    const { file } = found.framework;
    const text = readBytes(file);
    if (text !== null && hasBlock(text)) actions.push(removeOurBlock(file, text, posixRelative(layout.top, file), false));
  }
  if (actions.length === 0) actions.push('codeai-hook is not installed here: nothing to remove');
  else actions.push('no install record in this clone: core.hooksPath, husky and package.json were left as they are');
  return { hookFile: hookFile ?? path.join(dirs[0] ?? layout.top, 'pre-commit'), actions };
}

/** Removes our block from a file edited since install, keeping every other line. */
function removeOurBlock(file: string, text: string, name: string, createdByUs: boolean): string {
  const result = removeBlocks(text);
  if ('error' in result) {
    return result.error === 'no-block'
      ? `${name} no longer has codeai-hook: left as is`
      : `${name}: the codeai-hook block lost its end line (${BLOCK_END}): remove the block by hand`;
  }
  // A file we created that holds nothing else goes away with our block.
  if (createdByUs && /^(#!\/bin\/sh\n)?\s*$/.test(result.text)) {
    rmSync(file);
    return `removed ${name} (codeai-hook had created it)`;
  }
  writeBytes(file, result.text);
  return `removed codeai-hook from ${name}; its other lines are kept`;
}

/**
 * A file install rewrote: its bytes from before are put back when nobody changed it since ('restored'); else its
 * current bytes, for an undo of only our part; 'gone' when it no longer exists.
 */
function restoreIfUnchanged(change: { path: string; before: string; after: string }): 'gone' | 'restored' | Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(change.path);
  } catch {
    return 'gone';
  }
  if (sha256(bytes) !== change.after) return bytes;
  writeFileSync(change.path, Buffer.from(change.before, 'base64'));
  return 'restored';
}

class Undo {
  constructor(private readonly layout: RepoLayout) {}

  private rel(p: string): string {
    return posixRelative(this.layout.top, p);
  }

  async change(change: Change): Promise<string[]> {
    switch (change.kind) {
      case 'file':
        return [this.file(change)];
      case 'package-json':
        return [this.packageJson(change)];
      case 'hooks-path':
        return [await this.hooksPath(change)];
      case 'dir':
        return this.dir(change);
      case 'simple-git-hooks':
        return [this.simpleGitHooks(change)];
    }
  }

  private simpleGitHooks(change: SimpleGitHooksChange): string {
    const name = this.rel(change.path);
    const state = restoreIfUnchanged(change);
    if (state === 'gone') return `${name} is gone: nothing to restore`;
    if (state === 'restored') return `removed codeai-hook from simple-git-hooks in ${name} (restored as it was before install)`;
    // Edited since: take out only our commands, where they are still as install left them.
    let undone: ReturnType<typeof undoSimpleGitHooks>;
    try {
      undone = undoSimpleGitHooks(state.toString('utf8'), change.key, change.edits);
    } catch {
      return `left ${name}: it is no longer valid JSON; remove codeai-hook's commands from it by hand`;
    }
    const { text, left } = undone;
    writeFileSync(change.path, text);
    return left.length === 0
      ? `removed codeai-hook from simple-git-hooks in ${name}; its other changes are kept`
      : `removed codeai-hook from simple-git-hooks in ${name}, except ${left.join(', ')}: changed since install, left as is`;
  }

  private file(change: FileChange): string {
    const name = this.rel(change.path);
    const current = readBytes(change.path);
    if (current === null) return `${name} is gone: nothing to restore`;
    if (sha256(Buffer.from(current, 'latin1')) !== change.after) {
      return removeOurBlock(change.path, current, name, change.before === null);
    }
    if (change.before === null) {
      rmSync(change.path);
      return `removed ${name} (codeai-hook had created it)`;
    }
    writeFileSync(change.path, Buffer.from(change.before, 'base64'));
    if (change.mode !== null) chmodSync(change.path, change.mode);
    return `removed codeai-hook from ${name} (restored as it was before install)`;
  }

  private packageJson(change: PackageJsonChange): string {
    const name = this.rel(change.path);
    const { before, after } = change.prepare;
    const what = before === null ? `${JSON.stringify('prepare')}: ${JSON.stringify(after)}` : JSON.stringify(after.slice(before.length));
    const done = before === null ? `removed ${what} from ${name}` : `removed ${what} from the prepare script in ${name}`;
    const state = restoreIfUnchanged(change);
    if (state === 'gone') return `${name} is gone: nothing to restore`;
    if (state === 'restored') return done;
    // Edited since: undo only our script change, when it is still ours.
    const pkg = readPackageJson(change.path);
    if (pkg === null || scripts(pkg).prepare !== after) return `left the prepare script in ${name}: it changed since install`;
    let data = withPrepare(pkg.data, before);
    if (!change.prepare.scriptsExisted && Object.keys(scripts({ ...pkg, data })).length === 0) {
      data = { ...data };
      delete data.scripts;
    }
    writeFileSync(change.path, formatLike(pkg.text, data));
    return `${done}; its other changes are kept`;
  }

  private async hooksPath(change: HooksPathChange): Promise<string> {
    const current = await getConfig(this.layout.top, 'core.hooksPath', 'local');
    if (current !== change.after) return `left core.hooksPath (${current ?? 'unset'}): it changed since install`;
    await setLocalConfig(this.layout.top, 'core.hooksPath', change.before);
    return change.before === null ? `unset core.hooksPath (was ${change.after})` : `set core.hooksPath back to ${change.before}`;
  }

  private dir(change: DirChange): string[] {
    const name = this.rel(change.path);
    if (change.whole) {
      rmSync(change.path, { recursive: true, force: true });
      return [`removed ${name} (husky's files)`];
    }
    try {
      rmdirSync(change.path);
      return [`removed the empty folder ${name}`];
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return code === 'ENOENT' ? [] : [`left ${name}: it holds other files`];
    }
  }
}
