#!/usr/bin/env node
import { main, renderError } from './cli.js';
import { say } from './terminal.js';

/**
 * Leave as soon as the output is out. All our own work is awaited before main() returns (cache writes included);
 * what would otherwise keep the process up is an idle keep-alive socket of the model client, which cost every
 * commit ~40 ms (measured). Waiting for both streams to flush keeps piped output (JSON, SARIF) whole.
 */
function exitWhenFlushed(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

main(process.argv.slice(2)).then(exitWhenFlushed, (err: unknown) => {
  const { line, code } = renderError(err);
  // An error may quote a config value, a path or a server's answer: masked and made inert like every other line.
  say(line);
  if (process.env.CODEAI_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  exitWhenFlushed(code);
});
