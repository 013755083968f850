import type { CommandContext } from './context.js';
import { maskedResult } from '../report/masked.js';
import { renderTerminal } from '../report/terminal.js';
import { say, useColor } from '../terminal.js';
import type { ReviewResult } from '../types.js';

// Apart from reports.ts so that the hook's `run` does not load the machine-report renderers.
/** The people's report, on stderr, with the flags and terminal of this invocation. */
export function printTerminal(result: ReviewResult, ctx: CommandContext, command: 'run' | 'review' | 'ci'): void {
  say(
    renderTerminal(maskedResult(result), {
      color: useColor(ctx.env),
      quiet: Boolean(ctx.values.quiet),
      verbose: Boolean(ctx.values.verbose),
      width: process.stderr.columns || 80,
      command,
    }),
  );
}

