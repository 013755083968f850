// Masks secrets before any diff text leaves the machine. Every line kind is redacted: a deleted key is as exposed
// to a model as an added one. Suppression comments do not apply here: an ignored finding still must not leak.
import { findSecrets } from '../rules/scan.js';
import { replaceRanges } from '../rules/mask.js';
import { SECRET_RULES } from '../rules/secrets.js';
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
  /** New objects: the input is left as it was. */
  files: DiffFile[];
  /** One entry per secret (a multi-line key block counts once). */
  redactions: Redaction[];
}

export function redactionMark(ruleId: string): string {
  return `[REDACTED:${ruleId}]`;
}

/** Rules whose secret spans several lines (PEM blocks). */
type BlockRule = LineRule & Required<Pick<LineRule, 'block'>>;
const BLOCK_RULES = SECRET_RULES.filter((r): r is BlockRule => r.block !== undefined);

/** Replaces every secret in `files` by `[REDACTED:<rule-id>]`; text around a secret is kept byte for byte. */
export function redact(files: DiffFile[]): RedactResult {
  const redactions: Redaction[] = [];
  const out = files.map((file) =>
    redactFile(file, (line, rule) => redactions.push(line === undefined ? { file: file.path, rule } : { file: file.path, line, rule })),
  );
  return { files: out, redactions };
}

type Recorder = (line: number | undefined, rule: string) => void;

function redactFile(file: DiffFile, record: Recorder): DiffFile {
  // git prints the enclosing line as the hunk heading, and that line can be `API_KEY = "…"`.
  const hunks = file.hunks.map((h) => ({
    ...h,
    heading: redactText(h.heading, file.path, undefined, record),
    lines: h.lines.map((l) => ({ ...l })),
  }));
  // Our own copies, in file order across hunks: a key block may start in one hunk and end in the next.
  const lines = hunks.flatMap((h) => h.lines);
  let open: BlockRule | null = null;
  for (const [i, line] of lines.entries()) {
    if (open) {
      const end = open.block.end.exec(line.text);
      if (end) {
        line.text = redactionMark(open.id) + line.text.slice(end.index + end[0].length);
        open = null;
        continue;
      }
      if (open.block.body.test(line.text)) {
        if (line.text.trim() !== '') line.text = redactionMark(open.id);
        continue;
      }
      open = null; // not key material: the header was only mentioned
    }
    const secrets = findSecrets(line.text, file.path);
    if (secrets.length === 0) {
      redactHeadlessBlock(lines, i, file.path, record);
      continue;
    }
    line.text = replaceRanges(line.text, secrets, (m) => redactionMark(m.rule.id));
    for (const m of secrets) record(newSideLine(line), m.rule.id);
    const last = secrets[secrets.length - 1];
    if (last && isBlockRule(last.rule) && !last.rule.block.end.test(last.value)) open = last.rule;
  }
  return { ...file, hunks };
}

/** The end of a key block whose start the diff does not show: the body lines above it are redacted too. */
function redactHeadlessBlock(lines: DiffLine[], at: number, path: string, record: Recorder): void {
  const line = lines[at];
  if (!line || !line.text.includes('-----')) return;
  for (const rule of BLOCK_RULES) {
    if (rule.fileFilter && !rule.fileFilter(path)) continue;
    const end = rule.block.end.exec(line.text);
    if (!end) continue;
    for (let j = at - 1; j >= 0; j--) {
      const above = lines[j];
      if (!above || above.text.trim() === '' || above.text.startsWith('[REDACTED:') || !rule.block.body.test(above.text)) break;
      above.text = redactionMark(rule.id);
    }
    line.text = line.text.slice(0, end.index) + redactionMark(rule.id) + line.text.slice(end.index + end[0].length);
    record(newSideLine(line), rule.id);
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
