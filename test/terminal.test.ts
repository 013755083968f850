// Colour and the progress line decide from the environment and the stream; both are passed in, so nothing here
// depends on how vitest's own stderr is set up.
import { describe, expect, it } from 'vitest';
import { progressLine, useColor, type OutputStream } from '../src/terminal.js';

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
    expect(stream.out).toMatch(/^\r\x1b\[2Kcodeai-hook: reviewing 1\/3 units · \d+\.\ds\r\x1b\[2Kcodeai-hook: reviewing 2\/3 units/);
    expect(stream.out).not.toContain('\n');
    const before = stream.out.length;
    p.clear();
    expect(stream.out.slice(before)).toBe('\r\x1b[2K');
    // A second clear has nothing to clear.
    p.clear();
    expect(stream.out.slice(before)).toBe('\r\x1b[2K');
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
    p.update(1, 2);
    p.update(2, 2);
    p.clear();
    expect(stream.out).toBe('');
  });
});
