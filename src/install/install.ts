import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { hookCommandLine, type HookName } from './block.js';
import { installIntoFramework } from './framework-install.js';
import { findFramework, FRAMEWORK_NAMES } from './frameworks.js';
import { getConfig, locateRepo, type RepoLayout } from './git.js';
import { applyHookEdit, planHookEdit, writeBytes } from './hook-file.js';
import { assertHuskyEnabled, setUpHusky } from './husky.js';
import {
  dependsOn,
  formatLike,
  huskyCommand,
  nearestPackageDir,
  prepareWithHusky,
  readPackageJson,
  scripts,
  withPrepare,
} from './package-json.js';
import { posixRelative } from './paths.js';
import { hooksThatStop, previousHooks, type PreviousHook } from './previous-hooks.js';
import { readRecord, sha256, writeRecord, type Change, type FileChange, type InstallRecord } from './record.js';
import type { InstallReport } from './report.js';
import { chooseTarget, hookFileOf, type HookTarget } from './target.js';

export interface InstallOptions {
  /** Where the command runs: any folder of the work tree; the package is the nearest folder with a package.json. */
  cwd: string;
  /** husky's folder, relative to the package root (default `.husky`); only for a repository without husky yet. */
  dir?: string;
  /** Also check commit messages from the commit-msg hook. */
  commitMsg?: boolean;
}

/**
 * Wires `codeai-hook run` into the pre-commit hook: through husky (set up here when absent), or into the folder
 * core.hooksPath already names. Idempotent, keeps every existing hook line and hook, and records what it changed
 * so uninstall can undo exactly that.
 */
export async function install(opts: InstallOptions): Promise<InstallReport> {
  const layout = await locateRepo(opts.cwd);
  const rel = (p: string) => posixRelative(layout.top, p);
  const hooks: HookName[] = opts.commitMsg ? ['pre-commit', 'commit-msg'] : ['pre-commit'];
  const packageDir = rel(layout.packageRoot);
  const globalBinary = packageJsons(layout).length === 0;

  // A hook manager already owns git's hooks here: join its config, never set core.hooksPath beside it.
  const found = findFramework(layout);
  if (found && 'unsupported' in found) {
    const line = hookCommandLine('pre-commit', { packageDir, globalBinary });
    throw new UsageError(
      `${rel(found.unsupported)} configures ${FRAMEWORK_NAMES[found.kind]} in a form codeai-hook does not edit: add a pre-commit command running this line to it by hand: ${line}`,
    );
  }
  if (found) {
    if (opts.dir !== undefined) {
      throw new UsageError(`--dir is husky's folder, but this repository uses ${FRAMEWORK_NAMES[found.framework.kind]} (${rel(found.framework.file)}): drop --dir; codeai-hook adds itself there`);
    }
    const report = await installIntoFramework(layout, found.framework, { hooks, packageDir, globalBinary });
    report.actions.push(...dependencyAdvice(layout));
    return report;
  }
  const localHooksPath = await getConfig(layout.top, 'core.hooksPath', 'local');
  const effectiveHooksPath = await getConfig(layout.top, 'core.hooksPath', 'any');
  const target = chooseTarget(layout, localHooksPath, opts.dir);
  const setsUpHusky = target.kind === 'husky' && (!target.configured || !target.internalsPresent);
  const movesHooksPath = target.kind === 'husky' && !target.configured;

  // Decide everything first: a refusal must leave the repository untouched.
  if (setsUpHusky) assertHuskyEnabled();
  const record = readRecord(layout.commonDir) ?? { version: 1, changes: [] };
  const previous = movesHooksPath ? previousHooks(layout, hooks) : [];
  const edits = hooks.map((hook) =>
    planHookEdit(
      hookFileOf(target, hook),
      hook,
      { packageDir, runPrevious: previous.some((p) => p.hook === hook), globalBinary },
      target.kind === 'hooks-path',
    ),
  );
  const prepare = target.kind === 'husky' ? planPrepare(layout, target.huskyDir) : null;

  const changes: Change[] = [];
  const actions: string[] = [];
  /** A block rewritten in place whose recorded bytes were updated with it. */
  let renewed = false;
  const chained: string[] = [];
  // Whatever got changed is recorded, even when a later step fails, so uninstall can still undo it.
  try {
    if (target.kind === 'husky' && setsUpHusky) {
      const internals = path.join(target.huskyDir, '_');
      if (!existsSync(target.huskyDir)) changes.push({ kind: 'dir', path: target.huskyDir, whole: false });
      if (!existsSync(internals)) changes.push({ kind: 'dir', path: internals, whole: true });
      await setUpHusky(layout.top, rel(target.huskyDir));
      if (movesHooksPath) {
        changes.push({ kind: 'hooks-path', before: localHooksPath, after: target.hooksPath });
        actions.push(`set core.hooksPath to ${target.hooksPath} (husky)`);
      } else {
        actions.push(`restored husky's ${rel(internals)} (core.hooksPath already pointed there)`);
      }
    }
    if (target.kind === 'hooks-path' && !existsSync(target.hooksDir) && edits.some((e) => !e.present)) {
      changes.push({ kind: 'dir', path: target.hooksDir, whole: false });
    }

    for (const edit of edits) {
      if (edit.present && edit.update) {
        writeBytes(edit.file, edit.update.after);
        renewed = renewRecordedFile(record, edit.file, edit.update) || renewed;
        actions.push(`updated codeai-hook's block in ${rel(edit.file)} to this version's (every other line kept)`);
        continue;
      }
      if (edit.present) {
        if (changes.length > 0) actions.push(`codeai-hook is already in ${rel(edit.file)}`);
        continue;
      }
      const kept = previous.find((p) => p.hook === edit.hook);
      if (kept) {
        chained.push(edit.hook);
        actions.push(keptLine(kept, rel(kept.file), rel(edit.file)));
      }
      changes.push(applyHookEdit(edit));
      const notes = [edit.before === null ? 'new file' : '', target.kind === 'hooks-path' ? `core.hooksPath is ${target.hooksPath}, not husky` : ''];
      const said = notes.filter(Boolean).join('; ');
      actions.push(`added codeai-hook to ${rel(edit.file)}${said ? ` (${said})` : ''}`);
    }

    if (prepare) {
      changes.push(prepare.apply());
      actions.push(prepare.action);
    }
  } finally {
    if (changes.length > 0 || renewed) {
      record.changes.push(...changes);
      writeRecord(layout.commonDir, record);
    }
  }

  if (target.kind === 'husky' && movesHooksPath) {
    actions.push(...notesOnTakeover(layout, target, previous, chained, effectiveHooksPath));
  }
  if (changes.length === 0 && !edits.some((e) => e.present && e.update)) actions.unshift('already installed: nothing to do');
  actions.push(...dependencyAdvice(layout));
  return { hookFile: hookFileOf(target, 'pre-commit'), actions };
}

/**
 * After a block was rewritten in place: when the record holds the bytes this install had left (nobody edited the file
 * since), it now holds the new ones, so uninstall still gives back the file as it was before the first install. An
 * edited file keeps its old record, and uninstall removes only our block from it, as before.
 */
function renewRecordedFile(record: InstallRecord, file: string, update: { before: string; after: string }): boolean {
  const change = record.changes.find((c): c is FileChange => c.kind === 'file' && c.path === file);
  if (!change || change.after !== sha256(Buffer.from(update.before, 'latin1'))) return false;
  change.after = sha256(Buffer.from(update.after, 'latin1'));
  return true;
}

function keptLine(kept: PreviousHook, file: string, ours: string): string {
  if (kept.writtenBy === 'simple-git-hooks') return `simple-git-hooks' hook keeps running: ${ours} runs ${file} first`;
  const whose = kept.writtenBy ? ` (written by ${kept.writtenBy})` : '';
  return `kept your ${file}${whose}: it now runs first from ${ours}`;
}

/** What stops or changes once core.hooksPath points at husky, beyond the hooks we chained. */
function notesOnTakeover(
  layout: RepoLayout,
  target: Extract<HookTarget, { kind: 'husky' }>,
  previous: PreviousHook[],
  chained: string[],
  /** core.hooksPath before husky set its local one: set only in a global (or system) config. */
  outerHooksPath: string | null,
): string[] {
  const rel = (p: string) => posixRelative(layout.top, p);
  const notes: string[] = [];
  for (const name of hooksThatStop(layout, chained)) {
    const moved = rel(path.join(layout.commonDir, 'hooks', name));
    notes.push(`note: ${moved} no longer runs (core.hooksPath is now ${target.hooksPath}): move it to ${rel(path.join(target.huskyDir, name))}`);
  }
  if (previous.some((p) => p.writtenBy === 'simple-git-hooks')) {
    notes.push(`note: simple-git-hooks 2.13+ writes into core.hooksPath when it runs again, and husky rewrites that folder: move its commands into ${rel(path.join(target.huskyDir, 'pre-commit'))} to change them later`);
  }
  if (outerHooksPath !== null) {
    notes.push(`note: your global core.hooksPath (${outerHooksPath}) no longer applies in this repository: husky set a local one`);
  }
  return notes;
}

interface PreparePlan {
  action: string;
  apply(): Change;
}

/**
 * The package owning the husky folder gets `"prepare": "husky"` (or the monorepo form), so every clone sets husky up
 * on `npm install`. Nothing when it already runs husky or no package.json owns the folder.
 */
function planPrepare(layout: RepoLayout, huskyDir: string): PreparePlan | null {
  const ownerDir = nearestPackageDir(path.dirname(huskyDir), layout.top);
  if (ownerDir === null) return null;
  const file = path.join(ownerDir, 'package.json');
  const pkg = readPackageJson(file);
  if (pkg === null) return null;
  const command = huskyCommand(ownerDir, layout.top, huskyDir);
  const next = prepareWithHusky(pkg, command);
  if (next === null) return null;
  const current = scripts(pkg).prepare;
  const before = typeof current === 'string' ? current : null;
  const name = posixRelative(layout.top, file);
  return {
    action: before === null || before.trim() === ''
      ? `added ${JSON.stringify('prepare')}: ${JSON.stringify(next)} to ${name}`
      : `appended ${JSON.stringify(` && ${command}`)} to the prepare script in ${name}`,
    apply() {
      const bytes = readFileSync(file);
      const text = formatLike(pkg.text, withPrepare(pkg.data, next));
      writeFileSync(file, text);
      return {
        kind: 'package-json',
        path: file,
        before: bytes.toString('base64'),
        after: sha256(text),
        prepare: { before, after: next, scriptsExisted: pkg.data.scripts !== undefined },
      };
    },
  };
}

/** The hook finds the binary in node_modules/.bin of the package (or of the top, hoisted): say how to put it there. */
function packageJsons(layout: RepoLayout) {
  return [...new Set([layout.packageRoot, layout.top])]
    .map((dir) => readPackageJson(path.join(dir, 'package.json')))
    .filter((pkg) => pkg !== null);
}

function dependencyAdvice(layout: RepoLayout): string[] {
  const pkgs = packageJsons(layout);
  if (pkgs.length === 0) {
    return ['no package.json here: the hook runs a codeai-hook found on PATH (npm i -g codeai-hook), and each clone runs codeai-hook install once'];
  }
  return pkgs.some((pkg) => dependsOn(pkg, 'codeai-hook')) ? [] : ['add codeai-hook to devDependencies: npm i -D codeai-hook'];
}
