import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { appendBlock, firstBlock, hasBlock, isShellScript, renderBlock, replaceFirstBlock, shellQuote, type BlockOptions, type HookName } from './block.js';
import { sha256, type FileChange } from './record.js';

// Hook files are handled as latin1 strings: one char per byte, so everything outside our block is written back
// byte for byte whatever its encoding, and an unedited file gets its exact old bytes back on uninstall.

export function readBytes(file: string): string | null {
  return existsSync(file) ? readFileSync(file).toString('latin1') : null;
}

export function writeBytes(file: string, text: string): void {
  writeFileSync(file, Buffer.from(text, 'latin1'));
}

export type HookEdit =
  | {
      hook: HookName;
      file: string;
      present: true;
      /** Our block is there but an earlier version wrote it: the file's bytes now, and with this version's block. */
      update?: { before: string; after: string };
    }
  | {
      hook: HookName;
      file: string;
      present: false;
      before: string | null;
      mode: number | null;
      after: string;
      /** git runs a file in a hooks folder only when it is executable; husky runs its files with sh. */
      executable: boolean;
    };

/**
 * What to write to one hook file, decided before anything changes so a refusal leaves nothing half done.
 * @param standalone the file is run by git itself (a core.hooksPath folder), not sourced by husky's runner
 */
export function planHookEdit(file: string, hook: HookName, block: BlockOptions, standalone: boolean): HookEdit {
  const before = readBytes(file);
  if (before !== null && hasBlock(before)) {
    const after = renewedFile(before, hook, block);
    return after === null ? { hook, file, present: true } : { hook, file, present: true, update: { before, after } };
  }
  if (standalone && before !== null && !isShellScript(before)) {
    const first = before.split('\n', 1)[0];
    throw new UsageError(`${file} is not a shell script (${first}): add 'codeai-hook run' to it by hand`);
  }
  const ours = latin1(renderBlock(hook, block));
  const after = before === null ? `${standalone ? '#!/bin/sh\n' : ''}${ours}\n` : appendBlock(before, ours);
  const mode = before === null ? null : statSync(file).mode & 0o7777;
  return { hook, file, present: false, before, mode, after, executable: standalone || before === null };
}

/**
 * The file with its block as this version writes it, keeping the choices the block made: which package it cds into,
 * whether it first runs the hook core.hooksPath moved aside, a global binary. Null when there is nothing to change,
 * and when the block cds into another package than `block` names (that package's install wrote it).
 */
function renewedFile(text: string, hook: HookName, block: BlockOptions): string | null {
  const existing = firstBlock(text);
  if (existing === null) return null;
  const cd = block.packageDir ? latin1(`  cd ${shellQuote(block.packageDir)} 2>/dev/null ||`) : null;
  if (cd === null ? /^ {2}cd .* 2>\/dev\/null \|\|/m.test(existing) : !existing.includes(cd)) return null;
  const ours = latin1(
    renderBlock(hook, {
      packageDir: block.packageDir,
      runPrevious: existing.includes(`/hooks/${hook}"; if [ -x "$h" ]; then exec "$h" "$@"; fi) || exit $?`),
      globalBinary: existing.includes('not found on PATH, so this'),
    }),
  );
  return ours === existing ? null : replaceFirstBlock(text, ours);
}

/** UTF-8 text as the one-char-per-byte string hook files are handled as. */
function latin1(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** Writes the planned bytes and returns what uninstall needs to put the old ones back. */
export function applyHookEdit(edit: Extract<HookEdit, { present: false }>): FileChange {
  mkdirSync(path.dirname(edit.file), { recursive: true });
  writeBytes(edit.file, edit.after);
  if (edit.executable) chmodSync(edit.file, edit.mode === null ? 0o755 : edit.mode | 0o111);
  return {
    kind: 'file',
    path: edit.file,
    before: edit.before === null ? null : Buffer.from(edit.before, 'latin1').toString('base64'),
    mode: edit.mode,
    after: sha256(Buffer.from(edit.after, 'latin1')),
  };
}
