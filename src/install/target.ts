import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { HookName } from './block.js';
import type { RepoLayout } from './git.js';
import { isInside, posixRelative } from './paths.js';

/**
 * Where our hook lines go. husky: `<dir>/<hook>`, run by husky's `<dir>/_/<hook>` stub through core.hooksPath.
 * hooks-path: core.hooksPath already names a folder that is not husky's (`.githooks`, husky 8's `.husky`); taking
 * it over would silently drop the hooks in it, so we add ourselves to `<folder>/<hook>` instead.
 */
export type HookTarget =
  | {
      kind: 'husky';
      huskyDir: string;
      /** The core.hooksPath value husky sets: `<dir relative to top>/_`. */
      hooksPath: string;
      /** core.hooksPath already points at `<dir>/_`. */
      configured: boolean;
      /** husky's `<dir>/_` holds its runner `h` (absent in a clone before `npm install` ran husky). */
      internalsPresent: boolean;
    }
  | { kind: 'hooks-path'; hooksDir: string; hooksPath: string };

/** husky 9 points core.hooksPath at `<dir>/_`. */
export function isHuskyHooksPath(value: string): boolean {
  return path.basename(value.replace(/[\\/]+$/, '')) === '_';
}

/**
 * @param localHooksPath core.hooksPath from the repository's own config (a global one is overridden by husky's)
 * @param dirOption the husky folder asked for, relative to the package root; default `.husky`
 */
export function chooseTarget(layout: RepoLayout, localHooksPath: string | null, dirOption?: string): HookTarget {
  const { top } = layout;
  const asked = dirOption === undefined ? undefined : path.resolve(layout.packageRoot, dirOption);

  if (localHooksPath !== null && !isHuskyHooksPath(localHooksPath)) {
    const hooksDir = path.resolve(top, localHooksPath);
    if (asked !== undefined) {
      throw new UsageError(`core.hooksPath is ${localHooksPath} (not husky), so codeai-hook adds itself to ${localHooksPath}/pre-commit: drop --dir, or unset core.hooksPath to use husky`);
    }
    if (!isInside(top, hooksDir)) {
      throw new UsageError(`core.hooksPath ${localHooksPath} is outside this repository: add 'codeai-hook run' to ${hooksDir}/pre-commit by hand, or unset core.hooksPath and run codeai-hook install again`);
    }
    return { kind: 'hooks-path', hooksDir, hooksPath: localHooksPath };
  }

  const configuredDir = localHooksPath === null ? undefined : path.dirname(path.resolve(top, localHooksPath));
  if (configuredDir !== undefined && asked !== undefined && asked !== configuredDir) {
    const rel = posixRelative(top, configuredDir);
    throw new UsageError(`husky already runs hooks from ${rel} (core.hooksPath ${localHooksPath}): drop --dir or pass the folder husky uses`);
  }
  const huskyDir = configuredDir ?? asked ?? path.join(layout.packageRoot, '.husky');
  const rel = posixRelative(top, huskyDir);
  if (!isInside(top, huskyDir) || rel === '') {
    throw new UsageError(`--dir ${dirOption} is not a folder below the repository's top ${top}: husky needs one inside it, such as .husky`);
  }
  return {
    kind: 'husky',
    huskyDir,
    hooksPath: `${rel}/_`,
    configured: configuredDir !== undefined,
    internalsPresent: existsSync(path.join(huskyDir, '_', 'h')),
  };
}

export function hookFileOf(target: HookTarget, hook: HookName): string {
  return path.join(target.kind === 'husky' ? target.huskyDir : target.hooksDir, hook);
}

/**
 * Folders that may hold our hook files when there is no install record (the block came in a commit from another
 * clone, or by hand): the one core.hooksPath names, the asked or default husky folder, and the top's `.husky`.
 */
export function candidateHookDirs(layout: RepoLayout, hooksPath: string | null, dirOption?: string): string[] {
  const dirs = new Set<string>();
  if (hooksPath !== null) {
    const named = path.resolve(layout.top, hooksPath);
    dirs.add(isHuskyHooksPath(hooksPath) ? path.dirname(named) : named);
  }
  dirs.add(path.resolve(layout.packageRoot, dirOption ?? '.husky'));
  dirs.add(path.join(layout.top, '.husky'));
  return [...dirs];
}
