// Whether a fix may be shown and applied. A fix comes from a model (untrusted data) or a built-in rule; either way it
// must name lines the diff shows in one hunk (what a reviewer saw, and what a GitHub suggestion may replace), those
// lines must still read as the new side holds them, none of them may hold a secret, the new text must be plain text
// that changes something, and where a parser is cheap (JSON, YAML) the fixed file must still parse if it did before.
// Pure: the caller reads the content (src/fix/offer.ts).

import type { DiffFile, Fix, Hunk } from '../types.js';
import { applyFixes, canonicalReplacement, lineRange, linesText, splitLines, type Line } from './lines.js';

export interface FixTarget {
  file: DiffFile;
  /** The new side's whole content (the staged blob, or the head commit's); absent: the diff's lines stand for it. */
  content?: string;
  /** New-side lines that hold a secret (what a model saw redacted): no fix may touch them. */
  secretLines: ReadonlySet<number>;
}

export type FixCheck = { fix: Fix } | { reason: string };

const MAX_REPLACEMENT = 20_000;
const MAX_LINES = 400;
/** C0/C1 controls but tab, and the bidirectional overrides of "Trojan Source": new code must read as it runs. */
const UNSAFE_CHARS = /[\x00-\x08\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const REDACTION_MARK = /\[REDACTED:[^\]\n]*\]/;

export async function validateFix(raw: unknown, target: FixTarget): Promise<FixCheck> {
  const checked = checkFix(raw, target);
  if ('reason' in checked || target.content === undefined) return checked;
  const broken = await parseBreaks(target.file.path, target.content, checked.fix);
  return broken === null ? checked : { reason: broken };
}

/** Every check but the parse check. */
function checkFix(raw: unknown, target: FixTarget): FixCheck {
  const { file } = target;
  const shape = readShape(raw);
  if ('reason' in shape) return shape;
  const { startLine, endLine, replacement } = shape;
  const where = lineRange(startLine, endLine);
  if (file.status === 'deleted' || file.binary || file.submodule) return { reason: `${file.path} has no text on the new side to fix` };
  if (replacement.length > MAX_REPLACEMENT) return { reason: `the replacement is longer than ${MAX_REPLACEMENT} characters` };
  if (UNSAFE_CHARS.test(replacement.replace(/\r\n/g, '\n'))) return { reason: 'the replacement holds control or bidirectional characters' };
  if (REDACTION_MARK.test(replacement)) return { reason: 'the replacement holds a redaction mark where a secret was' };

  const hunk = hunkShowing(file.hunks, startLine, endLine);
  const one = startLine === endLine;
  if (!hunk) return { reason: `${where} of ${file.path} ${one ? 'is not shown' : 'are not all shown'} in one hunk of the diff` };
  for (let n = startLine; n <= endLine; n++) {
    if (target.secretLines.has(n)) return { reason: `${where} ${one ? 'holds' : 'hold'} a secret: fix ${one ? 'it' : 'them'} by hand` };
  }
  const shown = newSideText(hunk);
  let lines: Line[];
  if (target.content !== undefined) {
    const all = splitLines(target.content);
    if (endLine > all.length) return { reason: `${where} ${one ? 'is' : 'are'} past the end of ${file.path} as staged` };
    lines = all.slice(startLine - 1, endLine);
    const stale = lines.findIndex((l, i) => l.text !== shown.get(startLine + i));
    if (stale >= 0) return { reason: `line ${startLine + stale} no longer matches the staged content` };
  } else {
    lines = [];
    for (let n = startLine; n <= endLine; n++) lines.push({ text: shown.get(n) ?? '', eol: lastWithoutNewline(hunk, n) ? '' : '\n' });
  }
  const fix: Fix = { startLine, endLine, replacement: canonicalReplacement(replacement), original: linesText(lines) };
  if (fix.replacement.split('\n').length - 1 > MAX_LINES) return { reason: `the replacement is longer than ${MAX_LINES} lines` };
  if (fix.replacement === fix.original || fix.replacement === `${fix.original}\n`) return { reason: 'the replacement changes nothing' };
  return { fix };
}

type Shape = { startLine: number; endLine: number; replacement: string };

function readShape(raw: unknown): Shape | { reason: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { reason: 'the fix is not an object' };
  const { startLine, endLine, replacement } = raw as Record<string, unknown>;
  if (!isLine(startLine) || !isLine(endLine)) return { reason: 'the fix has no valid startLine and endLine' };
  if (endLine < startLine) return { reason: `the fix ends (line ${endLine}) before it starts (line ${startLine})` };
  if (typeof replacement !== 'string') return { reason: 'the fix has no replacement text' };
  return { startLine, endLine, replacement };
}

function isLine(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 1;
}

/** The hunk whose new side shows every line of the range, as added or context lines. */
function hunkShowing(hunks: readonly Hunk[], start: number, end: number): Hunk | undefined {
  return hunks.find((h) => {
    const shown = newSideText(h);
    for (let n = start; n <= end; n++) if (!shown.has(n)) return false;
    return true;
  });
}

const shownCache = new WeakMap<Hunk, Map<number, string>>();

/** The new-side lines a hunk shows (added and context), by number. */
export function newSideText(hunk: Hunk): Map<number, string> {
  let shown = shownCache.get(hunk);
  if (!shown) {
    shown = new Map();
    for (const l of hunk.lines) if (l.kind !== 'del' && l.newLine !== undefined) shown.set(l.newLine, l.text);
    shownCache.set(hunk, shown);
  }
  return shown;
}

function lastWithoutNewline(hunk: Hunk, line: number): boolean {
  return hunk.lines.some((l) => l.kind !== 'del' && l.newLine === line && l.noNewline === true);
}

// ---------- the parse check ----------

type Parser = (text: string) => Promise<void>;

const PARSERS: Array<{ name: string; path: RegExp; parse: Parser }> = [
  { name: 'JSON', path: /\.json$/i, parse: async (text) => void JSON.parse(stripBom(text)) },
  {
    name: 'YAML',
    path: /\.ya?ml$/i,
    parse: async (text) => {
      // Loaded only for a YAML fix: the hook's start-up does not pay for it.
      const yaml = (await import('js-yaml')).default;
      yaml.loadAll(text, () => undefined);
    },
  },
];

/** True when a fix of this file is held to a parser, which needs the file's whole content. */
export function parsedAs(path: string): boolean {
  return PARSERS.some((p) => p.path.test(path));
}

/**
 * Why the fixed content no longer parses, or null. A file that did not parse before (JSON with comments, a YAML
 * template) is not held to it: the check can only tell that a fix broke what worked.
 */
async function parseBreaks(path: string, content: string, fix: Fix): Promise<string | null> {
  const parser = PARSERS.find((p) => p.path.test(path));
  if (!parser) return null;
  if ((await failure(parser.parse, content)) !== null) return null;
  const error = await failure(parser.parse, applyFixes(content, [fix]));
  return error === null ? null : `the fixed file is not valid ${parser.name} (${error})`;
}

async function failure(parse: Parser, text: string): Promise<string | null> {
  try {
    await parse(text);
    return null;
  } catch (err) {
    return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 120);
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
