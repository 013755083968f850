// The review's fix step: built-in findings get their rule's mechanical fix, then every fix (model or built-in) is
// checked against the new side. A fix that fails is taken off its finding and counted with the reason; the finding
// itself stays. The diff's lines are the new side's lines; the whole content is read only for a fixed file held to a
// parser (JSON, YAML), so a hook whose fixes touch only code reads nothing more than the diff.

import { redact } from '../diff/redact.js';
import type { DiffFile, DroppedFix, Finding } from '../types.js';
import { builtinFix } from './builtin-fixes.js';
import { gateFileReason } from './gate-files.js';
import { newSideText, parsedAs, validateFix, type FixCheck } from './validate.js';

/** The new side's bytes of these paths (the index, or the commit under review); a path it lacks is left out. */
export type ReadNewSide = (paths: string[]) => Promise<Map<string, Buffer>>;

export interface OfferedFixes {
  /** The same findings in the same order, each with a checked fix or none. */
  findings: Finding[];
  dropped: DroppedFix[];
}

export async function offerFixes(findings: Finding[], files: DiffFile[], read?: ReadNewSide): Promise<OfferedFixes> {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const withBuiltin = findings.map((f) => {
    if (f.source !== 'builtin' || f.fix !== undefined) return f;
    const text = newSideLine(byPath.get(f.file), f.line);
    const fix = text === undefined ? undefined : builtinFix(f, text);
    return fix ? { ...f, fix } : f;
  });
  const paths = [...new Set(withBuiltin.filter((f) => f.fix !== undefined).map((f) => f.file))];
  if (paths.length === 0) return { findings: withBuiltin, dropped: [] };

  const parsed = paths.filter((p) => byPath.has(p) && parsedAs(p));
  const contents = read && parsed.length > 0 ? await read(parsed) : new Map<string, Buffer>();
  const secretLines = new Map<string, Set<number>>();
  const dropped: DroppedFix[] = [];
  const out: Finding[] = [];
  for (const f of withBuiltin) {
    if (f.fix === undefined) {
      out.push(f);
      continue;
    }
    const { fix: raw, ...rest } = f;
    const file = byPath.get(f.file);
    const check = file ? await checkOne(f, raw, file, contents.get(f.file) ?? wholeContentOf(file), secretLines) : { reason: `${f.file} is not in the diff` };
    if ('fix' in check) out.push({ ...rest, fix: check.fix });
    else {
      out.push(rest);
      dropped.push({ file: f.file, line: f.line, reason: check.reason });
    }
  }
  return { findings: out, dropped };
}

async function checkOne(f: Finding, raw: unknown, file: DiffFile, bytes: Buffer | undefined, secretLines: Map<string, Set<number>>): Promise<FixCheck> {
  const gate = f.source === 'model' ? gateFileReason(f.file) : null;
  if (gate) return { reason: gate };
  if (bytes?.includes(0)) return { reason: `${f.file} is binary` };
  const content = bytes?.toString('utf8');
  return validateFix(raw, { file, ...(content !== undefined ? { content } : {}), secretLines: secretLinesOf(file, secretLines) });
}

/** An added file's diff shows all of it: its content, for the parse check, when nothing was read. */
function wholeContentOf(file: DiffFile): Buffer | undefined {
  const [hunk, ...more] = file.hunks;
  if (file.status !== 'added' || file.binary || !hunk || more.length > 0 || hunk.newStart !== 1) return undefined;
  const eol = file.crlf ? '\r\n' : '\n';
  const text = hunk.lines.map((l) => `${l.text}${l.noNewline ? '' : eol}`).join('');
  return Buffer.from(text, 'utf8');
}

function newSideLine(file: DiffFile | undefined, line: number): string | undefined {
  for (const h of file?.hunks ?? []) {
    const text = newSideText(h).get(line);
    if (text !== undefined) return text;
  }
  return undefined;
}

/** The new-side lines that redaction changes: what a model saw masked (a secret, a private key's body). */
function secretLinesOf(file: DiffFile, cache: Map<string, Set<number>>): Set<number> {
  let lines = cache.get(file.path);
  if (!lines) {
    lines = new Set();
    const redacted = redact([file]).files[0];
    const before = file.hunks.flatMap((h) => h.lines);
    const after = redacted?.hunks.flatMap((h) => h.lines) ?? [];
    before.forEach((l, i) => {
      if (l.kind !== 'del' && l.newLine !== undefined && after[i]?.text !== l.text) lines!.add(l.newLine);
    });
    cache.set(file.path, lines);
  }
  return lines;
}
