import { existsSync } from 'node:fs';
import path from 'node:path';
import { hasBlock } from './block.js';
import { getConfig, locateRepo } from './git.js';
import { readBytes } from './hook-file.js';
import { posixRelative } from './paths.js';
import { isExecutable } from './previous-hooks.js';
import type { HookStatus } from './report.js';
import { candidateHookDirs, isHuskyHooksPath } from './target.js';
import { runsFromGit } from './framework-install.js';
import { findFramework, FRAMEWORK_NAMES, type Framework } from './frameworks.js';
import { readPackageJson } from './package-json.js';

/** Whether git will run our block on the next commit, read from what git itself looks at. */
export async function hookStatus(cwd: string): Promise<HookStatus> {
  const layout = await locateRepo(cwd);
  const rel = (p: string) => posixRelative(layout.top, p);
  const found = findFramework(layout);
  if (found && 'framework' in found) return frameworkStatus(layout, found.framework, rel);
  const hooksPath = await getConfig(layout.top, 'core.hooksPath', 'any');

  if (hooksPath === null) {
    const parked = candidateHookDirs(layout, null)
      .map((dir) => path.join(dir, 'pre-commit'))
      .find((file) => hasBlock(readBytes(file) ?? ''));
    if (parked === undefined) return { installed: false, hookFile: null, detail: 'no pre-commit hook runs codeai-hook' };
    return {
      installed: false,
      hookFile: parked,
      detail: `${rel(parked)} has codeai-hook, but core.hooksPath is not set so git does not run it (npm install sets it through husky in the prepare script)`,
    };
  }

  const husky = isHuskyHooksPath(hooksPath);
  const named = path.resolve(layout.top, hooksPath);
  const file = path.join(husky ? path.dirname(named) : named, 'pre-commit');
  const text = readBytes(file);
  if (text === null) return { installed: false, hookFile: file, detail: `${rel(file)} does not exist (core.hooksPath ${hooksPath})` };
  if (!hasBlock(text)) return { installed: false, hookFile: file, detail: `${rel(file)} does not run codeai-hook` };
  if (husky && !existsSync(path.join(named, 'pre-commit'))) {
    return {
      installed: false,
      hookFile: file,
      detail: `husky's ${rel(named)} is missing, so git runs no hook: run npm install (its prepare script runs husky)`,
    };
  }
  if (!husky && !isExecutable(file)) {
    return { installed: false, hookFile: file, detail: `${rel(file)} is not executable, so git skips it: chmod +x ${rel(file)}` };
  }
  const skipped = husky && process.env.HUSKY === '0' ? '; HUSKY=0 is set in this shell, so husky skips it here' : '';
  return {
    installed: true,
    hookFile: file,
    detail: `${rel(file)} runs codeai-hook (core.hooksPath ${hooksPath}${husky ? ', husky' : ''})${skipped}`,
  };
}

/** Installed when the manager's config runs codeai-hook and git runs the manager's hook. */
async function frameworkStatus(layout: Parameters<typeof runsFromGit>[0], framework: Framework, rel: (p: string) => string): Promise<HookStatus> {
  const name = rel(framework.file);
  const text = readBytes(framework.file) ?? '';
  const configured =
    framework.kind === 'simple-git-hooks'
      ? JSON.stringify(framework.key ? readPackageJson(framework.file)?.data[framework.key] ?? {} : safeJson(text)).includes('codeai-hook run')
      : hasBlock(text) || /\bcodeai-hook\b/.test(text);
  if (!configured) {
    return { installed: false, hookFile: framework.file, detail: `${name} (${FRAMEWORK_NAMES[framework.kind]}) does not run codeai-hook` };
  }
  const todo = await runsFromGit(layout, framework, ['pre-commit']);
  if (todo.length > 0) return { installed: false, hookFile: framework.file, detail: `${name} runs codeai-hook, but ${todo[0]!.replace(/^note: /, '')}` };
  return { installed: true, hookFile: framework.file, detail: `${name} runs codeai-hook (${FRAMEWORK_NAMES[framework.kind]})` };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
