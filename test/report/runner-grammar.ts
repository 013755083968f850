// The GitHub Actions runner's workflow-command grammar, written for the tests from how actions/runner parses a line
// (ActionCommand.TryParseV2, then the legacy TryParse; ActionCommandManager runs both on every line of stdout and
// stderr). Stricter than the runner on one point: any command name counts, since `stop-commands` makes its token a
// live command. Both comparison modes are modelled: ordinal, and the culture-sensitive one .NET uses by default for
// StartsWith/IndexOf(string), which skips ignorable characters (controls, format and default-ignorable characters).

export interface RunnerCommand {
  grammar: 'v2' | 'legacy';
  command: string;
  properties: Record<string, string>;
  data: string;
}

const IGNORED = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u0640]/gu;

/** Each view of a line the runner might compare: as written, and with ignorable characters dropped. */
export function runnerViews(line: string): string[] {
  const cultural = line.replace(IGNORED, '');
  return cultural === line ? [line] : [line, cultural];
}

/** The command the runner would take from `line` in either view, or null. */
export function parseRunnerLine(line: string): RunnerCommand | null {
  for (const view of runnerViews(line)) {
    const parsed = parseV2(view) ?? parseLegacy(view);
    if (parsed) return parsed;
  }
  return null;
}

/** `::name k=v,k=v::data` after leading white space is trimmed. */
export function parseV2(line: string): RunnerCommand | null {
  const message = line.replace(/^\s+/, '');
  if (!message.startsWith('::')) return null;
  const end = message.indexOf('::', 2);
  if (end < 0) return null;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (command === '') return null;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info.slice(space + 1).trim().split(',').filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq > 0 && eq < pair.length - 1) properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1), PROPERTY);
    }
  }
  return { grammar: 'v2', command, properties, data: unescape(message.slice(end + 2), DATA) };
}

/** `##[name k=v;k=v]data` anywhere in the line. */
export function parseLegacy(line: string): RunnerCommand | null {
  const prefix = line.indexOf('##[');
  if (prefix < 0) return null;
  const rb = line.indexOf(']', prefix);
  if (rb < 0) return null;
  const info = line.slice(prefix + 3, rb);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (command === '') return null;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info.slice(space + 1).split(';').filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq > 0 && eq < pair.length - 1) properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1), LEGACY);
    }
  }
  return { grammar: 'legacy', command, properties, data: unescape(line.slice(rb + 1), LEGACY) };
}

type Mapping = Array<[token: string, escaped: string]>;
const DATA: Mapping = [['\r', '%0D'], ['\n', '%0A'], ['%', '%25']];
const PROPERTY: Mapping = [['\r', '%0D'], ['\n', '%0A'], [':', '%3A'], [',', '%2C'], ['%', '%25']];
const LEGACY: Mapping = [[';', '%3B'], ['\r', '%0D'], ['\n', '%0A'], [']', '%5D'], ['%', '%25']];

function unescape(text: string, mapping: Mapping): string {
  let out = text;
  for (const [token, escaped] of mapping) out = out.split(escaped).join(token);
  return out;
}

/** A GitLab collapsible-section marker: needs a raw CR and ESC[0K after the name. */
export function hasGitlabSection(text: string): boolean {
  return /section_(?:start|end):\d*:[^\r\n]*\r\x1b\[0K/.test(text) || /\r\x1b\[0K/.test(text);
}
