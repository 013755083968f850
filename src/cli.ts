import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AbortedError, CodeaiError, UsageError } from './errors.js';
import { COMMAND_HELP, MAIN_HELP } from './commands/help.js';
import type { Command, CommandContext } from './commands/context.js';
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
    options: { ...OUTPUT, ...REPORTS, base: { type: 'string' }, head: { type: 'string' } },
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
  init: {
    options: { yes: { type: 'boolean', short: 'y' }, force: { type: 'boolean' }, 'no-install': { type: 'boolean' } },
    positionals: false,
    load: async () => (await import('./commands/init.js')).initCommand,
  },
};

export function version(): string {
  return packageVersion();
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
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

  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: leave at once
    controller.abort(new AbortedError(`interrupted by ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const command = await spec.load();
    return await command({
      values: parsed.values as CommandContext['values'],
      positionals: parsed.positionals,
      cwd: process.cwd(),
      env,
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
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
