// Private keys as the whole file shows them. A key rotated in place changes only its base64 body lines: no BEGIN
// line among the changed lines, so the line rules never see a key, and with `contextLines: 0` the new body would go
// to the model as it is. The file's full text (the staged blob, the commit) shows where each key block is; every
// diff line inside one is key material, whatever it looks like alone.

import type { DiffFile, Finding } from '../types.js';
import { secretRules } from './secrets.js';
import type { LineRule } from './types.js';

const BEGIN = /-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
const END = /-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
/** A line of a key's body: base64 (maybe quoted, or joined with "\n" and "+" in code), an RFC 1421 header, or blank. */
const BODY = /^[\s"'`]*(?:[A-Za-z0-9+/=]{8,}|(?:Proc-Type|DEK-Info|Comment): .*)?(?:\\n)?[\s"'`,+;]*$/;

/**
 * 1-based numbers of the lines of `text` that belong to a private key: each BEGIN … END block, and the run of body
 * lines next to a BEGIN without its END, or an END without its BEGIN (a block cut by an edit).
 */
export function keyBlockLines(text: string): number[] {
  const lines = text.split(/\r?\n/);
  const inKey = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    // A whole key on one line (a JSON "private_key") is the line rules' to find and redact.
    if (BEGIN.test(line) && !END.test(line)) {
      let j = i + 1;
      while (j < lines.length && !END.test(lines[j] ?? '') && BODY.test(lines[j] ?? '')) j++;
      const closed = j < lines.length && END.test(lines[j] ?? '');
      for (let k = i; k <= (closed ? j : j - 1); k++) inKey.add(k + 1);
      i = closed ? j : j - 1;
    } else if (END.test(line) && !BEGIN.test(line)) {
      inKey.add(i + 1);
      for (let k = i - 1; k >= 0 && !inKey.has(k + 1) && BODY.test(lines[k] ?? '') && (lines[k] ?? '').trim() !== ''; k--) inKey.add(k + 1);
    }
  }
  return [...inKey].sort((a, b) => a - b);
}

/** The rule a key's lines are reported and redacted under. */
export const KEY_RULE_ID = 'private-key';
let keyRule: LineRule | undefined;

/**
 * The private-key rule of the secrets table (its title, severity and hint for a key changed in place; its body
 * pattern for redaction), found once. Looked up on first need, not at load: the rule tables are built only when
 * something needs them (rules/table.ts).
 */
export function privateKeyRule(): LineRule {
  keyRule ??= secretRules().find((r) => r.id === KEY_RULE_ID);
  if (!keyRule) throw new Error(`the secrets table has no '${KEY_RULE_ID}' rule`);
  return keyRule;
}

/** True when a diff line may be part of a key body: the cheap test that decides whether a file's blob is read. */
export function mayBeKeyMaterial(text: string): boolean {
  return text.includes('-----') || /^[\s"'`]*[A-Za-z0-9+/=]{40,}(?:\\n)?[\s"'`,+;]*$/.test(text);
}

/**
 * A finding for each key block with added lines but without an added BEGIN line (which the line rules report
 * themselves): the key was changed in place. Placed on the first added line inside the block.
 */
export function keyBlockFindings(files: DiffFile[]): Finding[] {
  const findings: Finding[] = [];
  for (const file of files) {
    const blocks = contiguous(file.keyLines?.new ?? []);
    if (blocks.length === 0) continue;
    const rule = privateKeyRule();
    const added = file.hunks.flatMap((h) => h.lines).filter((l) => l.kind === 'add' && l.newLine !== undefined);
    for (const block of blocks) {
      const lines = added.filter((l) => l.newLine! >= block[0]! && l.newLine! <= block[block.length - 1]!);
      if (lines.length === 0 || lines.some((l) => BEGIN.test(l.text))) continue;
      const first = lines[0]!.newLine!;
      const last = lines[lines.length - 1]!.newLine!;
      findings.push({
        file: file.path,
        line: first,
        ...(last > first ? { endLine: last } : {}),
        severity: rule.severity,
        category: rule.category,
        title: rule.title,
        message: `${rule.title} changed in place: ${lines.length} added line${lines.length === 1 ? '' : 's'} inside a key block`,
        suggestion: rule.hint,
        source: 'builtin',
        rule: rule.id,
        code: '[key material]',
      });
    }
  }
  return findings;
}

/** Runs of consecutive line numbers: one per key block. */
function contiguous(numbers: number[]): number[][] {
  const runs: number[][] = [];
  for (const n of numbers) {
    const last = runs.at(-1);
    if (last && n - last[last.length - 1]! <= 1) last.push(n);
    else runs.push([n]);
  }
  return runs;
}
