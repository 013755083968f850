#!/usr/bin/env node
import { main, renderError } from './cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const { line, code } = renderError(err);
    process.stderr.write(`${line}\n`);
    if (process.env.CODEAI_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = code;
  },
);
