import { writeSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AbortedError, CodeaiError, UsageError } from './errors.js';
import { COMMAND_HELP, MAIN_HELP } from './commands/help.js';
import type { Command, CommandContext } from './commands/context.js';
import { interrupted } from './interrupt.js';
import { packageVersion } from './package-root.js';

type Options = NonNullable<ParseArgsConfig['options']>;


const COMMON: Options = {
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  // The help says --version works everywhere: `codeai-hook run --version` included.
  version: { type: 'boolean', short: 'v' },
};
const OUTPUT: Options = {
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean' },
  explain: { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  'no-suppress': { type: 'boolean' },
};
const REPORTS: Options = { format: { type: 'string' }, output: { type: 'string' }, timings: { type: 'boolean' } };

// Each command's module is imported only when it runs: the hook pays for `run`'s graph alone.
const COMMANDS: Record<string, { options: Options; positionals: boolean; load: () => Promise<Command> }> = {
  install: {
    options: { dir: { type: 'string' }, 'commit-msg': { type: 'boolean' } },
    positionals: false,
    load: async () => (await import('./commands/install.js')).installCommand,
  },
  uninstall: {
    options: { dir: { type: 'string' } },
    positionals: false,
    load: async () => (await import('./commands/install.js')).uninstallCommand,
  },
  run: {
    options: { ...OUTPUT, 'commit-msg': { type: 'string' } },
    positionals: false,
    load: async () => (await import('./commands/run.js')).runCommand,
  },
  review: {
    options: { ...OUTPUT, ...REPORTS, staged: { type: 'boolean' }, base: { type: 'string' }, head: { type: 'string' } },
    positionals: true,
    load: async () => (await import('./commands/review.js')).reviewCommand,
  },
  ci: {
    options: { ...OUTPUT, ...REPORTS, base: { type: 'string' }, head: { type: 'string' }, policy: { type: 'string' } },
    positionals: false,
    load: async () => (await import('./commands/ci.js')).ciCommand,
  },
  explain: {
    options: { level: { type: 'string' } },
    positionals: true,
    load: async () => (await import('./commands/explain.js')).explainCommand,
  },
  fix: {
    options: { yes: { type: 'boolean', short: 'y' }, 'dry-run': { type: 'boolean' }, 'no-cache': { type: 'boolean' } },
    positionals: true,
    load: async () => (await import('./commands/fix.js')).fixCommand,
  },
  baseline: {
    options: { staged: { type: 'boolean' }, base: { type: 'string' }, all: { type: 'boolean' }, output: { type: 'string' } },
    positionals: false,
    load: async () => (await import('./commands/baseline.js')).baselineCommand,
  },
  doctor: { options: {}, positionals: false, load: async () => (await import('./commands/doctor.js')).doctorCommand },
  eval: {
    options: { cases: { type: 'string' }, 'from-history': { type: 'string' }, model: { type: 'string' }, format: { type: 'string' } },
    positionals: false,
    load: async () => (await import('./commands/eval.js')).evalCommand,
  },
  init: {
    options: { yes: { type: 'boolean', short: 'y' }, force: { type: 'boolean' }, 'no-install': { type: 'boolean' } },
    positionals: false,
    load: async () => (await import('./commands/init.js')).initCommand,
  },
  // Editors start servers with the transport they want; only stdio is spoken, the others are refused by name.
  lsp: {
    options: {
      stdio: { type: 'boolean' },
      clientProcessId: { type: 'string' },
      'node-ipc': { type: 'boolean' },
      socket: { type: 'string' },
      pipe: { type: 'string' },
    },
    positionals: false,
    load: async () => (await import('./commands/lsp.js')).lspCommand,
  },
};

export function version(): string {
  return packageVersion();
}

/** Exit codes of the signals a terminal, a CI runner or a closed window send: 128 + the signal's number. */
const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * `exit` ends the process; the CLI passes the one it captured at start-up, so a config module that replaces
 * process.exit cannot change what an interrupt exits with.
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, exit: (code: number) => never = process.exit): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(MAIN_HELP);
    return name ? 0 : 2;
  }
  if (name === '-v' || name === '--version') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const spec = COMMANDS[name];
  if (!spec) throw new UsageError(`unknown command '${name}': run 'codeai-hook --help' for the list`);

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: { ...COMMON, ...spec.options }, allowPositionals: spec.positionals, strict: true });
  } catch (err) {
    const why = (err as Error).message.split('\n')[0]?.replace(/\. To specify a positional.*$/, '');
    throw new UsageError(`${name}: ${why}; run 'codeai-hook ${name} --help'`);
  }
  if (parsed.values.help) {
    process.stdout.write(COMMAND_HELP[name] ?? MAIN_HELP);
    return 0;
  }
  if (parsed.values.version) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }

  // A signal ends every phase at once (config load, git, the built-in scan, report writing), not only the model
  // calls that watch the abort signal: finishing the run would exit 0 or 1, and git commits on 0 (it does not stop
  // a hook on Ctrl-C by itself). Files still being written are removed first.
  // The run then ends by the signal itself, as a cleanly interrupted program should: the shell shows 130 / 143, a
  // script that ran it stops too, and no blocked file operation (an append to a FIFO) can hold the exit up, which
  // process.exit would wait for.
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    controller.abort(new AbortedError(`interrupted by ${sig}`));
    interrupted(sig);
    writeSync(2, `codeai-hook: interrupted (${sig}): stopped${name === 'run' ? ', the commit is not made' : ''}; nothing was left behind\n`);
    process.removeAllListeners(sig);
    process.kill(process.pid, sig);
    exit(SIGNAL_EXIT[sig] ?? 130); // only if the signal did not end the process
  };
  // Never removed: libuv reads a signal only when the event loop next polls, and a listener removed before that
  // (the command returning right after the synchronous scan) would drop it, and the verdict's exit code would win.
  for (const sig of Object.keys(SIGNAL_EXIT) as NodeJS.Signals[]) process.on(sig, onSignal);
  const command = await spec.load();
  return command({
    values: parsed.values as CommandContext['values'],
    positionals: parsed.positionals,
    cwd: process.cwd(),
    env,
    signal: controller.signal,
  });
}

/** The one place errors become text: one line, no stack, the exit code the error carries. */
export function renderError(err: unknown): { line: string; code: number } {
  if (err instanceof CodeaiError) return { line: `codeai-hook: ${err.message}`, code: err.exitCode };
  const message = err instanceof Error ? err.message : String(err);
  return {
    line: `codeai-hook: unexpected error: ${message.split('\n')[0]} (please report it; CODEAI_DEBUG=1 shows the stack)`,
    code: 2,
  };
}
