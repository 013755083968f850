import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from '../cli.js';
import { ConfigError, UsageError } from '../errors.js';
import { openRepo } from '../git/repo.js';
import { install } from '../install/index.js';
import { DEFAULT_POLICY } from '../policy/defaults.js';
import { loadPolicy } from '../policy/load.js';
import { renderConfigTemplate } from '../policy/template.js';
import { colors, say } from '../terminal.js';

const CONFIG_NAME = '.codeairc.yaml';

/** `init`: a commented config with the provider auto would pick today, then (if wanted) the hook. */
export const initCommand: Command = async (ctx) => {
  const c = colors(ctx.env);
  const repo = await openRepo(ctx.cwd);
  const existing = await existingConfig(ctx.cwd, repo.top);
  if (existing && !ctx.values.force) {
    throw new UsageError(`${path.relative(ctx.cwd, existing) || existing} already exists: edit it, or run 'codeai-hook init --force' to replace it`);
  }

  const { chooseProvider } = await import('../providers/choose.js');
  const { provider, reason } = await chooseProvider({ ...DEFAULT_POLICY, provider: 'auto' }, ctx.env, ctx.signal, null);
  const target = path.join(repo.top, CONFIG_NAME);
  await writeFile(target, renderConfigTemplate(provider ? { provider: provider.name, model: provider.model } : { provider: 'auto' }));
  say(`${c.green('✔')} wrote ${path.relative(ctx.cwd, target) || CONFIG_NAME} (${reason.replace(/^auto: /, '')})`);

  if (await wantsInstall(ctx.values, ctx.env)) {
    const report = await install({ cwd: ctx.cwd });
    for (const action of report.actions) say(`${c.green('✔')} ${action}`);
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

