import { createColors } from 'picocolors';

/** What these helpers need of a stream: process.stderr, or a stand-in in tests. */
export interface OutputStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * Colour for people's output on stderr: NO_COLOR turns it off, FORCE_COLOR (not "0") turns it on, otherwise only a
 * TTY gets colour (https://no-color.org, and what picocolors itself does for stdout).
 */
export function useColor(env: NodeJS.ProcessEnv = process.env, stream: Pick<OutputStream, 'isTTY'> = process.stderr): boolean {
  // A key present with the value undefined (an env object built as { ...process.env, NO_COLOR: undefined }) is unset.
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export function colors(env: NodeJS.ProcessEnv = process.env) {
  return createColors(useColor(env));
}

/** CODEAI_DEBUG set: one line as each phase starts (policy, diff, review, report), to see where a run is slow or stuck. */
export function debugPhase(env: NodeJS.ProcessEnv, phase: string): void {
  if (env.CODEAI_DEBUG) process.stderr.write(`codeai-hook: debug: ${phase}\n`);
}

export function say(line: string): void {
  process.stderr.write(line.endsWith('\n') ? line : `${line}\n`);
}

/**
 * A one-line "units done / total, elapsed" indicator, redrawn in place. Only on a TTY and never in CI, where
 * carriage returns turn logs into noise.
 */
export function progressLine(
  env: NodeJS.ProcessEnv = process.env,
  stream: OutputStream = process.stderr,
): {
  update(done: number, total: number): void;
  clear(): void;
} {
  const enabled = Boolean(stream.isTTY) && !env.CI && env.TERM !== 'dumb';
  const started = Date.now();
  let shown = false;
  return {
    update(done, total) {
      if (!enabled) return;
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      stream.write(`\r\x1b[2Kcodeai-hook: reviewing ${done}/${total} units · ${secs}s`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
