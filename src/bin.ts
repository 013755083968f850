// First: for `run`, the hook's gits start before the rest of the CLI loads (hook-start.ts).
import './hook-start.js';
import { writeSync } from 'node:fs';
import { main, renderError } from './cli.js';
import { interruption, letSignalsIn } from './interrupt.js';
import { debugPhase, say } from './terminal.js';

// Captured before any command runs: a JS config module that replaces process.exit must not decide our exit code.
const exit = process.exit.bind(process) as (code: number) => never;
/** Set once the command has decided its exit code; nothing that runs after may change it. */
let finalCode: number | undefined;

/**
 * Whatever goes wrong outside the command's own error handling (a rejection nobody awaited, an exception thrown
 * from a callback) is one line and exit 2 or 3, never 0 or 1: for the hook those mean "commit" and "blocked".
 * A listener added for a narrower scope (loading a config module) handles rejections in that scope itself.
 */
function fatal(error: unknown): never {
  const { line, code } = renderError(error);
  say(line); // masked and made inert like every other line; stderr writes are synchronous here
  if (process.env.CODEAI_DEBUG && error instanceof Error) writeSync(2, `${error.stack}\n`);
  finalCode = code === 0 || code === 1 ? 2 : code;
  return exit(finalCode);
}
process.on('uncaughtException', fatal);
process.on('unhandledRejection', (reason) => {
  if (process.listenerCount('unhandledRejection') > 1) return;
  fatal(reason);
});

// The event loop emptied (a promise that never settles) or something called process.exit before the command
// finished: never a silent 0 (git would commit) or 1. After it finished, a stray process.exit (a timer a config
// module left) cannot change the code either.
process.on('exit', (code) => {
  if (interruption() !== null) return; // the signal's own code (130, 143) stands
  if (finalCode !== undefined) {
    process.exitCode = finalCode;
    return;
  }
  // An earlier listener (a config module being loaded) may already have turned the code into an error.
  const current = typeof process.exitCode === 'number' ? process.exitCode : code;
  if (current !== 0 && current !== 1) return;
  writeSync(2, 'codeai-hook: stopped before the review finished (process.exit called, or a promise that never settles); nothing was reviewed\n');
  process.exitCode = 2;
});

/**
 * Leave as soon as the output is out. All our own work is awaited before main() returns (cache writes included);
 * what would otherwise keep the process up is an idle keep-alive socket of the model client, which cost every
 * commit ~40 ms (measured). Waiting for both streams to flush keeps piped output (JSON, SARIF) whole, and one more
 * full turn of the event loop (its poll phase reads pending signals) lets a signal that arrived during the last
 * synchronous step (the built-in scan) win over the verdict.
 */
function exitWhenFlushed(code: number): void {
  finalCode = code;
  debugPhase(process.env, `done, exit ${code}`);
  let pending = 2;
  const done = () => {
    if (--pending === 0) void letSignalsIn().then(() => exit(code));
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

main(process.argv.slice(2), process.env, exit).then(exitWhenFlushed, (err: unknown) => {
  const { line, code } = renderError(err);
  // An error may quote a config value, a path or a server's answer: masked and made inert like every other line.
  say(line);
  if (process.env.CODEAI_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  exitWhenFlushed(code);
});
