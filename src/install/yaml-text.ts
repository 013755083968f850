// Edits of a hook framework's YAML config as text: our lines go in as one marked block at the right place, and
// every other byte stays as the user wrote it (comments, quoting, order), so uninstall can give the file back
// exactly. Where the structure is found by indentation alone, the result is parsed afterwards to prove it means
// what we meant (see the callers); what cannot be placed safely is left to the user, with the lines to add.

import yaml from 'js-yaml';
import { UsageError } from '../errors.js';
import { BLOCK_BEGIN, BLOCK_END } from './block.js';

export const YAML_BLOCK_BEGIN = `${BLOCK_BEGIN} (added by \`codeai-hook install\`; \`codeai-hook uninstall\` removes this block)`;

export interface YamlLine {
  /** Offset of the line's first character in the text. */
  start: number;
  /** Offset just after the line's newline (or the end of the text). */
  next: number;
  text: string;
  indent: number;
  /** Blank or a comment: no content for YAML's structure. */
  empty: boolean;
}

export function yamlLines(text: string): YamlLine[] {
  const lines: YamlLine[] = [];
  let start = 0;
  while (start < text.length) {
    const eol = text.indexOf('\n', start);
    const next = eol < 0 ? text.length : eol + 1;
    const line = text.slice(start, eol < 0 ? text.length : eol).replace(/\r$/, '');
    const indent = line.length - line.trimStart().length;
    const rest = line.trimStart();
    lines.push({ start, next, text: line, indent, empty: rest === '' || rest.startsWith('#') });
    start = next;
  }
  return lines;
}

/** The index of a mapping key `key:` at `indent` within [from, to), or -1. */
export function findKey(lines: YamlLine[], key: string, indent: number, from = 0, to = lines.length): number {
  const pattern = new RegExp(`^(${escape(key)}|"${escape(key)}"|'${escape(key)}')\\s*:(\\s|$)`);
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    if (!line.empty && line.indent === indent && pattern.test(line.text.trimStart())) return i;
  }
  return -1;
}

/** What follows `key:` on its own line ('' for a block value below it), comments stripped. */
export function inlineValue(line: YamlLine): string {
  const after = line.text.slice(line.text.indexOf(':') + 1);
  return after.replace(/\s+#.*$/, '').trim();
}

/**
 * The lines of the value of the key on line `at`: up to the next content line that is less indented, or as
 * indented and not a sequence item (a sibling key). Returns the index after the last content line of the value,
 * so an insertion there sits right after it, before any blank lines or comments that follow.
 */
export function valueEnd(lines: YamlLine[], at: number): number {
  const keyIndent = lines[at]!.indent;
  let last = at;
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.empty) continue;
    if (line.text.trimStart() === '---' || line.text.trimStart() === '...') break;
    if (line.indent < keyIndent) break;
    if (line.indent === keyIndent && !line.text.trimStart().startsWith('-')) break;
    last = i;
  }
  return last + 1;
}

/** The indentation of the first content line in (at, end), or null when the value has none. */
export function childIndent(lines: YamlLine[], at: number, end: number): number | null {
  for (let i = at + 1; i < end; i++) if (!lines[i]!.empty) return lines[i]!.indent;
  return null;
}

/** The marked block, ready to insert: its own lines between the markers, each ending in a newline. */
export function markedBlock(body: string[]): string {
  return `${[YAML_BLOCK_BEGIN, ...body, BLOCK_END].join('\n')}\n`;
}

/** Inserts `block` before line `index` (or at the end), on lines of its own. */
export function insertAt(text: string, lines: YamlLine[], index: number, block: string): string {
  if (index < lines.length) {
    const at = lines[index]!.start;
    return text.slice(0, at) + block + text.slice(at);
  }
  if (text === '' || text.endsWith('\n')) return text + block;
  // No final newline: ours starts a new line, and the file keeps ending without one (removeBlocks' inverse).
  return `${text}\n${block.replace(/\n$/, '')}`;
}

/** A YAML double-quoted scalar: JSON's string syntax is valid YAML 1.1 and 1.2 alike. */
export function yamlString(value: string): string {
  return JSON.stringify(value);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The config as its tool would read it (a mapping), or null for another shape; bad YAML is the user's to fix. */
export function parseYamlConfig(text: string, file: string): Record<string, any> | null {
  try {
    const data = yaml.load(text);
    return isObject(data) ? data : null;
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    throw new UsageError(`${file} is not valid YAML (${why}): fix it (its tool cannot read it either), then run codeai-hook install again`);
  }
}

export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
