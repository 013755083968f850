import { describe, expect, it } from 'vitest';
import { escapeInline, renderMarkdown } from '../../src/report/markdown.js';
import { finding, result, sampleResult } from './sample.js';

/** Splits a table row the way GFM does: at '|' not taken by a backslash escape. */
function cellsOf(row: string): string[] {
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < row.length; i++) {
    const ch = row[i];
    if (ch === '\\' && i + 1 < row.length) {
      cell += ch + row[i + 1];
      i++;
    } else if (ch === '|') {
      cells.push(cell);
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell);
  // The leading and trailing pipes leave an empty first and last piece.
  return cells.slice(1, -1).map((c) => c.trim());
}

/** What a reader sees of an escaped cell: tags dropped, backslash escapes and entities resolved. */
function shown(cell: string): string {
  return cell
    .replace(/<\/?code>/g, '')
    .replace(/\\(.)/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function tableRows(md: string): string[] {
  return md.split('\n').filter((l) => l.startsWith('| '));
}

describe('renderMarkdown', () => {
  it('opens with the heading and a summary of the change', () => {
    const lines = renderMarkdown(sampleResult()).split('\n');
    expect(lines[0]).toBe('## codeai-hook review');
    expect(lines[2]).toBe('**5 files changed** (+341 -125), 3 reviewed · ollama (qwen2.5-coder:7b) · 3 units');
    expect(lines).toContain('- <code>src/util/retry.ts</code> renamed from <code>src/retry.ts</code>, +5 -2');
  });

  it('tables the findings worst first, marking the blocking ones', () => {
    const rows = tableRows(renderMarkdown(sampleResult()));
    expect(rows[0]).toBe('| Severity | File | Line | Category | Finding |');
    const body = rows.slice(2).map(cellsOf);
    expect(body.map((c) => c[0])).toEqual([
      '**critical** · blocks',
      '**high** · blocks',
      '**medium**',
      '**low**',
      '**low**',
      '**info**',
    ]);
    expect(body[3]).toEqual([
      '**low**',
      '<code>src/api/users.ts</code>',
      '57–60',
      'performance',
      '**Users fetched one at a time** — Each id costs one round trip.',
    ]);
    expect(body[0]?.[4]).toBe('**AWS access key in source** (<code>aws-access-key</code>) — An AWS access key id was added.');
  });

  it('links file and line to the repository when given a URL and a ref', () => {
    const md = renderMarkdown(sampleResult(), { repoUrl: 'https://github.com/o/r/', ref: 'feature/x' });
    const body = tableRows(md).slice(2).map(cellsOf);
    expect(body[0]?.[1]).toBe('[<code>src/config.ts</code>](https://github.com/o/r/blob/feature/x/src/config.ts#L3)');
    expect(body[3]?.[1]).toBe('[<code>src/api/users.ts</code>](https://github.com/o/r/blob/feature/x/src/api/users.ts#L57-L60)');
    const spaced = renderMarkdown(result([finding({ file: 'docs/a (1) b.md' })]), { repoUrl: 'https://x.test/r', ref: 'main' });
    expect(spaced).toContain('(https://x.test/r/blob/main/docs/a%20%281%29%20b.md#L10)');
    expect(renderMarkdown(sampleResult(), { repoUrl: 'https://github.com/o/r' })).not.toContain('](');
  });

  it('lists suggestions, skipped files in a details block, suppressed counts and warnings', () => {
    const md = renderMarkdown(sampleResult());
    expect(md).toContain(
      '### Suggestions\n\n- <code>src/config.ts:3</code>: Remove the key, rotate it, and read it from the environment.\n',
    );
    expect(md).toContain(
      '<details>\n<summary>Skipped files (2)</summary>\n\n- <code>package-lock.json</code>: lockfile\n- <code>assets/logo.png</code>: binary\n\n</details>',
    );
    expect(md).toContain('\n3 findings suppressed (2 inline, 1 baseline).\n');
    expect(md).toContain('### Warnings\n\n- unit 3 (src/util/retry.ts): ollama timed out');
  });

  it('recommends from the verdict', () => {
    expect(renderMarkdown(sampleResult()).trimEnd().split('\n').at(-1)).toBe(
      '**Recommendation: request changes** — 1 finding at or above high (block.severity); 1 secret found (aws-access-key)',
    );
    const passed = renderMarkdown(result([finding({ severity: 'low' })]));
    expect(passed.trimEnd().split('\n').at(-1)).toBe('**Recommendation: approve** — no blocking findings');
    const incomplete = renderMarkdown(result([], { incomplete: true, errors: ['unit 1 failed'] }));
    expect(incomplete).toContain('### Findings\n\nNo findings.');
    expect(incomplete.trimEnd().split('\n').at(-1)).toBe(
      '**Recommendation: approve** — no blocking findings; the model review was incomplete (see warnings)',
    );
  });

  it('leaves out what is empty', () => {
    const md = renderMarkdown(result([finding()]));
    for (const absent of ['Suggestions', 'Skipped files', 'suppressed', 'Warnings']) expect(md).not.toContain(absent);
  });

  it('keeps the table whole whatever a file name or message contains', () => {
    const awkward = [
      finding({ file: 'a|b`c`.ts', title: 'pipe | and `tick`', message: 'line one\nline | two\r\nthree' }),
      finding({ file: 'back\\|slash.ts', line: 2, message: 'ends with a backslash \\' }),
      finding({ file: '<img src=x onerror=alert(1)>.ts', line: 3, title: '<script>alert(1)</script>', message: '**bold** _it_ [l](u) ~~s~~ $x$' }),
    ];
    const md = renderMarkdown(result(awkward), { repoUrl: 'https://github.com/o/r', ref: 'main' });
    const rows = tableRows(md);
    expect(rows).toHaveLength(2 + awkward.length);
    for (const row of rows) expect(cellsOf(row)).toHaveLength(5);
    const body = rows.slice(2).map(cellsOf);
    // All three are medium, so the rows follow file order.
    const files = body.map((c) => shown(c[1]?.replace(/^\[(.*)\]\(.*\)$/, '$1') ?? ''));
    expect(files).toEqual(awkward.map((f) => f.file).sort());
    expect(shown(body[1]?.[4] ?? '')).toBe('**pipe | and `tick`** — line one line | two three');
    expect(md).not.toMatch(/<(img|script)/);
    expect(md).toContain('&lt;script&gt;');
  });

  it('escapes inline text so it reads literally', () => {
    expect(escapeInline('a|b')).toBe('a\\|b');
    expect(escapeInline('`x` *y* _z_ [w] ~v~ $m$')).toBe('\\`x\\` \\*y\\* \\_z\\_ \\[w\\] \\~v\\~ \\$m\\$');
    expect(escapeInline('<b> & \\')).toBe('&lt;b&gt; &amp; \\\\');
    expect(escapeInline('one\ntwo\r\nthree')).toBe('one two three');
    expect(escapeInline('esc\x1b[31m')).toBe('esc␛\\[31m');
  });

  it('is byte-identical for equal input', () => {
    const opts = { repoUrl: 'https://github.com/o/r', ref: 'abc' };
    expect(renderMarkdown(sampleResult(), opts)).toBe(renderMarkdown(sampleResult(), opts));
  });

  it('lists suppressed findings with the reason given, and counts dropped model findings with why', () => {
    const md = renderMarkdown(sampleResult());
    expect(md).toContain('<summary>Suppressed findings (3)</summary>');
    expect(md).toContain('- <code>src/cli.ts:4</code> console.log left in (<code>console-log</code>) — codeai-ignore: the CLI prints on purpose');
    expect(md).toContain('— codeai-ignore (no reason given)');
    expect(md).toContain('<summary>2 model findings dropped (1 outside the diff, 1 duplicate)</summary>');
    expect(md).toContain('- line 55 of src/api/users.ts is not in the diff (Off by one)');
  });
});
