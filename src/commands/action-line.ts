import type { colors } from '../terminal.js';

/**
 * One install action for people: done things get a check mark; notes and things left for the user to do
 * (npm i -D codeai-hook) must not look done.
 */
export function actionLine(action: string, c: ReturnType<typeof colors>): string {
  if (action.startsWith('note:')) return `${c.yellow('!')} ${action.slice(5).trim()}`;
  if (/^(add|run) .*: npm i/.test(action) || action.includes('npm i -D')) return `${c.yellow('→')} ${action}`;
  return `${c.green('✔')} ${action}`;
}
