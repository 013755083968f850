// Colour and the progress line decide from the environment and the stream; both are passed in, so nothing here
// depends on how vitest's own stderr is set up.
import { describe, expect, it, vi } from 'vitest';
import { lineWriter, progressLine, useColor, wrapLine, type OutputStream } from '../src/terminal.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe('useColor', () => {
  it('a TTY gets colour, a pipe does not; TERM=dumb turns it off', () => {
    expect(useColor({}, tty)).toBe(true);
    expect(useColor({}, pipe)).toBe(false);
    expect(useColor({}, {})).toBe(false);
    expect(useColor({ TERM: 'dumb' }, tty)).toBe(false);
  });

  it('NO_COLOR (non-empty) turns colour off, even with FORCE_COLOR; empty NO_COLOR is ignored', () => {
    expect(useColor({ NO_COLOR: '1' }, tty)).toBe(false);
    expect(useColor({ NO_COLOR: '0' }, tty)).toBe(false);
    expect(useColor({ NO_COLOR: '1', FORCE_COLOR: '1' }, pipe)).toBe(false);
    expect(useColor({ NO_COLOR: '' }, tty)).toBe(true);
    expect(useColor({ NO_COLOR: '' }, pipe)).toBe(false);
  });

  it.each([
    ['1', true],
    ['2', true],
    ['true', true],
    ['', true],
    ['0', false],
    ['false', false],
  ])('FORCE_COLOR=%j decides whatever the stream (%s)', (value, on) => {
    expect(useColor({ FORCE_COLOR: value }, pipe)).toBe(on);
    expect(useColor({ FORCE_COLOR: value }, tty)).toBe(on);
  });

  it('a variable present but undefined counts as unset', () => {
    // Env objects built with { ...process.env, NO_COLOR: undefined } mean "unset"; `'X' in env` would say set.
    expect(useColor({ NO_COLOR: undefined }, tty)).toBe(true);
    expect(useColor({ FORCE_COLOR: undefined }, pipe)).toBe(false);
  });
});

function fakeStream(isTTY: boolean): OutputStream & { out: string } {
  const s = {
    isTTY,
    out: '',
    write(text: string) {
      s.out += text;
      return true;
    },
  };
  return s;
}

describe('progressLine', () => {
  it('on a TTY outside CI: redraws one line in place and clears it', () => {
    const stream = fakeStream(true);
    const p = progressLine({}, stream);
    p.update(1, 3);
    p.update(2, 3);
    expect(stream.out).toMatch(/^\r\x1b\[2K⠋ codeai-hook: reviewing 1\/3 units · \d+\.\ds\r\x1b\[2K⠙ codeai-hook: reviewing 2\/3 units/);
    expect(stream.out).not.toContain('\n');
    const before = stream.out.length;
    p.clear();
    expect(stream.out.slice(before)).toBe('\r\x1b[2K');
    // A second clear has nothing to clear.
    p.clear();
    expect(stream.out.slice(before)).toBe('\r\x1b[2K');
  });

  it('while one unit is in flight, the spinner turns and the elapsed time grows, then the line is cleared', () => {
    vi.useFakeTimers();
    try {
      const stream = fakeStream(true);
      const p = progressLine({}, stream);
      p.update(0, 1);
      vi.advanceTimersByTime(2_000);
      const frames = stream.out.split('\r\x1b[2K').filter(Boolean);
      // One frame at the start, then one per 100 ms.
      expect(frames.length).toBe(21);
      expect(frames[0]).toBe('⠋ codeai-hook: reviewing 1 unit · 0.0s');
      expect(frames.at(-1)).toBe('⠋ codeai-hook: reviewing 1 unit · 2.0s');
      p.update(1, 1);
      expect(stream.out.endsWith('\r\x1b[2K')).toBe(true);
      const after = stream.out.length;
      vi.advanceTimersByTime(1_000);
      expect(stream.out.length).toBe(after);
    } finally {
      vi.useRealTimers();
    }
  });

  it('clear writes nothing when nothing was shown', () => {
    const stream = fakeStream(true);
    progressLine({}, stream).clear();
    expect(stream.out).toBe('');
  });

  it.each([
    ['not a TTY', false, {}],
    ['CI=true', true, { CI: 'true' }],
    ['CI=1', true, { CI: '1' }],
    ['TERM=dumb', true, { TERM: 'dumb' }],
  ])('writes nothing when %s', (_what, isTTY, env) => {
    const stream = fakeStream(isTTY);
    const p = progressLine(env, stream);
    p.update(0, 2);
    p.update(1, 2);
    p.update(2, 2);
    p.clear();
    expect(stream.out).toBe('');
  });
});

describe('wrapLine', () => {
  it('breaks at spaces within 80 columns, indents what follows, and keeps long words whole', () => {
    const line = `✔ added codeai-hook to .pre-commit-config.yaml (a repo: local hook; run pre-commit install once per clone so that git runs it) ${'x'.repeat(90)}`;
    const wrapped = wrapLine(line).split('\n');
    expect(wrapped.slice(0, -1).every((l) => [...l].length <= 80)).toBe(true);
    expect(wrapped.slice(1).every((l) => l.startsWith('  '))).toBe(true);
    expect(wrapped.at(-1)).toBe(`  ${'x'.repeat(90)}`);
    expect(wrapped.join(' ').replace(/ {2,}/g, ' ')).toBe(line);
  });

  it('lineWriter wraps on a terminal (at most 80 columns, or narrower), and not when piped, for grep', () => {
    const long = `✔ hook: .husky/pre-commit runs codeai-hook (core.hooksPath .husky/_, husky); HUSKY=0 is set in this shell, so husky skips it here`;
    const tty = Object.assign(fakeStream(true), { columns: 200 });
    lineWriter(tty)(long);
    expect(tty.out.split('\n').filter(Boolean).every((l) => [...l].length <= 80)).toBe(true);
    expect(tty.out.split('\n').filter(Boolean).length).toBeGreaterThan(1);
    const narrow = Object.assign(fakeStream(true), { columns: 50 });
    lineWriter(narrow)(long);
    expect(narrow.out.split('\n').filter(Boolean).every((l) => [...l].length <= 50)).toBe(true);
    const piped = fakeStream(false);
    lineWriter(piped)(long);
    expect(piped.out).toBe(`${long}\n`);
  });

  it('leaves a short line alone and does not count colour codes', () => {
    expect(wrapLine('\x1b[32m✔\x1b[39m short')).toBe('\x1b[32m✔\x1b[39m short');
    const coloured = `\x1b[32m✔\x1b[39m ${'word '.repeat(15).trim()}`;
    expect(wrapLine(coloured)).toBe(coloured);
  });
});
