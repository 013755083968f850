// Typed errors, rendered once at the CLI boundary (src/cli.ts). Each message is one line that names what is at
// fault and what to do; `exitCode` follows DESIGN.md: 2 usage/config, 3 review could not complete.

export class CodeaiError extends Error {
  readonly exitCode: number = 2;
}

export class UsageError extends CodeaiError {
  override readonly name = 'UsageError';
}

export class ConfigError extends CodeaiError {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly file?: string | null,
    readonly key?: string,
  ) {
    super(message);
  }
}

export class GitError extends CodeaiError {
  override readonly name = 'GitError';
}

export type ProviderErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'auth'
  | 'model-not-found'
  | 'rate-limited'
  | 'server'
  | 'context-length'
  | 'bad-request'
  | 'bad-response'
  | 'aborted';

export class ProviderError extends CodeaiError {
  override readonly name = 'ProviderError';
  override readonly exitCode = 3;
  constructor(
    message: string,
    readonly kind: ProviderErrorKind,
    readonly provider: string,
    readonly endpoint: string,
    readonly model: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Ctrl-C / SIGTERM: the commit is aborted, nothing is left behind. */
export class AbortedError extends CodeaiError {
  override readonly name = 'AbortedError';
  override readonly exitCode = 130;
}
