// What every command receives and returns. Kept apart from cli.ts so that commands do not import the CLI that
// imports them.

export interface CommandContext {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on the first SIGINT/SIGTERM. */
  signal: AbortSignal;
}

/** Resolves to the exit code; throws a CodeaiError (rendered once by the CLI) for what the user must fix. */
export type Command = (ctx: CommandContext) => Promise<number>;
