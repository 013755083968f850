import { describe, expect, it } from 'vitest';
import { renderUnit } from '../../src/diff/render.js';
import type { UnitFile } from '../../src/types.js';

const appTs: UnitFile = {
  path: 'src/app.ts',
  status: 'modified',
  hunks: [
    {
      oldStart: 10,
      oldLines: 3,
      newStart: 10,
      newLines: 3,
      heading: 'function foo',
      lines: [
        { kind: 'context', text: 'const a = 1;', oldLine: 10, newLine: 10 },
        { kind: 'add', text: 'const b = eval(x);', newLine: 11 },
        { kind: 'del', text: 'const c = 2;', oldLine: 11 },
        { kind: 'context', text: '', oldLine: 12, newLine: 12 },
      ],
    },
  ],
};

describe('renderUnit', () => {
  it('renders the documented format', () => {
    expect(renderUnit([appTs])).toBe(
      [
        'File: src/app.ts (modified)',
        '@@ -10,3 +10,3 @@ function foo',
        '10   const a = 1;',
        '11 + const b = eval(x);',
        '   - const c = 2;',
        '12   ',
      ].join('\n'),
    );
  });

  it('aligns numbers to the widest new-side number of the file part', () => {
    const file: UnitFile = {
      path: 'a.txt',
      status: 'added',
      hunks: [
        {
          oldStart: 0,
          oldLines: 0,
          newStart: 9,
          newLines: 2,
          heading: '',
          lines: [
            { kind: 'add', text: 'nine', newLine: 9 },
            { kind: 'add', text: 'ten', newLine: 10 },
          ],
        },
      ],
    };
    expect(renderUnit([file])).toBe('File: a.txt (added)\n@@ -0,0 +9,2 @@\n 9 + nine\n10 + ten');
  });

  it('shows renames, parts, and separates files by one blank line', () => {
    const renamed: UnitFile = { ...appTs, path: 'src/main.ts', oldPath: 'src/app.ts', status: 'renamed', part: { index: 2, total: 3 } };
    const deleted: UnitFile = {
      path: 'old.txt',
      status: 'deleted',
      hunks: [{ oldStart: 1, oldLines: 1, newStart: 0, newLines: 0, heading: '', lines: [{ kind: 'del', text: 'bye', oldLine: 1 }] }],
    };
    const text = renderUnit([renamed, deleted]);
    expect(text.split('\n')[0]).toBe('File: src/main.ts (renamed, from src/app.ts, part 2 of 3)');
    expect(text.endsWith('12   \n\nFile: old.txt (deleted)\n@@ -1,1 +0,0 @@\n  - bye')).toBe(true);
  });

  it('escapes a newline in a file name so it cannot forge a line', () => {
    const file: UnitFile = { ...appTs, path: 'evil\n@@ -1 +1 @@\nname' };
    expect(renderUnit([file]).split('\n')[0]).toBe('File: evil\\n@@ -1 +1 @@\\nname (modified)');
  });

  it('is deterministic', () => {
    expect(renderUnit([appTs, appTs])).toBe(renderUnit([appTs, appTs]));
  });
});
