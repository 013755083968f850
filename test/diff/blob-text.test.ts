import { describe, expect, it } from 'vitest';
import { blobText, looksLikeText, utf16Of } from '../../src/diff/blob-text.js';
import type { DiffFile } from '../../src/types.js';

const file: DiffFile = { path: 'config/prod.js', status: 'modified', binary: true, hunks: [], added: 0, removed: 0 };

describe('blobText', () => {
  it('reads a text file git calls binary as its added lines, numbered as in the new blob', () => {
    const old = Buffer.from('a\nb\n');
    const now = Buffer.from('a\nkey = 1\r\nb\nnew\0line\n');
    const { file: scanned, strings } = blobText(file, old, now);
    expect(strings).toBe(false);
    expect(scanned.binary).toBe(false);
    expect(scanned.hunks[0]?.lines).toEqual([
      { kind: 'add', text: 'key = 1', newLine: 2 },
      { kind: 'add', text: 'new\0line', newLine: 4 },
    ]);
    expect(scanned.added).toBe(2);
  });

  it('reads every line of a new file, and nothing of an unchanged one', () => {
    expect(blobText(file, null, Buffer.from('x\ny\n')).file.hunks[0]?.lines.map((l) => l.text)).toEqual(['x', 'y']);
    expect(blobText(file, Buffer.from('x\n'), Buffer.from('x\n')).file.hunks).toEqual([]);
  });

  it('reads a real binary as its printable runs of 8 or more, new ones only', () => {
    const noise = Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0x80, 0x10, 0, 0, 7, 8, 0x90, 0x91, 0x92, 0x93]);
    const old = Buffer.concat([noise, Buffer.from('OLD-RUN-1234'), noise]);
    const now = Buffer.concat([noise, Buffer.from('OLD-RUN-1234'), noise, Buffer.from('\n'), noise, Buffer.from('AKIAQYLPMN5HFIQR7BLZ'), noise, Buffer.from('short'), noise]);
    const { file: scanned, strings } = blobText(file, old, now);
    expect(strings).toBe(true);
    expect(scanned.hunks[0]?.lines).toEqual([{ kind: 'add', text: 'AKIAQYLPMN5HFIQR7BLZ', newLine: 2 }]);
  });

  it('tells text with stray NUL bytes from a binary', () => {
    expect(looksLikeText(Buffer.from('const a = 1;\0\nconst b = 2;\n'))).toBe(true);
    expect(looksLikeText(Buffer.from('héllo wörld\n'))).toBe(true);
    expect(looksLikeText(Buffer.from(Array.from({ length: 256 }, (_, i) => i)))).toBe(false);
  });

  it('reads UTF-16 text as text: either byte order, with a BOM or (Latin text) without, CJK text too', () => {
    const le = (text: string) => Buffer.from(text, 'utf16le');
    const be = (text: string) => le(text).swap16();
    const lines = (blob: Buffer, old: Buffer | null = null) => blobText(file, old, blob).file.hunks[0]?.lines.map((l) => [l.newLine, l.text]);
    expect(lines(Buffer.concat([Buffer.from([0xff, 0xfe]), le('键 = 1\r\nkey = 2\r\n')]))).toEqual([[1, '键 = 1'], [2, 'key = 2']]);
    expect(lines(Buffer.concat([Buffer.from([0xfe, 0xff]), be('键\nkey = 2\n')]))).toEqual([[1, '键'], [2, 'key = 2']]);
    expect(lines(le('a\nkey = 2\n'), le('a\n'))).toEqual([[2, 'key = 2']]);
    expect(lines(be('a\nkey = 2\n'))).toEqual([[1, 'a'], [2, 'key = 2']]);
    expect(blobText(file, null, le('x\n')).strings).toBe(false);
    // Not UTF-16: UTF-8 text, an odd length, a binary whose NULs fall on both sides.
    expect(utf16Of(Buffer.from('plain text\n'))).toBeNull();
    expect(utf16Of(Buffer.concat([le('abc'), Buffer.from([0])]))).toBeNull();
    expect(utf16Of(Buffer.from([0, 0, 1, 0, 0, 2, 3, 0, 0, 0, 9, 9]))).toBeNull();
  });
});
