import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { appendBlock, hasBlock, isShellScript, renderBlock, type BlockOptions, type HookName } from './block.js';
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
  | { hook: HookName; file: string; present: true }
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
  if (before !== null && hasBlock(before)) return { hook, file, present: true };
  if (standalone && before !== null && !isShellScript(before)) {
    const first = before.split('\n', 1)[0];
    throw new UsageError(`${file} is not a shell script (${first}): add 'codeai-hook run' to it by hand`);
  }
  const ours = Buffer.from(renderBlock(hook, block), 'utf8').toString('latin1');
  const after = before === null ? `${standalone ? '#!/bin/sh\n' : ''}${ours}\n` : appendBlock(before, ours);
  const mode = before === null ? null : statSync(file).mode & 0o7777;
  return { hook, file, present: false, before, mode, after, executable: standalone || before === null };
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
