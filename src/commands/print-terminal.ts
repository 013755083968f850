import type { CommandContext } from './context.js';
import { renderAgent } from '../report/agent.js';
import { peopleFormat } from '../report/agents.js';
import { maskedResult } from '../report/masked.js';
import { renderTerminal } from '../report/terminal.js';
import { useColor, writeShown } from '../terminal.js';
import type { ReviewResult } from '../types.js';

// Apart from reports.ts so that the hook's `run` does not load the machine-report renderers.
/** The people's report, with the flags and terminal of this invocation: on stderr for the hook, as git hooks do. */
export function printTerminal(
  result: ReviewResult,
  ctx: CommandContext,
  command: 'run' | 'review' | 'ci',
  stream: NodeJS.WriteStream = process.stderr,
): void {
  const text = renderTerminal(maskedResult(result), {
    color: useColor(ctx.env, stream),
    quiet: Boolean(ctx.values.quiet),
    verbose: Boolean(ctx.values.verbose),
    width: stream.columns || 80,
    command,
  });
  writeShown(stream, text, ctx.env);
}

/** The hook's report: the agent report when a coding agent commits (or CODEAI_OUTPUT=agent), else the terminal's. */
export function printHookReport(result: ReviewResult, ctx: CommandContext): void {
  if (peopleFormat(ctx.env) === 'agent') writeShown(process.stderr, renderAgent(maskedResult(result), { command: 'run' }), ctx.env);
  else printTerminal(result, ctx, 'run');
}

