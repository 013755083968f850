import { appendFile, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CommandContext } from './context.js';
import { writeFileAtomic } from '../atomic-write.js';
import { CodeaiError, UsageError } from '../errors.js';
import { removeIfInterrupted } from '../interrupt.js';
import { renderAgent } from '../report/agent.js';
import { peopleFormat } from '../report/agents.js';
import { renderCodeQuality } from '../report/codequality.js';
import { renderGithub, renderJobSummary } from '../report/github.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { maskedResult } from '../report/masked.js';
import { renderSarif } from '../report/sarif.js';
import type { ReviewResult } from '../types.js';
import { packageVersion as version } from '../package-root.js';
import { debugPhase, writeOut, writeShown } from '../terminal.js';
import { printTerminal } from './print-terminal.js';

export const FORMATS = ['terminal', 'agent', 'json', 'sarif', 'github', 'markdown', 'codequality'] as const;
export type Format = (typeof FORMATS)[number];
/** Reports for people (and coding agents) reading the output; the others are files for machines. */
type PeopleFormat = 'terminal' | 'agent';
type MachineFormat = Exclude<Format, PeopleFormat>;

const FILE_NAMES: Record<MachineFormat, string> = {
  json: 'codeai.json',
  sarif: 'codeai.sarif',
  github: 'codeai.github.txt',
  markdown: 'codeai.md',
  codequality: 'codeai.codequality.json',
};

function isPeople(format: Format): format is PeopleFormat {
  return format === 'terminal' || format === 'agent';
}

/** The formats asked for; without --format, the report for whoever reads it (a coding agent, or a person). */
export function parseFormats(value: unknown, env: NodeJS.ProcessEnv = {}): Format[] {
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : [peopleFormat(env)];
  if (list.length === 0) throw new UsageError(`--format is empty; give one or more of ${FORMATS.join(', ')} (comma-separated)`);
  for (const f of list) {
    if (!(FORMATS as readonly string[]).includes(f)) {
      throw new UsageError(`--format has '${f}'; allowed: ${FORMATS.join(', ')} (comma-separated)`);
    }
  }
  return [...new Set(list)] as Format[];
}

export interface ReportTarget {
  formats: Format[];
  /** A folder, '-' for stdout, or undefined. */
  output: string | undefined;
}

/** A report that cannot be written: one line naming the path and the cause; the review's verdict is not given. */
export class ReportError extends CodeaiError {
  override readonly name = 'ReportError';
}

/** Checked before the review runs, so a wrong flag costs no model call. */
export function reportTarget(ctx: CommandContext): ReportTarget {
  const formats = parseFormats(ctx.values.format, ctx.env);
  const output = typeof ctx.values.output === 'string' ? ctx.values.output : undefined;
  // An empty --output would resolve to the current folder and write reports into the work tree.
  if (output !== undefined && output.trim() === '') {
    throw new UsageError("--output is empty; give a folder for the reports (e.g. --output codeai-report), or - for stdout");
  }
  const machine = formats.filter((f) => !isPeople(f));
  if (machine.length > 1 && (output === undefined || output === '-')) {
    throw new UsageError(`--format ${machine.join(',')} writes several reports: add --output DIR (files codeai.json, codeai.sarif, ...)`);
  }
  return { formats, output };
}

function render(format: MachineFormat, result: ReviewResult, ctx: CommandContext): string {
  switch (format) {
    case 'codequality':
      return renderCodeQuality(result);
    case 'json':
      return renderJson(result, { timings: Boolean(ctx.values.timings) });
    case 'sarif':
      return renderSarif(result, { toolVersion: version(), informationUri: 'https://www.npmjs.com/package/codeai-hook' });
    case 'github':
      return renderGithub(result);
    case 'markdown':
      return renderMarkdown(result, repoLink(ctx.env));
  }
}

function repoLink(env: NodeJS.ProcessEnv): { repoUrl?: string; ref?: string } {
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_SHA) {
    return { repoUrl: `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}`, ref: env.GITHUB_SHA };
  }
  return {};
}

export async function writeReports(
  result: ReviewResult,
  target: ReportTarget,
  ctx: CommandContext,
  command: 'review' | 'ci',
): Promise<string[]> {
  const written: string[] = [];
  debugPhase(ctx.env, 'report');
  // The report is the command's product, so it goes to stdout (`review > report.txt`), unless a machine report
  // already takes stdout: then the people's report stays on stderr, out of the way of `| jq`.
  const toStdout = target.output === undefined || target.output === '-';
  const people = toStdout && target.formats.some((f) => !isPeople(f)) ? process.stderr : process.stdout;
  // Every report shows secrets (in names, messages, warnings) masked, like the terminal.
  const shown = maskedResult(result);
  if (target.formats.includes('terminal')) printTerminal(result, ctx, command, people);
  if (target.formats.includes('agent')) writeShown(people, renderAgent(shown, { command }), ctx.env);
  const onGithub = ctx.env.GITHUB_ACTIONS === 'true';
  for (const format of target.formats) {
    if (isPeople(format)) continue;
    const text = render(format, shown, ctx);
    if (target.output === undefined || target.output === '-') {
      // Workflow commands are the github format's purpose: its renderer escapes what they carry (report/github.ts).
      if (format === 'github') process.stdout.write(text);
      else writeOut(text, ctx.env);
      continue;
    }
    const file = path.join(await outputFolder(ctx.cwd, target.output), FILE_NAMES[format]);
    await writeWhole(file, text, written);
    written.push(file);
    // GitHub reads workflow commands from the job's stdout, not from a file.
    if (format === 'github' && onGithub) process.stdout.write(text);
  }
  if (command === 'ci' && ctx.env.GITHUB_STEP_SUMMARY) {
    const summary = ctx.env.GITHUB_STEP_SUMMARY;
    await appendFile(summary, renderJobSummary(shown)).catch((error: unknown) => {
      throw new ReportError(`cannot write the job summary to ${summary} (GITHUB_STEP_SUMMARY): ${cause(error)}`);
    });
  }
  return written;
}

/** The --output folder, created if missing; one line when it is a file or cannot be created. */
async function outputFolder(cwd: string, output: string): Promise<string> {
  const dir = path.resolve(cwd, output);
  const existing = await stat(dir).catch(() => null);
  if (existing && !existing.isDirectory()) throw new ReportError(`--output ${output} is a file, not a folder: give a folder for the reports, or - for stdout`);
  await mkdir(dir, { recursive: true }).catch((error: unknown) => {
    throw new ReportError(`cannot create the --output folder ${output}: ${cause(error)}`);
  });
  return dir;
}

/**
 * Writes a report whole or not at all: into a temporary file beside it, then renamed over it. A full disk or a
 * Ctrl-C leaves no half report; a failure also removes the reports this run already wrote, so none is left from a
 * run that did not finish.
 */
async function writeWhole(file: string, text: string, writtenBefore: readonly string[]): Promise<void> {
  // Registered for the rest of the command: the set is complete only when the command ends.
  removeIfInterrupted(file);
  try {
    await writeFileAtomic(file, text, { guard: removeIfInterrupted });
  } catch (error) {
    await Promise.all(writtenBefore.map((f) => rm(f, { force: true })));
    throw new ReportError(`cannot write ${file}: ${cause(error)}`);
  }
}

function cause(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const known: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'it is a folder',
    EDQUOT: 'disk quota exceeded',
  };
  const text = code && known[code] ? known[code] : (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  return code ? `${text} (${code})` : text;
}
