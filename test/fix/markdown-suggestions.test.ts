// The Markdown review's fixes as GitHub suggested changes. GitHub's rule: a ```suggestion block in a review comment
// on lines start_line..line (RIGHT side, inside one hunk of the diff) replaces exactly those lines by the block's
// lines, and an empty block deletes them. Each block here, read back from the report and applied that way to the
// staged file, must give what applying the fix gives, and its lines must lie in one hunk of the diff.
import { describe, expect, it } from 'vitest';
import { applyFixes, splitLines } from '../../src/fix/lines.js';
import { validateFix } from '../../src/fix/validate.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { DiffFile, Finding, Fix } from '../../src/types.js';
import { finding, result } from '../report/sample.js';
import { diffFile } from './diff-file.js';

const CONTENT = ['import x from "x";', '', 'function f(a) {', '  return a == null ? 0 : a;', '}', '', 'const s = `a ``` b`;', 'export { f };'].join('\n') + '\n';
// Lines 2-7 are shown (3-4 changed); 1 and 8 are not.
const FILE: DiffFile = diffFile('src/f.js', [
  { oldStart: 2, newStart: 2, lines: [' ', ' function f(a) {', '-  return a;', '+  return a == null ? 0 : a;', ' }', ' ', ' const s = `a ``` b`;'] },
]);

interface Suggestion {
  file: string;
  start: number;
  end: number;
  lines: string[];
}

/** Every fix of the Markdown report: the range it names and the lines of its suggestion block. */
function suggestionsIn(md: string): Suggestion[] {
  const found: Suggestion[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /— <code>(.+?)<\/code> lines? (\d+)(?:–(\d+))?:$/.exec(lines[i]!);
    if (!head) continue;
    const open = lines[i + 2]!;
    const fence = /^(`{3,})suggestion$/.exec(open)?.[1];
    if (!fence) throw new Error(`no suggestion block after ${lines[i]}`);
    const body: string[] = [];
    let j = i + 3;
    for (; lines[j] !== fence; j++) {
      if (j >= lines.length) throw new Error('unclosed suggestion block');
      body.push(lines[j]!);
    }
    found.push({ file: head[1]!, start: Number(head[2]), end: Number(head[3] ?? head[2]), lines: body });
    i = j;
  }
  return found;
}

/** What GitHub does when the suggestion is committed. */
function commitSuggestion(content: string, s: Suggestion): string {
  const lines = splitLines(content);
  const eol = lines[s.start - 1]!.eol;
  lines.splice(s.start - 1, s.end - s.start + 1, ...s.lines.map((text) => ({ text, eol })));
  return lines.map((l) => l.text + l.eol).join('');
}

async function fixed(raw: Fix, title: string): Promise<Finding> {
  const check = await validateFix(raw, { file: FILE, content: CONTENT, secretLines: new Set() });
  if (!('fix' in check)) throw new Error(check.reason);
  return finding({ file: 'src/f.js', line: raw.startLine, title, fix: check.fix });
}

describe('Markdown suggestions', () => {
  it('each block replaces exactly the lines it names, inside one hunk, as GitHub commits it', async () => {
    const findings = [
      await fixed({ startLine: 4, endLine: 4, replacement: '  return a ?? 0;' }, 'Use ??'),
      await fixed({ startLine: 3, endLine: 5, replacement: 'const f = (a) => a ?? 0;' }, 'Arrow <b>function</b> | pipe'),
      await fixed({ startLine: 6, endLine: 6, replacement: '' }, 'Blank line'),
      await fixed({ startLine: 7, endLine: 7, replacement: 'const s = `a ```` b`;' }, 'Backticks'),
    ];
    const md = renderMarkdown(result(findings));
    expect(md).toContain('### Fixes (4)');
    const suggestions = suggestionsIn(md);
    expect(suggestions).toHaveLength(4);
    const hunk = FILE.hunks[0]!;
    for (const s of suggestions) {
      const f = findings.find((x) => x.fix!.startLine === s.start && x.fix!.endLine === s.end)!;
      expect(s.file).toBe('src/f.js');
      expect(s.start).toBeGreaterThanOrEqual(hunk.newStart);
      expect(s.end).toBeLessThanOrEqual(hunk.newStart + hunk.newLines - 1);
      expect(commitSuggestion(CONTENT, s)).toBe(applyFixes(CONTENT, [f.fix!]));
    }
    // The title is text, never HTML or a table cell break.
    expect(md).toContain('**Arrow &lt;b&gt;function&lt;/b&gt; \\| pipe**');
  });

  it('fences a block longer than any run of backticks in it', async () => {
    const md = renderMarkdown(result([await fixed({ startLine: 7, endLine: 7, replacement: 'const s = `a ```` b`;' }, 'Backticks')]));
    expect(md).toContain('`````suggestion\nconst s = `a ```` b`;\n`````');
  });

  it('says nothing of fixes when there are none', () => {
    expect(renderMarkdown(result([finding()]))).not.toContain('### Fixes');
  });
});
