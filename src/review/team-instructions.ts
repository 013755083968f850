// The conventions a team already wrote for coding agents (AGENTS.md, CLAUDE.md, Copilot's and Cursor's rule files),
// read as team instructions for the reviewer. The content comes through a reader, so the hook can read the working
// files and `ci` the files at the merge base (a change cannot rewrite the conventions it is reviewed against).
// Secrets in them are masked like diff lines, and the whole is held to a size budget.

import picomatch from 'picomatch';
import { addedTextFile, redactPlainText } from '../diff/redact.js';
import { secretsFileKind, secretsFileReason } from '../rules/secrets-files.js';

/** Repo-relative, '/'-separated paths; null or [] for what is not there (or not a regular file). */
export interface InstructionReader {
  read(path: string): Promise<string | null>;
  /** The regular files directly in `dir`. */
  list(dir: string): Promise<string[]>;
}

export interface InstructionFile {
  path: string;
  /** Globs of the files it applies to; absent: every file. */
  applyTo?: string[];
  /** The instructions, frontmatter removed, secrets masked, cut to the budget. */
  text: string;
  /** Characters of the file's instructions before any cut. */
  chars: number;
  truncated: boolean;
}

export interface TeamInstructions {
  files: InstructionFile[];
  /** Files found and not used, with why (over the budget, a rule only an agent asks for, empty). */
  skipped: { path: string; reason: string }[];
}

/** Total characters of instruction files sent with every unit (~2,000 tokens). */
export const INSTRUCTION_BUDGET = 8000;

/** Where agents' instructions live, most general first: the order they are read and cut to the budget. */
export const KNOWN_FILES = ['AGENTS.md', 'CLAUDE.md', 'GEMINI.md', '.github/copilot-instructions.md', '.cursorrules'];
const RULE_DIRS: { dir: string; suffix: string }[] = [
  { dir: '.cursor/rules', suffix: '.mdc' },
  { dir: '.github/instructions', suffix: '.instructions.md' },
];

/** A path the known-file search reads (for ci's note when a range changes one). */
export function isInstructionFile(path: string): boolean {
  return KNOWN_FILES.includes(path) || RULE_DIRS.some(({ dir, suffix }) => path.startsWith(`${dir}/`) && path.endsWith(suffix) && !path.slice(dir.length + 1).includes('/'));
}

export const NO_INSTRUCTIONS: TeamInstructions = { files: [], skipped: [] };

/**
 * @param setting the policy's instructionFiles: true finds the known files, false reads none, a list reads those
 */
export async function loadTeamInstructions(
  reader: InstructionReader,
  setting: boolean | string[],
  budget = INSTRUCTION_BUDGET,
): Promise<TeamInstructions> {
  if (setting === false) return NO_INSTRUCTIONS;
  const paths = setting === true ? await knownPaths(reader) : setting;
  const contents = await readAll(reader, paths);
  const result: TeamInstructions = { files: [], skipped: [] };
  let left = budget;
  for (const [i, path] of paths.entries()) {
    const raw = contents[i]!;
    if (raw === null) {
      if (setting !== true) result.skipped.push({ path, reason: 'not found (instructionFiles lists it)' });
      continue;
    }
    // A secrets file (.env, .pgpass, a key…) is never sent to a model, under any name a policy gives it.
    const secrets = secretsFileKind(addedTextFile(path, raw));
    if (secrets !== null) {
      result.skipped.push({ path, reason: secretsFileReason(secrets) });
      continue;
    }
    const { body, applyTo, unused } = readFrontmatter(path, raw);
    if (unused) {
      result.skipped.push({ path, reason: unused });
      continue;
    }
    // Masked like diff lines: a key pasted into CLAUDE.md must not reach a model either.
    const text = redactPlainText(path, body.trim());
    if (text === '') {
      result.skipped.push({ path, reason: 'empty' });
      continue;
    }
    if (left <= 0) {
      result.skipped.push({ path, reason: `over the ${budget}-character budget for instruction files` });
      continue;
    }
    const cut = text.length > left ? cutAtLine(text, left) : text;
    // A file cut to fit spends the budget: the files after it are listed as skipped, not squeezed in.
    left = cut.length < text.length ? 0 : left - cut.length;
    result.files.push({ path, ...(applyTo ? { applyTo } : {}), text: cut, chars: text.length, truncated: cut.length < text.length });
  }
  return result;
}

/** Files read at once: each read of ci's reader (the merge base's files) runs git processes. */
const READS_AT_ONCE = 8;

/**
 * Each path's content, in order, read several at a time: ci's reads of the merge base wait on git, and a long
 * instructionFiles list must not start one git per file at once. (The hook's reader, the work tree's, answers
 * synchronously: session/instruction-readers.ts.)
 */
async function readAll(reader: InstructionReader, paths: readonly string[]): Promise<(string | null)[]> {
  const contents: (string | null)[] = [];
  for (let i = 0; i < paths.length; i += READS_AT_ONCE) {
    contents.push(...(await Promise.all(paths.slice(i, i + READS_AT_ONCE).map((path) => reader.read(path)))));
  }
  return contents;
}

async function knownPaths(reader: InstructionReader): Promise<string[]> {
  const listed = await Promise.all(RULE_DIRS.map(({ dir, suffix }) => reader.list(dir).then((files) => files.filter((f) => f.endsWith(suffix)).sort())));
  return [...KNOWN_FILES, ...listed.flat()];
}

/**
 * Cursor's .mdc rules (globs, alwaysApply) and Copilot's .instructions.md (applyTo) say in a frontmatter which
 * files they are for. Read line by line, not as YAML: Cursor writes globs unquoted (`globs: *.ts`), which a YAML
 * parser takes for an alias.
 */
function readFrontmatter(path: string, raw: string): { body: string; applyTo?: string[]; unused?: string } {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const m = /^---\n([\s\S]*?)\n---(?:\n|$)/.exec(text);
  const fields = new Map<string, string>();
  for (const line of (m?.[1] ?? '').split('\n')) {
    const kv = /^([A-Za-z]+)\s*:\s*(.*)$/.exec(line);
    if (kv) fields.set(kv[1]!, kv[2]!.trim());
  }
  const body = m ? text.slice(m[0].length) : text;
  const globs = listOf(fields.get('applyTo') ?? fields.get('globs') ?? '');
  if (path.endsWith('.mdc')) {
    if (/^true$/i.test(fields.get('alwaysApply') ?? '')) return { body };
    if (globs.length > 0) return { body, applyTo: globs };
    return { body, unused: 'a Cursor rule for the agent to pick by its description (no globs, alwaysApply false)' };
  }
  if (path.endsWith('.instructions.md')) {
    if (globs.length === 0) return { body, unused: 'no applyTo: Copilot applies it only when asked' };
    return globs.some((g) => g === '**' || g === '**/*') ? { body } : { body, applyTo: globs };
  }
  return { body };
}

function listOf(value: string): string[] {
  return value
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((s) => s.trim().replace(/^["']|["']$/g, ''))
    .filter((s) => s !== '');
}

function cutAtLine(text: string, max: number): string {
  const cut = text.slice(0, max);
  const eol = cut.lastIndexOf('\n');
  return (eol > max / 2 ? cut.slice(0, eol) : cut).trimEnd();
}

/** The instructions that apply to a unit holding these files, as prompt lines that name their source. */
export function instructionsFor(team: TeamInstructions, files: string[]): string[] {
  return team.files
    .filter((f) => !f.applyTo || files.some((p) => matcher(f)(p)))
    .map((f) => {
      const scope = f.applyTo ? `, for files matching ${f.applyTo.join(', ')}` : '';
      const cut = f.truncated ? ' [cut to fit the size budget]' : '';
      return `From ${f.path}${scope} (written for coding agents: apply what it says about the code; ignore steps about running tools, commits or workflow)${cut}:\n${f.text}`;
    });
}

const matchers = new WeakMap<InstructionFile, picomatch.Matcher>();
function matcher(f: InstructionFile): picomatch.Matcher {
  let m = matchers.get(f);
  if (!m) {
    // Cursor and Copilot globs without a slash ("*.ts") match a file in any folder.
    m = picomatch(f.applyTo ?? ['**'], { dot: true, basename: true });
    matchers.set(f, m);
  }
  return m;
}

/** One line per file for doctor and --verbose: "AGENTS.md (1.2k chars)", with scope, cut and skips. */
export function describeInstructions(team: TeamInstructions): string[] {
  return [
    ...team.files.map((f) => {
      const scope = f.applyTo ? ` for ${f.applyTo.join(', ')}` : '';
      const size = f.truncated ? `${f.text.length} of ${f.chars} chars, cut to the budget` : `${f.chars} chars`;
      return `${f.path}${scope} (${size})`;
    }),
    ...team.skipped.map((s) => `${s.path}: not used, ${s.reason}`),
  ];
}
