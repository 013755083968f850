import type { Command } from '../cli.js';
import { install, uninstall } from '../install/index.js';
import { colors, say } from '../terminal.js';

type Colors = ReturnType<typeof colors>;

/** Done things get a check mark; notes and things left for the user to do must not look done. */
function actionLine(action: string, c: Colors): string {
  if (action.startsWith('note:')) return `${c.yellow('!')} ${action.slice(5).trim()}`;
  if (/^(add|run) .*: npm i/.test(action) || action.includes('npm i -D')) return `${c.yellow('→')} ${action}`;
  return `${c.green('✔')} ${action}`;
}

export const installCommand: Command = async (ctx) => {
  const c = colors(ctx.env);
  const report = await install({
    cwd: ctx.cwd,
    ...(typeof ctx.values.dir === 'string' ? { dir: ctx.values.dir } : {}),
    commitMsg: Boolean(ctx.values['commit-msg']),
  });
  for (const action of report.actions) say(actionLine(action, c));
  say(c.dim(`hook: ${report.hookFile} · every git commit now runs codeai-hook run (skip once: git commit --no-verify)`));
  return 0;
};

export const uninstallCommand: Command = async (ctx) => {
  const c = colors(ctx.env);
  const report = await uninstall({ cwd: ctx.cwd, ...(typeof ctx.values.dir === 'string' ? { dir: ctx.values.dir } : {}) });
  for (const action of report.actions) say(actionLine(action, c));
  return 0;
};
