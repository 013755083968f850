import { createColors } from 'picocolors';
import { safeOutput } from './report/runner-safe.js';
import { maskSecretsInLine } from './rules/scan.js';

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

/** Colours for text written to `stream`: stderr (people's output) unless a command's product goes to stdout. */
export function colors(env: NodeJS.ProcessEnv = process.env, stream: Pick<OutputStream, 'isTTY'> = process.stderr) {
  return createColors(useColor(env, stream));
}

/**
 * CODEAI_DEBUG set: one line as each phase starts (policy, diff, review, report, done), with the time since the
 * process started (Node's own start-up included), to see where a run is slow or stuck.
 */
export function debugPhase(env: NodeJS.ProcessEnv, phase: string): void {
  if (env.CODEAI_DEBUG) process.stderr.write(`codeai-hook: debug: ${phase} (${Math.round(process.uptime() * 1000)} ms after start)\n`);
}

/** Each secret the rules know cut to its first characters, and nothing a terminal or CI runner would execute. */
function shown(text: string, env: NodeJS.ProcessEnv): string {
  return safeOutput(text.split('\n').map((l) => maskSecretsInLine(l, '')).join('\n'), env);
}

/**
 * Progress and diagnostics for people, on stderr (so a command's product on stdout can be piped). Everything printed
 * goes through here or sayOut/lineWriter, and much of it quotes the repository or a server (paths, config values,
 * error bodies, model text): see shown().
 */
export function say(line: string, env: NodeJS.ProcessEnv = process.env): void {
  writeShown(process.stderr, line, env);
}

/** A command's product (doctor's report, an explanation): stdout, for `| grep` and `> file`. */
export function sayOut(line: string, env: NodeJS.ProcessEnv = process.env): void {
  writeShown(process.stdout, line, env);
}

/** `text` to `stream` as say() shows it, ending in a newline. */
export function writeShown(stream: OutputStream, text: string, env: NodeJS.ProcessEnv = process.env): void {
  stream.write(shown(text.endsWith('\n') ? text : `${text}\n`, env));
}

/** A command's product on stdout (a report already masked by its renderer), made as safe as say() makes stderr. */
export function writeOut(text: string, env: NodeJS.ProcessEnv = process.env): void {
  process.stdout.write(safeOutput(text, env));
}

/**
 * Wraps one line of people's output at `width` columns, breaking only at spaces, later lines indented by `indent`.
 * A word longer than the line (a long path) stays whole. Colour codes count as no width.
 */
export function wrapLine(line: string, width = 80, indent = '  '): string {
  const words = line.split(' ');
  const out: string[] = [];
  let current = '';
  for (const word of words) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (current !== '' && current.trim() !== '' && visibleLength(candidate) > width) {
      out.push(current);
      current = `${indent}${word}`;
    } else {
      current = candidate;
    }
  }
  out.push(current);
  return out.join('\n');
}

/**
 * Writes people's lines to `stream`. On a terminal each is wrapped at 80 columns (or the terminal's width when
 * narrower), `indent` starting the lines a long one wraps onto; piped output stays one line per line, for grep.
 */
export function lineWriter(
  stream: OutputStream & { columns?: number } = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): (line: string, indent?: string) => void {
  const width = Math.min(80, stream.columns || 80);
  return (line, indent) => {
    const text = shown(line.endsWith('\n') ? line.slice(0, -1) : line, env);
    const wrapped = stream.isTTY ? text.split('\n').map((l) => wrapLine(l, width, indent)).join('\n') : text;
    stream.write(`${wrapped}\n`);
  };
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\x1b\[[0-9;]*m/g, '')].length;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const TICK_MS = 100;

export interface ProgressLine {
  /** Starts (or moves) the spinner: `done` of `total` units finished. */
  update(done: number, total: number): void;
  clear(): void;
}

/**
 * A spinner with "units done / total" and the elapsed time, redrawn in place every 100 ms while a model call is in
 * flight, so a one-unit review that takes 20 s does not look hung. Only on a TTY and never in CI, where carriage
 * returns turn logs into noise. The timer is unref'd: it never keeps the process alive.
 */
export function progressLine(
  env: NodeJS.ProcessEnv = process.env,
  stream: OutputStream = process.stderr,
  label = 'reviewing',
): ProgressLine {
  const enabled = Boolean(stream.isTTY) && !env.CI && env.TERM !== 'dumb';
  const started = Date.now();
  let shown = false;
  let frame = 0;
  let state = { done: 0, total: 0 };
  let timer: ReturnType<typeof setInterval> | undefined;
  const draw = () => {
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    const spinner = SPINNER[frame++ % SPINNER.length];
    const units = state.total === 1 ? '1 unit' : `${state.done}/${state.total} units`;
    stream.write(`\r\x1b[2K${spinner} codeai-hook: ${label} ${units} · ${secs}s`);
    shown = true;
  };
  const clear = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    if (shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  const update = (done: number, total: number) => {
    if (!enabled) return;
    state = { done, total };
    if (done >= total) return clear();
    draw();
    if (!timer) {
      timer = setInterval(draw, TICK_MS);
      timer.unref?.();
    }
  };
  return { update, clear };
}
