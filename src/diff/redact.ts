// Masks secrets before any diff text leaves the machine. Every line kind is redacted: a deleted key is as exposed
// to a model as an added one. Suppression comments do not apply here: an ignored finding still must not leak.
// File names are redacted like lines (`notes-ghp_….md` is sent as `notes-[REDACTED:github-token].md`), and lines the
// staged blob shows to be inside a private key (file.keyLines) are redacted whatever they look like in the diff.
import { KEY_RULE_ID, privateKeyRule } from '../rules/key-blocks.js';
import { findSecrets } from '../rules/scan.js';
import { replaceRanges } from '../rules/mask.js';
import { secretRules } from '../rules/secrets.js';
import type { LineRule } from '../rules/types.js';
import type { DiffFile, DiffLine } from '../types.js';

export interface Redaction {
  file: string;
  /** New-side line; absent for a deleted line and for a hunk heading. */
  line?: number;
  /** The secrets rule that matched. */
  rule: string;
}

export interface RedactResult {
  /** New file objects (the input is left as it was); hunks and lines without a secret are shared with the input. */
  files: DiffFile[];
  /** One entry per secret (a multi-line key block counts once). */
  redactions: Redaction[];
  /** Redacted file name → the real one, for each name that held a secret (to place the model's findings). */
  names: Map<string, string>;
}

export function redactionMark(ruleId: string): string {
  return `[REDACTED:${ruleId}]`;
}

/** Rules whose secret spans several lines (PEM blocks). */
type BlockRule = LineRule & Required<Pick<LineRule, 'block'>>;
let blocks: BlockRule[] | null = null;
// Read on first need: the rule tables are built only when something needs them (rules/secrets.ts).
const blockRules = (): BlockRule[] => (blocks ??= secretRules().filter((r): r is BlockRule => r.block !== undefined));

/** Replaces every secret in `files` by `[REDACTED:<rule-id>]`; text around a secret is kept byte for byte. */
export function redact(files: DiffFile[]): RedactResult {
  const redactions: Redaction[] = [];
  const names = new Map<string, string>();
  const out = files.map((file) => {
    const record: Recorder = (line, rule) => redactions.push(line === undefined ? { file: file.path, rule } : { file: file.path, line, rule });
    const redacted = redactFile(file, record);
    redacted.path = redactName(file.path, names, record);
    if (file.oldPath !== undefined) redacted.oldPath = redactName(file.oldPath, names, record);
    return redacted;
  });
  return { files: out, redactions, names };
}

/** Text that is no diff (a pull request's description, an instruction file) as a file adding each of its lines. */
export function addedTextFile(path: string, text: string): DiffFile {
  const lines = text.split('\n');
  return {
    path,
    status: 'added',
    binary: false,
    hunks: [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: lines.length, heading: '', lines: lines.map((t, i) => ({ kind: 'add', text: t, newLine: i + 1 })) }],
    added: lines.length,
    removed: 0,
  };
}

/** `text` redacted line by line as diff lines are (a key block pasted into it is masked as in code). */
export function redactPlainText(path: string, text: string): string {
  return redact([addedTextFile(path, text)]).files[0]!.hunks[0]!.lines.map((l) => l.text).join('\n');
}

/**
 * A path with each secret in it replaced by its mark. Two names that redact alike are told apart by a counter, so
 * the model's findings can still be placed on the right file.
 */
function redactName(path: string, names: Map<string, string>, record: Recorder): string {
  const secrets = findSecrets(path, path);
  if (secrets.length === 0) return path;
  for (const m of secrets) record(undefined, m.rule.id);
  let shown = replaceRanges(path, secrets, (m) => redactionMark(m.rule.id));
  for (let n = 2; names.has(shown) && names.get(shown) !== path; n++) {
    shown = replaceRanges(path, secrets, (m) => `[REDACTED:${m.rule.id}:${n}]`);
  }
  names.set(shown, path);
  return shown;
}

type Recorder = (line: number | undefined, rule: string) => void;

function redactFile(file: DiffFile, record: Recorder): DiffFile {
  // git prints the enclosing line as the hunk heading, and that line can be `API_KEY = "…"`, or, in a file that holds
  // a private key, a line of the key's body (git takes any line starting with a letter for a function's first line).
  const headings = file.hunks.map((h) =>
    keyBodyHeading(file, h.heading) ? redactionMark(KEY_RULE_ID) : redactText(h.heading, file.path, undefined, record),
  );
  // The lines in file order across hunks (a key block may start in one hunk and end in the next), and the text each
  // is sent with: only a line whose text changes is copied, so a change without secrets costs no second copy of it.
  const lines = file.hunks.flatMap((h) => h.lines);
  const texts = lines.map((l) => l.text);
  redactKeyLines(file, lines, texts, record);
  let open: BlockRule | null = null;
  for (let i = 0; i < lines.length; i++) {
    const text = texts[i]!;
    if (open) {
      const end = open.block.end.exec(text);
      if (end) {
        texts[i] = redactionMark(open.id) + text.slice(end.index + end[0].length);
        open = null;
        continue;
      }
      if (open.block.body.test(text)) {
        if (text.trim() !== '') texts[i] = redactionMark(open.id);
        continue;
      }
      open = null; // not key material: the header was only mentioned
    }
    const secrets = findSecrets(text, file.path);
    if (secrets.length === 0) {
      redactHeadlessBlock(lines, texts, i, file.path, record);
      continue;
    }
    texts[i] = replaceRanges(text, secrets, (m) => redactionMark(m.rule.id));
    for (const m of secrets) record(newSideLine(lines[i]!), m.rule.id);
    const last = secrets[secrets.length - 1];
    if (last && isBlockRule(last.rule) && !last.rule.block.end.test(last.value)) open = last.rule;
  }
  let at = 0;
  const hunks = file.hunks.map((h, n) => {
    const heading = headings[n]!;
    const from = at;
    at += h.lines.length;
    if (heading === h.heading && !texts.slice(from, at).some((t, k) => t !== h.lines[k]!.text)) return h;
    return { ...h, heading, lines: h.lines.map((l, k) => (texts[from + k] === l.text ? l : { ...l, text: texts[from + k]! })) };
  });
  return { ...file, hunks };
}

/**
 * A heading that may be a line of a private key: in a file whose sides hold one, any heading shaped like key body.
 * Which line git took is not known, so a heading of that shape is never sent from such a file.
 */
function keyBodyHeading(file: DiffFile, heading: string): boolean {
  if (!file.keyLines || (file.keyLines.old.length === 0 && file.keyLines.new.length === 0)) return false;
  return heading.trim() !== '' && privateKeyRule().block?.body.test(heading) === true;
}

/** Lines the whole file shows to be inside a private key (a key rotated in place changes only body lines). */
function redactKeyLines(file: DiffFile, lines: readonly DiffLine[], texts: string[], record: Recorder): void {
  if (!file.keyLines) return;
  const newSide = new Set(file.keyLines.new);
  const oldSide = new Set(file.keyLines.old);
  let first: DiffLine | undefined;
  lines.forEach((line, i) => {
    const inKey =
      (line.kind !== 'del' && line.newLine !== undefined && newSide.has(line.newLine)) ||
      (line.kind !== 'add' && line.oldLine !== undefined && oldSide.has(line.oldLine));
    if (!inKey) return;
    texts[i] = redactionMark(KEY_RULE_ID);
    first ??= line;
  });
  if (first) record(newSideLine(first), KEY_RULE_ID);
}

/** The end of a key block whose start the diff does not show: the body lines above it are redacted too. */
function redactHeadlessBlock(lines: readonly DiffLine[], texts: string[], at: number, path: string, record: Recorder): void {
  const text = texts[at];
  if (text === undefined || !text.includes('-----')) return;
  for (const rule of blockRules()) {
    if (rule.fileFilter && !rule.fileFilter(path)) continue;
    const end = rule.block.end.exec(text);
    if (!end) continue;
    for (let j = at - 1; j >= 0; j--) {
      const above = texts[j]!;
      if (above.trim() === '' || above.startsWith('[REDACTED:') || !rule.block.body.test(above)) break;
      texts[j] = redactionMark(rule.id);
    }
    texts[at] = text.slice(0, end.index) + redactionMark(rule.id) + text.slice(end.index + end[0].length);
    record(newSideLine(lines[at]!), rule.id);
    return;
  }
}

function redactText(text: string, path: string, line: number | undefined, record: Recorder): string {
  const secrets = findSecrets(text, path);
  for (const m of secrets) record(line, m.rule.id);
  return replaceRanges(text, secrets, (m) => redactionMark(m.rule.id));
}

function isBlockRule(rule: LineRule): rule is BlockRule {
  return rule.block !== undefined;
}

function newSideLine(line: DiffLine): number | undefined {
  return line.kind === 'del' ? undefined : line.newLine;
}
