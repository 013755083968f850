// Hook managers a repository may already use. Each one owns git's hooks in its own way (the pre-commit framework
// refuses to install while core.hooksPath is set; lefthook and simple-git-hooks write .git/hooks from their config),
// so codeai-hook joins their config instead of wiring husky beside them.

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RepoLayout } from './git.js';
import { readPackageJson } from './package-json.js';

export type Framework =
  | { kind: 'pre-commit'; file: string }
  | { kind: 'lefthook'; file: string }
  /** `key` set: the config is that key of package.json; else the file is the config. */
  | { kind: 'simple-git-hooks'; file: string; key: 'simple-git-hooks' | null };

export const FRAMEWORK_NAMES: Record<Framework['kind'], string> = {
  'pre-commit': 'the pre-commit framework',
  lefthook: 'lefthook',
  'simple-git-hooks': 'simple-git-hooks',
};

/** lefthook reads the first of these at the repository's top (YAML; its TOML and JSON forms are not edited). */
const LEFTHOOK_FILES = ['lefthook.yml', '.lefthook.yml', 'lefthook.yaml', '.lefthook.yaml', '.config/lefthook.yml', '.config/lefthook.yaml'];
const LEFTHOOK_OTHER = ['lefthook.toml', '.lefthook.toml', 'lefthook.json', '.lefthook.json', 'lefthook.jsonc', '.lefthook.jsonc'];
const SIMPLE_GIT_HOOKS_JSON = ['.simple-git-hooks.json', 'simple-git-hooks.json'];
const SIMPLE_GIT_HOOKS_JS = ['.simple-git-hooks.cjs', '.simple-git-hooks.js', '.simple-git-hooks.mjs', 'simple-git-hooks.cjs', 'simple-git-hooks.js', 'simple-git-hooks.mjs'];

/**
 * The hook manager this repository uses, found by its config file; null when none (then husky is used). A config
 * we cannot edit safely (lefthook TOML/JSON, simple-git-hooks as JavaScript) comes back as `unsupported`, so the
 * caller can say what to add by hand rather than set up husky beside the manager.
 */
export function findFramework(layout: RepoLayout): { framework: Framework } | { unsupported: string; kind: Framework['kind'] } | null {
  const atTop = (name: string) => path.join(layout.top, name);
  if (existsSync(atTop('.pre-commit-config.yaml'))) return { framework: { kind: 'pre-commit', file: atTop('.pre-commit-config.yaml') } };
  const lefthook = LEFTHOOK_FILES.map(atTop).find((f) => existsSync(f));
  if (lefthook) return { framework: { kind: 'lefthook', file: lefthook } };
  const lefthookOther = LEFTHOOK_OTHER.map(atTop).find((f) => existsSync(f));
  if (lefthookOther) return { unsupported: lefthookOther, kind: 'lefthook' };
  for (const dir of [...new Set([layout.packageRoot, layout.top])]) {
    const pkg = path.join(dir, 'package.json');
    if (readPackageJson(pkg)?.data['simple-git-hooks'] !== undefined) {
      return { framework: { kind: 'simple-git-hooks', file: pkg, key: 'simple-git-hooks' } };
    }
    const json = SIMPLE_GIT_HOOKS_JSON.map((n) => path.join(dir, n)).find((f) => existsSync(f));
    if (json) return { framework: { kind: 'simple-git-hooks', file: json, key: null } };
    const js = SIMPLE_GIT_HOOKS_JS.map((n) => path.join(dir, n)).find((f) => existsSync(f));
    if (js) return { unsupported: js, kind: 'simple-git-hooks' };
  }
  return null;
}
