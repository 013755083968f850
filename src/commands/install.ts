import type { Command } from './context.js';
import { install, uninstall } from '../install/index.js';
import { colors, lineWriter } from '../terminal.js';
import { actionLine } from './action-line.js';

export const installCommand: Command = async (ctx) => {
  const c = colors(ctx.env);
  const say = lineWriter(process.stderr);
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
  const say = lineWriter(process.stderr);
  const report = await uninstall({ cwd: ctx.cwd, ...(typeof ctx.values.dir === 'string' ? { dir: ctx.values.dir } : {}) });
  for (const action of report.actions) say(actionLine(action, c));
  return 0;
};
