// codeai-hook as a lefthook command (lefthook.yml): lefthook keeps writing git's hooks from its config, we add one
// command (or job) per hook.

import { UsageError } from '../errors.js';
import { hookCommandLine, shellQuote, type HookName } from './block.js';
import { childIndent, findKey, inlineValue, insertAt, markedBlock, valueEnd, yamlLines, yamlString, isObject, parseYamlConfig as parse, type YamlLine } from './yaml-text.js';

export const LEFTHOOK_NAME = 'codeai-hook';

/** lefthook runs `run` with sh; for commit-msg, {1} is git's message file, passed on as $1. */
export function lefthookRun(hook: HookName, opts: { packageDir: string; globalBinary: boolean }): string {
  const line = hookCommandLine(hook, opts);
  return hook === 'commit-msg' ? `sh -c ${shellQuote(line)} codeai-hook {1}` : line;
}

export function lefthookSnippet(hook: HookName, run: string): string {
  return [`${hook}:`, '  commands:', `    ${LEFTHOOK_NAME}:`, `      run: ${yamlString(run)}`].join('\n');
}

/**
 * The config with our command added under each hook, or null when every hook already has it. Throws a UsageError,
 * changing nothing, when a hook's section has a shape we cannot extend safely.
 */
export function planLefthookConfig(text: string, file: string, hooks: HookName[], opts: { packageDir: string; globalBinary: boolean }): string | null {
  let current = text;
  let changed = false;
  for (const hook of hooks) {
    const run = lefthookRun(hook, opts);
    const byHand = `add this by hand:\n${lefthookSnippet(hook, run)}`;
    const before = parse(current, file);
    if (hasOurs(before?.[hook])) continue;
    const next = insertCommand(current, hook, run, byHand, file);
    const section = parse(next, file)?.[hook];
    if (!hasOurs(section, run)) throw new UsageError(`${file}: codeai-hook could not be placed safely under ${hook}: (unusual layout): ${byHand}`);
    current = next;
    changed = true;
  }
  return changed ? current : null;
}

function insertCommand(text: string, hook: HookName, run: string, byHand: string, file: string): string {
  const lines = yamlLines(text);
  const at = findKey(lines, hook, 0);
  if (at < 0) {
    // No such hook yet: a whole section at the end of the file.
    return insertAt(text, lines, lines.length, markedBlock(lefthookSnippet(hook, run).split('\n')));
  }
  if (inlineValue(lines[at]!) !== '') throw new UsageError(`${file}: ${hook}: is written on one line (flow style): ${byHand}`);
  const end = valueEnd(lines, at);
  const inner = ' '.repeat(childIndent(lines, at, end) ?? 2);
  const commands = findKey(lines, 'commands', inner.length, at + 1, end);
  const jobs = findKey(lines, 'jobs', inner.length, at + 1, end);
  if (commands >= 0) return addUnder(text, lines, commands, [`${LEFTHOOK_NAME}:`, `  run: ${yamlString(run)}`], inner, byHand, file);
  if (jobs >= 0) return addUnder(text, lines, jobs, [`- name: ${LEFTHOOK_NAME}`, `  run: ${yamlString(run)}`], inner, byHand, file);
  const block = [`${inner}commands:`, `${inner}  ${LEFTHOOK_NAME}:`, `${inner}    run: ${yamlString(run)}`];
  return insertAt(text, lines, end, markedBlock(block));
}

/** Appends `entry` (relative lines) at the end of the value of the key on line `at`, indented like its items. */
function addUnder(text: string, lines: YamlLine[], at: number, entry: string[], parentIndent: string, byHand: string, file: string): string {
  if (inlineValue(lines[at]!) !== '') throw new UsageError(`${file}: ${lines[at]!.text.trim()} is written on one line (flow style): ${byHand}`);
  const end = valueEnd(lines, at);
  const indent = ' '.repeat(childIndent(lines, at, end) ?? parentIndent.length + 2);
  return insertAt(text, lines, end, markedBlock(entry.map((l) => indent + l)));
}

function hasOurs(section: unknown, run?: string): boolean {
  if (!isObject(section)) return false;
  const command = isObject(section.commands) ? section.commands[LEFTHOOK_NAME] : undefined;
  const job = Array.isArray(section.jobs) ? section.jobs.find((j) => isObject(j) && j.name === LEFTHOOK_NAME) : undefined;
  const found = [command, job].find(isObject);
  return found !== undefined && (run === undefined || found.run === run);
}
