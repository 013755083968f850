import type { CommandContext } from './context.js';
import { renderAgent } from '../report/agent.js';
import { peopleFormat } from '../report/agents.js';
import { renderTerminal } from '../report/terminal.js';
import { useColor } from '../terminal.js';
import type { ReviewResult } from '../types.js';

// Apart from reports.ts so that the hook's `run` does not load the machine-report renderers.
/** The people's report, with the flags and terminal of this invocation: on stderr for the hook, as git hooks do. */
export function printTerminal(
  result: ReviewResult,
  ctx: CommandContext,
  command: 'run' | 'review' | 'ci',
  stream: NodeJS.WriteStream = process.stderr,
): void {
  const text = renderTerminal(result, {
    color: useColor(ctx.env, stream),
    quiet: Boolean(ctx.values.quiet),
    verbose: Boolean(ctx.values.verbose),
    width: stream.columns || 80,
    command,
  });
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** The hook's report: the agent report when a coding agent commits (or CODEAI_OUTPUT=agent), else the terminal's. */
export function printHookReport(result: ReviewResult, ctx: CommandContext): void {
  if (peopleFormat(ctx.env) === 'agent') process.stderr.write(renderAgent(result, { command: 'run' }));
  else printTerminal(result, ctx, 'run');
}

