import { describe, expect, it } from 'vitest';
import { renderTerminal } from '../../src/report/terminal.js';
import type { TerminalOptions } from '../../src/report/terminal.js';
import type { ReviewResult } from '../../src/types.js';
import { finding, result, sampleResult } from './sample.js';

const ANSI = /\x1b\[[0-9;]*m/g;

function plain(r: ReviewResult, opts: Partial<TerminalOptions> = {}): string[] {
  const out = renderTerminal(r, { color: false, command: 'run', ...opts });
  expect(out.endsWith('\n')).toBe(true);
  return out.slice(0, -1).split('\n');
}

/** Terminal cells: wide East Asian characters take two. Enough for the characters these tests use. */
function cells(line: string): number {
  let n = 0;
  for (const ch of line.replace(ANSI, '')) n += /[\u3040-\u30FF\u4E00-\u9FFF]/u.test(ch) ? 2 : 1;
  return n;
}

describe('renderTerminal: layout', () => {
  it('starts with the header: tool, provider and model, files, units and the time taken', () => {
    expect(plain(sampleResult())[0]).toBe('codeai-hook · ollama (qwen2.5-coder:7b) · 5 files, 3 units · 1.2s');
    expect(plain(result([], { provider: 'builtin', model: null, timings: { prepareMs: 1, reviewMs: 0, totalMs: 12 } }))[0]).toBe(
      'codeai-hook · builtin · 0 files, 1 unit · 12ms',
    );
  });

  it("shows the provider's reason only when verbose or when no model took part", () => {
    const reason = 'ollama answered at http://127.0.0.1:11434';
    expect(plain(sampleResult())).not.toContain(reason);
    expect(plain(sampleResult(), { verbose: true })[1]).toBe(reason);
    const builtin = result([], { provider: 'builtin', model: null, providerReason: 'no model configured' });
    expect(plain(builtin)[1]).toBe('no model configured');
  });

  it('lists skipped files one a line, and collapses more than five to counts unless verbose', () => {
    expect(plain(sampleResult()).filter((l) => l.startsWith('skipped '))).toEqual([
      'skipped package-lock.json — lockfile',
      'skipped assets/logo.png — binary',
    ]);
    const many = result([], {
      files: ['a.lock', 'b.lock', 'c.lock', 'd.png', 'e.png', 'f.min.js'].map((path, i) => ({
        path,
        status: 'modified' as const,
        added: 1,
        removed: 0,
        reviewed: false,
        skipped: i < 3 ? 'lockfile' : i < 5 ? 'binary' : 'minified',
      })),
    });
    const collapsed = plain(many);
    expect(collapsed).toContain('6 files skipped: 3 lockfile, 2 binary, 1 minified; --verbose lists them');
    expect(collapsed.some((l) => l.startsWith('skipped '))).toBe(false);
    expect(plain(many, { verbose: true }).filter((l) => l.startsWith('skipped '))).toHaveLength(6);
  });

  it('groups findings by file, each file once, worst first: the file with the worst finding leads', () => {
    const lines = plain(sampleResult());
    const files = lines.filter((l) => /^src\//.test(l));
    // config.ts holds the critical finding, users.ts a high, retry.ts a medium.
    expect(files).toEqual(['src/config.ts', 'src/api/users.ts', 'src/util/retry.ts']);
    const heads = lines.filter((l) => /^ {2}[A-Z]+ +line /.test(l)).map((l) => l.match(/^ {2}([A-Z]+) +line (\d+)/)?.slice(1).join(' '));
    expect(heads).toEqual(['CRITICAL 3', 'INFO 9', 'HIGH 42', 'LOW 57', 'MEDIUM 12', 'LOW 30']);
  });

  it('never lists an informational finding above a critical one; the same severity in line order', () => {
    const r = result([
      finding({ file: 'a.ts', line: 1, severity: 'info', title: 'remark' }),
      finding({ file: 'a.ts', line: 90, severity: 'critical', title: 'hole' }),
      finding({ file: 'a.ts', line: 30, severity: 'low', title: 'later' }),
      finding({ file: 'a.ts', line: 4, severity: 'low', title: 'earlier' }),
    ]);
    const heads = plain(r).filter((l) => l.includes(' line '));
    expect(heads.map((l) => l.trim().split(/\s+/)[0])).toEqual(['CRITICAL', 'LOW', 'LOW', 'INFO']);
    expect(heads[1]).toContain('earlier');
    expect(heads[2]).toContain('later');
  });

  it('shows badge, line, category and title, marks built-in rules and blocking findings', () => {
    const lines = plain(sampleResult());
    expect(lines).toContain('  HIGH     line 42 · security · SQL query built by string concatenation BLOCKS');
    expect(lines).toContain('  CRITICAL line 3 · security · AWS access key in source [aws-access-key] BLOCKS');
    expect(lines).toContain('  LOW      line 57-60 · performance · Users fetched one at a time');
    expect(lines.filter((l) => l.endsWith('BLOCKS'))).toHaveLength(2);
  });

  it('quotes the code line under a line-number gutter, cut with … when too long', () => {
    const lines = plain(sampleResult());
    expect(lines).toContain('        57 │ for (const id of ids) users.push(await getUser(id));');
    const cut = lines.find((l) => l.startsWith('        42 │ '));
    expect(cut?.endsWith('…')).toBe(true);
    expect(cut?.length).toBe(80);
  });

  it('wraps the message under the title and the suggestion after an arrow', () => {
    const lines = plain(sampleResult());
    const i = lines.indexOf('           The query text includes a request parameter, so a crafted id can read');
    expect(i).toBeGreaterThan(0);
    expect(lines[i + 1]).toBe('           or change any row of the users table. This is reachable from the');
    expect(lines).toContain("           → Pass the id as a bound parameter: db.query('SELECT * FROM users");
    expect(lines).toContain("             WHERE id = $1', [id]).");
    // A newline in the message starts a new line.
    expect(lines).toContain('           The loop retries immediately.');
    expect(lines).toContain('           A failing server is hit as fast as the loop runs.');
  });

  it('never writes a line wider than the width, also with wide characters and narrow terminals', () => {
    const wide = finding({ title: '変数名が長すぎます'.repeat(6), message: 'テスト'.repeat(40), code: '漢字'.repeat(50) });
    for (const width of [80, 50]) {
      for (const r of [sampleResult(), result([wide])]) {
        for (const line of renderTerminal(r, { color: true, width, command: 'run' }).split('\n')) {
          expect(cells(line), line).toBeLessThanOrEqual(width);
        }
      }
    }
  });

  it('lets only an unbreakable token pass the width, alone on its line', () => {
    const path = `src/${'very-long-directory-name/'.repeat(5)}file.ts`;
    const lines = plain(result([finding({ file: path, message: `see ${path} for details` })]));
    const over = lines.filter((l) => l.length > 80);
    expect(over.length).toBeGreaterThan(0);
    for (const l of over) expect(l.trim().split(' ').filter((w) => w.length > 60)).toHaveLength(1);
    expect(lines).toContain('           see');
  });

  it('reports suppressed counts only when there are some', () => {
    expect(plain(sampleResult())).toContain('3 findings suppressed (2 inline, 1 baseline); --no-suppress shows them');
    expect(plain(result([], { suppressed: { inline: 0, baseline: 1 } }))).toContain(
      '1 finding suppressed (1 baseline); --no-suppress shows them',
    );
    expect(plain(result([])).some((l) => l.includes('suppressed'))).toBe(false);
  });

  it('lists review errors as warnings', () => {
    const lines = plain(sampleResult());
    expect(lines).toContain('warning: unit 3 (src/util/retry.ts): ollama timed out after 60000 ms at');
    expect(lines).toContain('  http://127.0.0.1:11434; built-in rules only');
  });

  it('adds prompt size, calls, cache hits and timings when verbose', () => {
    expect(plain(sampleResult(), { verbose: true })).toContain(
      '~850 tokens sent · 2 calls · 1 cached · prepare 40ms · review 1.2s · total 1.2s',
    );
    expect(plain(sampleResult()).some((l) => l.includes('cached'))).toBe(false);
  });

  it('keeps control characters and bidi overrides from reaching the terminal', () => {
    const hostile = finding({
      title: 'clear\x1b[2J',
      message: 'bell\x07 and \u202Ereversed, C1 CSI \x9b2J',
      code: 'x = 1;\r\x1b]0;title\x07',
    });
    const out = renderTerminal(result([hostile]), { color: true, command: 'run' }).replace(ANSI, '');
    expect(out).not.toMatch(/[\x00-\x08\x0B-\x1F\x7F-\x9F\u202E]/);
    expect(out).toContain('clear␛[2J');
    expect(out).toContain('<U+202E>reversed');
  });
});

describe('renderTerminal: verdict', () => {
  it('ends a blocked hook run with the reasons, then how to skip once', () => {
    const lines = plain(sampleResult());
    expect(lines.slice(-4)).toEqual([
      '✖ commit blocked: 1 finding at or above high (block.severity); 1 secret found',
      '  (aws-access-key)',
      'fix the findings above, or skip this once with: git commit --no-verify',
      '  (or CODEAI_SKIP=1 git commit)',
    ]);
  });

  it('says "check failed" and offers no skip in ci or review: the verdict is the last line', () => {
    for (const command of ['ci', 'review'] as const) {
      const lines = plain(sampleResult(), { command });
      expect(lines.slice(-2)).toEqual([
        '✖ check failed: 1 finding at or above high (block.severity); 1 secret found',
        '  (aws-access-key)',
      ]);
      expect(lines.join('\n')).not.toContain('--no-verify');
    }
  });

  it('never says "passed" when onError block makes an incomplete review fail', () => {
    const incomplete = result([finding({ severity: 'low' })], { errors: ['ollama not answering'], incomplete: true, onError: 'block' });
    const ci = plain(incomplete, { command: 'ci' });
    expect(ci.join('\n')).not.toContain('passed');
    expect(ci.slice(-2).join(' ')).toMatch(/^✖ check failed: the model review did not complete \(onError: block\); the reason\s+is in the warning above · 1 finding \(1 low\)$/);
    const run = plain(incomplete, { command: 'run' });
    expect(run.join('\n')).toMatch(/✖ commit blocked: the model review did not complete/);
    expect(run.join('\n')).toContain('git commit --no-verify');
    expect(plain({ ...incomplete, onError: 'warn' }, { command: 'ci' }).at(-1)).toMatch(/^✔ passed/);
  });

  it('passes with the counts, and says when the model review was incomplete', () => {
    expect(plain(result([])).at(-1)).toBe('✔ passed · no findings');
    const r = result([finding({ severity: 'low' }), finding({ severity: 'medium', line: 20 })]);
    expect(plain(r).at(-1)).toBe('✔ passed · 2 findings (1 medium, 1 low)');
    expect(plain({ ...r, incomplete: true }).at(-1)).toBe(
      '✔ passed · 2 findings (1 medium, 1 low) · model review incomplete (see warnings)',
    );
  });

  it('quiet shows only the blocking findings, the warnings and the verdict', () => {
    const lines = plain(sampleResult(), { quiet: true });
    expect(lines[0]).toBe('src/config.ts');
    expect(lines.filter((l) => / line \d/.test(l))).toEqual([
      '  CRITICAL line 3 · security · AWS access key in source [aws-access-key] BLOCKS',
      '  HIGH     line 42 · security · SQL query built by string concatenation BLOCKS',
    ]);
    for (const absent of ['codeai-hook ·', 'skipped', 'suppressed', 'LOW', 'INFO']) {
      expect(lines.join('\n')).not.toContain(absent);
    }
    // A model that could not be reached is still reported: that is what onError 'warn' promises.
    expect(lines).toContain('warning: unit 3 (src/util/retry.ts): ollama timed out after 60000 ms at');
    expect(plain(result([finding()]), { quiet: true })).toEqual(['✔ passed · 1 finding (1 medium)']);
  });
});

describe('renderTerminal: color', () => {
  it('has no escape codes without color, and the same layout with it', () => {
    const bare = renderTerminal(sampleResult(), { color: false, command: 'run' });
    const colored = renderTerminal(sampleResult(), { color: true, command: 'run' });
    expect(bare).not.toContain('\x1b');
    expect(colored).toContain('\x1b[31mHIGH\x1b[39m');
    expect(colored.replace(ANSI, '')).toBe(bare);
  });

  it('is byte-identical for equal input', () => {
    const opts = { color: true, verbose: true, command: 'run' } as const;
    expect(renderTerminal(sampleResult(), opts)).toBe(renderTerminal(sampleResult(), opts));
  });
});

describe('renderTerminal: what was not shown', () => {
  it('counts the model findings dropped, and why, when verbose', () => {
    const verbose = plain(sampleResult(), { verbose: true, width: 200 }).join('\n');
    expect(verbose).toContain('2 model findings dropped (1 outside the diff, 1 duplicate): line 55 of src/api/users.ts is not in the diff; duplicate of an earlier finding at src/config.ts:3');
    expect(plain(sampleResult()).join('\n')).not.toContain('dropped');
  });

  it('says which policy a ci check used when the range edits a policy file', () => {
    const changed = result([], { policy: { file: '.codeairc.yaml', from: 'the merge base 0123456789ab', changed: ['.codeairc.yaml'] } });
    expect(plain(changed, { command: 'ci', width: 200 })).toContain(
      'policy: this change edits .codeairc.yaml; checked with .codeairc.yaml as at the merge base 0123456789ab: the edits apply after merge (--policy head checks with them)',
    );
    const unchanged = result([], { policy: { file: null, from: 'the merge base 0123456789ab', changed: [] } });
    expect(plain(unchanged, { command: 'ci' }).join('\n')).not.toContain('policy:');
  });

  it('prints a file name holding a line break or an escape character escaped, never raw', () => {
    const odd = result([finding({ file: 'a\nb\u001b[2J.js' })], { files: [{ path: 'x\ry.bin', status: 'added', added: 0, removed: 0, reviewed: false, skipped: 'binary' }] });
    const lines = plain(odd);
    expect(lines).toContain('a\\nb\\x1b[2J.js');
    expect(lines).toContain('skipped x\\ry.bin — binary');
    expect(lines.join('\n')).not.toMatch(/[\r\u001b]/);
  });
});
