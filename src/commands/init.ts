import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from './context.js';
import { ConfigError, UsageError } from '../errors.js';
import { openRepo } from '../git/repo.js';
import { install } from '../install/index.js';
import { DEFAULT_POLICY } from '../policy/defaults.js';
import { loadPolicy } from '../policy/load.js';
import { renderConfigTemplate } from '../policy/template.js';
import { colors, lineWriter } from '../terminal.js';
import { actionLine } from './action-line.js';

const CONFIG_NAME = '.codeairc.yaml';
/** Policy files read as YAML: --force rewrites one of these in place. */
const YAML_NAMES = new Set(['.codeairc', '.codeairc.yaml', '.codeairc.yml']);

/** `init`: a commented config with the provider auto would pick today, then (if wanted) the hook. */
export const initCommand: Command = async (ctx) => {
  const c = colors(ctx.env);
  const say = lineWriter(process.stderr);
  const repo = await openRepo(ctx.cwd);
  const existing = await existingConfig(ctx.cwd, repo.top);
  const shown = (file: string) => path.relative(ctx.cwd, file) || file;
  if (existing && path.basename(existing) === 'package.json') {
    // init cannot rewrite someone's package.json, and a .codeairc.yaml beside it would never be read (package.json
    // comes first in the search), so even --force must stop here.
    throw new UsageError(`${shown(existing)} already holds the policy ("codeai" key): edit it, or remove that key and run 'codeai-hook init' again`);
  }
  if (existing && !ctx.values.force) {
    throw new UsageError(`${shown(existing)} already exists: edit it, or run 'codeai-hook init --force' to replace it`);
  }

  const { chooseProvider } = await import('../providers/choose.js');
  const { provider, reason } = await chooseProvider({ ...DEFAULT_POLICY, provider: 'auto' }, ctx.env, ctx.signal, null);
  // Replacing means the new file is the one that gets read: a YAML policy file is rewritten where it is; any other
  // (.codeairc.json, a JS config) is searched before .codeairc.yaml and would shadow it, so it is moved aside.
  let target = path.join(repo.top, CONFIG_NAME);
  if (existing && YAML_NAMES.has(path.basename(existing))) target = existing;
  else if (existing) {
    await rename(existing, `${existing}.bak`);
    say(`${c.yellow('!')} moved ${shown(existing)} to ${shown(existing)}.bak (it would be read instead of ${CONFIG_NAME})`);
  }
  await writeFile(target, renderConfigTemplate(provider ? { provider: provider.name, model: provider.model } : { provider: 'auto' }));
  say(`${c.green('✔')} wrote ${shown(target)} (${reason.replace(/^auto: /, '')})`);

  if (await wantsInstall(ctx.values, ctx.env)) {
    const report = await install({ cwd: ctx.cwd });
    for (const action of report.actions) say(actionLine(action, c));
    say(`next: stage a change and commit; the review runs before each commit (see it with: codeai-hook review)`);
  } else {
    say(`next: codeai-hook install  (then every git commit is reviewed; codeai-hook doctor checks the set-up)`);
  }
  return 0;
};

async function existingConfig(cwd: string, top: string): Promise<string | null> {
  try {
    return (await loadPolicy(cwd, { stopDir: top })).file;
  } catch (err) {
    // A broken config is still a config: --force replaces it, without --force we must not.
    if (err instanceof ConfigError) return err.file ?? path.join(top, CONFIG_NAME);
    throw err;
  }
}

async function wantsInstall(values: Record<string, unknown>, env: NodeJS.ProcessEnv): Promise<boolean> {
  if (values['no-install']) return false;
  if (values.yes) return true;
  if (!process.stdin.isTTY || env.CI) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question('Install the pre-commit hook now? [Y/n] ')).trim().toLowerCase();
    return answer === '' || answer === 'y' || answer === 'yes';
  } finally {
    rl.close();
  }
}

