import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, renderGithub, renderJobSummary } from '../../src/report/github.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { finding, result, sampleResult } from './sample.js';

function commands(out: string): string[] {
  expect(out.endsWith('\n')).toBe(true);
  return out.slice(0, -1).split('\n');
}

/** What the runner does to a value: the inverse of the escaping. */
function unescapeProperty(s: string): string {
  return s
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');
}

describe('renderGithub', () => {
  it('starts with the verdict, then one command per finding, worst first', () => {
    const lines = commands(renderGithub(sampleResult()));
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe(
      '::error title=codeai-hook::check failed: 1 finding at or above high (block.severity); 1 secret found (aws-access-key)',
    );
    expect(lines.slice(1).map((l) => l.slice(0, l.indexOf(' ')))).toEqual([
      '::error',
      '::error',
      '::warning',
      '::notice',
      '::notice',
      '::notice',
    ]);
    expect(lines[1]).toBe(
      '::error file=src/config.ts,line=3,title=AWS access key in source::critical · security · aws-access-key · blocking: An AWS access key id was added.%0ASuggestion: Remove the key, rotate it, and read it from the environment.',
    );
    expect(lines).toContain(
      '::notice file=src/api/users.ts,line=57,endLine=60,title=Users fetched one at a time::low · performance: Each id costs one round trip.%0ASuggestion: Fetch all ids with one WHERE id = ANY($1) query.',
    );
  });

  it('sends a passing verdict as a notice', () => {
    expect(commands(renderGithub(result([])))).toEqual(['::notice title=codeai-hook::passed: no findings']);
  });

  it('says when GitHub will not show every annotation', () => {
    const many = result(Array.from({ length: 11 }, (_, i) => finding({ line: i + 1, severity: 'medium' })));
    expect(commands(renderGithub(many))[0]).toBe(
      '::notice title=codeai-hook::passed: 11 findings (11 medium) (GitHub shows 10 annotations of each level per step; the job summary lists all)',
    );
    const ten = result(Array.from({ length: 10 }, (_, i) => finding({ line: i + 1, severity: 'medium' })));
    expect(commands(renderGithub(ten))[0]).toBe('::notice title=codeai-hook::passed: 10 findings (10 medium)');
  });

  it('escapes data and properties the way the runner reads them', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0Anext: a, b');
    // Every other control character, a lone CR included, is shown as a symbol, never sent raw.
    expect(escapeData('bell\x07 esc\x1b[2J cr\rx')).toBe('bell\u2407 esc\u241b[2J cr\u240dx');
    expect(escapeProperty('a:b,c%d\ne')).toBe('a%3Ab%2Cc%25d%0Ae');
    const f = finding({ file: 'dir,x/a:b%.ts', title: 'Title, with: colon' });
    const line = commands(renderGithub(result([f])))[1] ?? '';
    expect(line.startsWith('::warning file=dir%2Cx/a%3Ab%25.ts,line=10,title=Title%2C with%3A colon::')).toBe(true);
    const props = line.slice('::warning '.length, line.indexOf('::', 2)).split(',');
    expect(props.map((p) => unescapeProperty(p.slice(p.indexOf('=') + 1)))).toEqual([
      'dir,x/a:b%.ts',
      '10',
      'Title, with: colon',
    ]);
  });

  it('cannot be made to forge a command by text in a finding', () => {
    const forged = [
      finding({ message: 'ok%0A::error file=x::forged' }),
      finding({ line: 11, message: 'ok\n::error file=x::forged' }),
      finding({ line: 12, message: 'ok\r::error file=x::forged', suggestion: 'and\r\n::warning::again' }),
      finding({ line: 13, title: 'title\n::error::forged', file: 'a\n::error::b.ts' }),
    ];
    const lines = commands(renderGithub(result(forged)));
    expect(lines).toHaveLength(1 + forged.length);
    for (const line of lines) expect(line.startsWith('::')).toBe(true);
    expect(lines.filter((l) => l.includes(' file='))).toHaveLength(forged.length);
    expect(lines.join('\n')).not.toMatch(/\r/);
    // The literal "%0A" stays literal text for the runner.
    expect(lines).toContain('::warning file=src/app.ts,line=10,title=Unchecked result::medium · bug: ok%250A::error file=x::forged');
  });

  it('leaves out a line for a whole-file finding, and an end line before the start', () => {
    const lines = commands(renderGithub(result([finding({ line: 0 }), finding({ line: 5, endLine: 2 })])));
    expect(lines[1]?.startsWith('::warning file=src/app.ts,title=')).toBe(true);
    expect(lines[2]?.startsWith('::warning file=src/app.ts,line=5,title=')).toBe(true);
  });

  it('is byte-identical for equal input', () => {
    expect(renderGithub(sampleResult())).toBe(renderGithub(sampleResult()));
  });
});

describe('renderJobSummary', () => {
  it('is the pull-request review in Markdown', () => {
    expect(renderJobSummary(sampleResult())).toBe(renderMarkdown(sampleResult()));
    const opts = { repoUrl: 'https://github.com/o/r', ref: 'abc123' };
    expect(renderJobSummary(sampleResult(), opts)).toBe(renderMarkdown(sampleResult(), opts));
  });
});
