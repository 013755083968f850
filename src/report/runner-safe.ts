// Output that a CI runner would execute. Our lines carry repository and model text (file names, code, findings,
// server messages), and runners read the job's output as commands:
//   - GitHub Actions, on stdout and stderr, line by line: `::cmd props::data` when the line, leading white space
//     trimmed, starts with "::"; else the legacy `##[cmd props]data` anywhere in the line. Any command name may be
//     live (`stop-commands` registers its token as one), so any such shape counts. The runner is .NET: StartsWith
//     and IndexOf compare culturally unless told otherwise, and then ignore zero-width and other default-ignorable
//     characters (and control characters), so ":\u200B:" or "#\x1b[0m#[" may read as a command too.
//   - GitLab: `section_start:<ts>:<name>\r\e[0K` markers, which need a raw CR and ESC.
// So every line is made inert: control characters other than tab, newline and our own colour codes are shown as
// symbols (no CR, no ESC[…K ever leaves), and under GITHUB_ACTIONS default-ignorable characters are shown as
// <U+XXXX> and any command shape is broken with a space.

/** Our colour codes (SGR: ESC [ digits ; m), the only escape sequences we write on purpose. */
const SGR = /\x1b\[[0-9;]*m/g;
/** Controls other than \t and \n, except an ESC that starts an SGR sequence. */
const CONTROL = /\x1b(?!\[[0-9;]*m)|[\x00-\x08\x0B-\x1A\x1C-\x1F\x7F-\x9F]/g;
/** What an ICU comparison may skip: default-ignorables, format characters, tatweel; and the Unicode line breaks. */
const IGNORABLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\u0640\u2028\u2029]/gu;

/** Text made safe to print: controls shown, and on GitHub Actions no line a runner reads as a command. */
export function safeOutput(text: string, env: NodeJS.ProcessEnv): string {
  const shown = text.replace(CONTROL, controlPicture);
  if (env.GITHUB_ACTIONS !== 'true') return shown;
  return shown
    .split('\n')
    .map((line) => neutraliseRunnerLine(line))
    .join('\n');
}

/** One line a GitHub runner would not take for a workflow command, in either grammar. */
export function neutraliseRunnerLine(line: string): string {
  let out = line.replace(CONTROL, controlPicture).replace(IGNORABLE, codePoint);
  if (!looksLikeCommand(out) && !looksLikeCommand(out.replace(/\x1b/g, ''))) return out;
  // Colour goes on a line that had to be changed: with it gone there is one view of the text to fix.
  out = out.replace(SGR, '');
  for (let guard = 0; looksLikeCommand(out) && guard < 3; guard++) {
    out = out.replace(/##\[/g, '## [').replace(/^(\s*):/, '$1: ');
  }
  return out;
}

/** True when a GitHub runner could parse `line` as a command, new (`::`) or legacy (`##[`) grammar. */
export function looksLikeCommand(line: string): boolean {
  return /^\s*::/.test(line) || line.includes('##[');
}

/**
 * JSON text (a report) with the same guarantees and the same values: `##[` and every character a runner might
 * ignore are written as \u escapes inside strings, where the parsed value does not change.
 */
export function runnerSafeJson(json: string): string {
  return json
    .replace(/##\[/g, '#\\u0023[')
    .replace(/[\p{Default_Ignorable_Code_Point}\p{Cf}\u0640\u2028\u2029\x7F-\x9F]/gu, (c) =>
      Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''),
    );
}

/**
 * Text from the diff or the model for a place that is parsed, not displayed raw (annotation data and properties,
 * SARIF messages): every control character shown as a symbol (newlines and tabs kept for the caller), every
 * default-ignorable character named.
 */
export function inertText(text: string): string {
  return text.replace(/[\x00-\x08\x0B-\x1F\x7F-\x9F]/g, controlPicture).replace(IGNORABLE, codePoint);
}

function controlPicture(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return codePoint(c);
}

function codePoint(c: string): string {
  return `<U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`;
}
