import type { Command } from './context.js';
import { UsageError } from '../errors.js';
import { serve } from '../lsp/server.js';

/** `lsp`: the language server, on stdio, until the editor says exit. */
export const lspCommand: Command = async (ctx) => {
  for (const transport of ['node-ipc', 'socket', 'pipe']) {
    if (ctx.values[transport] !== undefined) throw new UsageError(`lsp speaks over stdio only, not --${transport}: start it as 'codeai-hook lsp --stdio'`);
  }
  const pid = ctx.values.clientProcessId;
  const clientProcessId = typeof pid === 'string' && /^\d+$/.test(pid) ? Number(pid) : undefined;
  if (pid !== undefined && clientProcessId === undefined) throw new UsageError(`lsp --clientProcessId takes a process id (a number), not '${String(pid)}'`);
  // Started in a terminal by hand, it would sit silent waiting for JSON-RPC: say what it is (stderr, the editor's log).
  if (process.stdin.isTTY) {
    process.stderr.write("codeai-hook lsp: a language server; it speaks LSP on stdin/stdout and is started by your editor (README: 'In your editor'). Ctrl-C ends it.\n");
  }
  // Nothing but the protocol may reach stdout: a config module's console.log goes to stderr, as the editor's log.
  console.log = console.error;
  console.info = console.error;
  return serve({ input: process.stdin, output: process.stdout, env: ctx.env, signal: ctx.signal, clientProcessId });
};
