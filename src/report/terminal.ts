// The report a person reads in the terminal after `git commit` (printed to stderr by the CLI). Readable at a glance
// at 80 columns: a header, findings grouped by file, worst first, then the verdict as the last thing on screen.
// Lines are wrapped here, at word boundaries, so the terminal never wraps them mid-word; only a single word longer
// than the width (a long path, a URL) may overflow.

import pc from 'picocolors';
import { escapeControl } from '../diff/quote.js';
import { lineRange, replacementLines } from '../fix/lines.js';
import type { Finding, Fix, ReviewResult, Severity } from '../types.js';
import {
  blockingSet,
  compareText,
  droppedPhrase,
  FAILED_CLOSED,
  failsClosed,
  findingsPhrase,
  plural,
  policyNote,
  providerPhrase,
  suppressedPhrase,
  visibleText,
  worstFileFirst,
} from './format.js';

export interface TerminalOptions {
  color: boolean;
  /** Only the blocking findings, the warnings and the verdict. */
  quiet?: boolean;
  /** Also the provider's reason, every skipped file, calls, cache hits and timings. */
  verbose?: boolean;
  /** Columns; 80 when absent. */
  width?: number;
  /** 'run' is the hook, so only it offers the way to skip the hook. */
  command: 'run' | 'review' | 'ci';
}

type Colors = ReturnType<typeof pc.createColors>;
type Style = (s: string) => string;

/** What every section needs to lay itself out. */
interface Layout {
  c: Colors;
  width: number;
  opts: TerminalOptions;
}

const MIN_WIDTH = 40;
/** More skipped files than this collapse to one line unless verbose. */
const SKIPPED_LISTED = 5;
/** "CRITICAL" is the longest badge; the text after badges lines up at this column. */
const BADGE_WIDTH = 8;
const HEAD_INDENT = '  ';
const BODY_INDENT = ' '.repeat(HEAD_INDENT.length + BADGE_WIDTH + 1);
const plain: Style = (s) => s;

export function renderTerminal(result: ReviewResult, opts: TerminalOptions): string {
  const layout: Layout = { c: pc.createColors(opts.color), width: Math.max(MIN_WIDTH, opts.width ?? 80), opts };
  const blocking = blockingSet(result);
  const order = worstFileFirst(result.findings);
  const shown = result.findings
    .map((f, index) => ({ f, blocks: blocking.has(index) }))
    .filter(({ blocks }) => !opts.quiet || blocks)
    .sort((a, b) => order(a.f, b.f));

  const sections: string[][] = [];
  if (!opts.quiet) sections.push([...header(result, layout), ...skipped(result, layout)], summaryLines(result, layout));
  sections.push(...groupByFile(shown).map((group) => fileSection(group, layout)));
  // Warnings stay in quiet mode: they are how onError 'warn' tells the user the model did not review the change.
  sections.push([...(opts.quiet ? [] : [...suppressed(result, layout), ...droppedFixes(result, layout)]), ...warnings(result, layout)]);
  sections.push(verdict(result, layout));
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n')}\n`;
}

// ---------- sections ----------

function header(result: ReviewResult, { c, width, opts }: Layout): string[] {
  const scope = `${plural(result.files.length, 'file')}, ${plural(result.units, 'unit')}`;
  const title = `· ${providerPhrase(result)} · ${scope} · ${duration(result.timings.totalMs)}`;
  const lines = wrap([word('codeai-hook', c.bold), ...words(title)], width, '', '  ');
  if (opts.verbose || result.provider === 'builtin') {
    lines.push(...wrap(words(result.providerReason, c.dim), width, '', '  '));
  }
  if (opts.verbose) {
    const { prepareMs, reviewMs, totalMs } = result.timings;
    const stats = [
      `~${result.tokens} tokens sent`,
      plural(result.calls, 'call'),
      `${result.cached} cached`,
      `prepare ${duration(prepareMs)}`,
      `review ${duration(reviewMs)}`,
      `total ${duration(totalMs)}`,
    ].join(' · ');
    lines.push(...wrap(words(stats, c.dim), width, '', '  '));
    const dropped = result.dropped ?? [];
    if (dropped.length > 0) {
      lines.push(...wrap(words(`${droppedPhrase(dropped)}: ${dropped.map((d) => d.reason).join('; ')}`, c.dim), width, '', '  '));
    }
  }
  return lines;
}

/** The model's summary of the change (ci, review --base), or why it is missing. */
function summaryLines(result: ReviewResult, { c, width }: Layout): string[] {
  if (result.summaryError) return wrap(words(`no summary: ${result.summaryError}`, c.dim), width, '', '  ');
  const s = result.summary;
  if (!s) return [];
  const risk = s.risk ? [word('risk', c.bold), word(s.risk), ...(s.riskReason ? words(`— ${s.riskReason}`) : [])] : [];
  return [...wrap([word('summary', c.bold), ...words(s.overview)], width, '', '  '), ...(risk.length > 0 ? wrap(risk, width, '', '  ') : [])];
}

function skipped(result: ReviewResult, { c, width, opts }: Layout): string[] {
  const files = result.files.filter((f) => f.skipped !== undefined);
  if (files.length > SKIPPED_LISTED && !opts.verbose) {
    const byReason = new Map<string, number>();
    for (const f of files) byReason.set(f.skipped ?? '', (byReason.get(f.skipped ?? '') ?? 0) + 1);
    const reasons = [...byReason.entries()]
      .sort(([ra, na], [rb, nb]) => nb - na || compareText(ra, rb))
      .map(([reason, n]) => `${n} ${reason}`)
      .join(', ');
    return wrap(words(`${files.length} files skipped: ${reasons}; --verbose lists them`, c.dim), width, '', '  ');
  }
  return files.flatMap((f) =>
    wrap([word('skipped', c.dim), word(escapeControl(f.path), c.dim), ...words(`— ${f.skipped ?? ''}`, c.dim)], width, '', '  '),
  );
}

interface Shown {
  f: Finding;
  blocks: boolean;
}

function groupByFile(shown: Shown[]): Shown[][] {
  const groups: Shown[][] = [];
  for (const item of shown) {
    const last = groups.at(-1);
    if (last && last[0]?.f.file === item.f.file) last.push(item);
    else groups.push([item]);
  }
  return groups;
}

function fileSection(group: Shown[], layout: Layout): string[] {
  const file = group[0]?.f.file ?? '';
  // A name may hold a line break or an escape character: shown escaped (\n, \x1b), never raw.
  return [layout.c.bold(visibleText(escapeControl(file))), ...group.flatMap(({ f, blocks }) => findingLines(f, blocks, layout))];
}

function findingLines(f: Finding, blocks: boolean, { c, width, opts }: Layout): string[] {
  const where = f.endLine !== undefined && f.endLine > f.line ? `line ${f.line}-${f.endLine}` : `line ${f.line}`;
  const head = [
    badge(f.severity, c),
    word(where),
    word('·', c.dim),
    word(f.category),
    word('·', c.dim),
    ...words(f.title, c.bold),
    ...(f.source === 'builtin' && f.rule ? [word(`[${f.rule}]`, c.dim)] : []),
    ...(f.confidence === 'low' ? [word('(low confidence)', c.dim)] : []),
    ...(f.fix ? [word('fixable', c.green)] : []),
    ...(blocks ? [word('BLOCKS', (s) => c.bold(c.red(s)))] : []),
  ];
  const lines = wrap(head, width, HEAD_INDENT, BODY_INDENT);
  if (f.code !== undefined && f.code.trim() !== '') lines.push(codeLine(f.line, f.code, c, width));
  for (const paragraph of f.message.split(/\r\n|\r|\n/).filter((p) => p.trim() !== '')) {
    lines.push(...wrap(words(paragraph), width, BODY_INDENT, BODY_INDENT));
  }
  if (f.suggestion) {
    lines.push(...wrap([word('→', c.green), ...words(f.suggestion)], width, BODY_INDENT, `${BODY_INDENT}  `));
  }
  if (f.explanation) {
    lines.push(...wrap([word('why:', c.cyan), ...words(f.explanation)], width, BODY_INDENT, `${BODY_INDENT}  `));
  }
  if (f.fix && opts.verbose) lines.push(...fixLines(f.fix, c, width));
  return lines;
}

/** The fix as the lines it removes and the lines it writes, each cut with '…' like a quoted line. */
function fixLines(fix: Fix, c: Colors, width: number): string[] {
  const range = lineRange(fix.startLine, fix.endLine);
  const line = (mark: string, text: string, style: Style) => {
    const gutter = `${BODY_INDENT}${mark} `;
    return style(gutter + truncate(visibleText(text).replace(/\t/g, '  '), width - displayWidth(gutter)));
  };
  return [
    c.dim(`${BODY_INDENT}fix, ${range}:`),
    ...replacementLines(fix.original ?? '').map((t) => line('-', t, c.red)),
    ...replacementLines(fix.replacement).map((t) => line('+', t, c.green)),
  ];
}

/** The quoted line with its number in a dim gutter; cut with '…' rather than wrapped, it is a quote. */
function codeLine(line: number, code: string, c: Colors, width: number): string {
  const gutter = `${HEAD_INDENT}${String(line).padStart(BADGE_WIDTH)} │ `;
  const text = visibleText(code.trim()).replace(/\t/g, '  ');
  return c.dim(gutter) + truncate(text, width - displayWidth(gutter));
}

function suppressed(result: ReviewResult, { c, width }: Layout): string[] {
  const phrase = suppressedPhrase(result);
  return phrase ? wrap(words(`${phrase}; --no-suppress shows them`, c.dim), width, '', '  ') : [];
}

function droppedFixes(result: ReviewResult, { c, width, opts }: Layout): string[] {
  const dropped = result.droppedFixes ?? [];
  if (dropped.length === 0) return [];
  if (!opts.verbose) return wrap(words(`${plural(dropped.length, 'suggested fix', 'suggested fixes')} dropped; --verbose says why`, c.dim), width, '', '  ');
  return dropped.flatMap((d) => wrap(words(`fix dropped: ${d.file}:${d.line} — ${d.reason}`, c.dim), width, '', '  '));
}

function warnings(result: ReviewResult, { c, width }: Layout): string[] {
  const note = policyNote(result);
  const policy = note ? wrap([word('policy:', (s) => c.bold(c.yellow(s))), ...words(note, c.yellow)], width, '', '  ') : [];
  return [
    ...policy,
    ...result.errors.flatMap((e) => wrap([word('warning:', (s) => c.bold(c.yellow(s))), ...words(e, c.yellow)], width, '', '  ')),
  ];
}

function verdict(result: ReviewResult, { c, width, opts }: Layout): string[] {
  const red = (s: string) => c.bold(c.red(s));
  // The hook blocks a commit; review and ci fail a check. Either way the line says what the exit code says.
  const failed = opts.command === 'run' ? [word('✖', red), word('commit', red), word('blocked:', red)] : [word('✖', red), word('check', red), word('failed:', red)];
  if (failsClosed(result)) {
    const lines = wrap([...failed, ...words(`${FAILED_CLOSED}; the reason is in the warning above · ${findingsPhrase(result)}`)], width, '', '  ');
    if (opts.command === 'run') lines.push(...skipHint(c, width));
    return lines;
  }
  if (!result.verdict.blocked) {
    const green = (s: string) => c.bold(c.green(s));
    const incomplete = result.incomplete ? ' · model review incomplete (see warnings)' : '';
    return wrap(
      [word('✔', green), word('passed', green), ...words(`· ${findingsPhrase(result)}${incomplete}`)],
      width,
      '',
      '  ',
    );
  }
  const lines = wrap([...failed, ...words(result.verdict.reasons.join('; '))], width, '', '  ');
  if (opts.command === 'run') {
    const blocking = blockingSet(result);
    const fixable = result.findings.filter((f, i) => f.fix && blocking.has(i)).length;
    if (fixable > 0) {
      const fixes = plural(fixable, 'suggested fix', 'suggested fixes');
      const say = [word('codeai-hook fix', c.cyan), ...words(`applies ${fixes} to your work tree (not the index), to review and stage with`, c.dim), word('git add -p', c.cyan)];
      lines.push(...wrap(say, width, '', '  '));
    }
    lines.push(...skipHint(c, width, 'fix the findings above, or skip this once with:'));
  }
  return lines;
}

function skipHint(c: Colors, width: number, lead = 'fix the reason, or skip this once with:'): string[] {
  // Each way to skip is one unit, so that wrapping never splits a command.
  const alternative = styledWord([
    ['(or ', c.dim],
    ['CODEAI_SKIP=1 git commit', c.cyan],
    [')', c.dim],
  ]);
  return wrap([...words(lead, c.dim), word('git commit --no-verify', c.cyan), alternative], width, '', '  ');
}

// ---------- words and wrapping ----------

/** A unit that wrapping never splits: styled runs of text and their visible width. */
interface Word {
  runs: Run[];
  width: number;
  /** Joined to the previous word without a space (between CJK characters, where a line may break anywhere). */
  glue?: boolean;
}
type Run = [text: string, style: Style];

function word(text: string, style: Style = plain): Word {
  return styledWord([[text, style]]);
}

function styledWord(runs: Run[]): Word {
  const safe = runs.map(([text, style]): Run => [visibleText(text), style]);
  return { runs: safe, width: safe.reduce((n, [text]) => n + displayWidth(text), 0) };
}

function words(text: string, style: Style = plain): Word[] {
  return text
    .split(/\s+/)
    .filter((w) => w !== '')
    .flatMap((token) =>
      (token.match(BREAK_AROUND_WIDE) ?? []).map((piece, i) => ({ ...word(piece, style), glue: i > 0 })),
    );
}

function badge(s: Severity, c: Colors): Word {
  const style: Record<Severity, Style> = {
    critical: (t) => c.bold(c.red(t)),
    high: c.red,
    medium: c.yellow,
    low: c.cyan,
    info: c.dim,
  };
  const label = s.toUpperCase();
  return styledWord([
    [label, style[s]],
    [' '.repeat(BADGE_WIDTH - label.length), plain],
  ]);
}

/**
 * Greedy word wrap; `first` and `rest` are the (plain space) indents of the first and following lines. Neighbouring
 * runs of one style are styled once, so a dim line carries one pair of escape codes, not one per word.
 */
function wrap(items: Word[], width: number, first: string, rest: string): string[] {
  const lines: Run[][] = [];
  let line: Run[] = [[first, plain]];
  let used = first.length;
  let empty = true;
  const add = ([text, style]: Run) => {
    const last = line[line.length - 1];
    if (last && last[1] === style) last[0] += text;
    else line.push([text, style]);
  };
  for (const w of items) {
    const gap = empty || w.glue ? 0 : 1;
    if (!empty && used + gap + w.width > width) {
      lines.push(line);
      line = [[rest, plain]];
      used = rest.length;
      empty = true;
    }
    if (!empty && !w.glue) {
      const last = line[line.length - 1];
      // The space between two words takes their style when they share one, so the run is not broken.
      add([' ', last && w.runs[0] && last[1] === w.runs[0][1] ? last[1] : plain]);
    }
    w.runs.forEach(add);
    used += (empty ? 0 : gap) + w.width;
    empty = false;
  }
  lines.push(line);
  return lines.map((runs) => runs.map(([text, style]) => (text === '' ? '' : style(text))).join(''));
}

function truncate(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (used + w > max - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

function displayWidth(s: string): number {
  let n = 0;
  for (const ch of s) n += charWidth(ch);
  return n;
}

const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200B-\u200D\uFE00-\uFE0F]/u;
// East Asian Wide and Fullwidth blocks and the common emoji blocks: the characters terminals draw two cells wide.
const WIDE_CHARS =
  '\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF' +
  '\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}';
const DOUBLE_WIDTH = new RegExp(`[${WIDE_CHARS}]`, 'u');
/** A wide character alone, or a run of anything else: text without spaces may still break around wide characters. */
const BREAK_AROUND_WIDE = new RegExp(`[${WIDE_CHARS}][\\p{Mn}\\p{Me}\\uFE00-\\uFE0F]*|[^${WIDE_CHARS}]+`, 'gu');

function charWidth(ch: string): number {
  if (ZERO_WIDTH.test(ch)) return 0;
  return DOUBLE_WIDTH.test(ch) ? 2 : 1;
}

function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}
