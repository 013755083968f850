// The labelled cases `codeai-hook eval` reviews. A case is one bug-introducing change: the file as a fix left it
// (`fixed`) and the same file with the fix reversed (`buggy`), the lines where the bug is (`bug`, on the buggy side),
// and the lines a reviewer needs to see it (`evidence`: the bug lines and the declaration or condition they depend
// on). One YAML file per case; every problem is one line naming the file and the key.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { UsageError } from '../errors.js';

export interface LineLabel {
  file: string;
  /** New-side (buggy side) line numbers, ascending. */
  lines: number[];
}

export interface CaseSource {
  repo?: string;
  commit?: string;
  license?: string;
  url?: string;
}

export interface EvalCase {
  id: string;
  language: string;
  description?: string;
  source: CaseSource;
  /** Where the change comes from: a case file's two versions, or two commits of the repository under review. */
  change: { kind: 'files'; path: string; fixed: string; buggy: string } | { kind: 'commits'; from: string; to: string };
  /** Where the bug is; a finding within TOLERANCE lines of one of these found it. */
  bug: LineLabel[];
  /** Lines a reviewer needs in the prompt (the evidence-coverage benchmark); the bug lines when not given. */
  evidence: LineLabel[];
}

const CASE_KEYS = ['id', 'language', 'description', 'source', 'file', 'bug', 'evidence', 'fixed', 'buggy'];
const SOURCE_KEYS = ['repo', 'commit', 'license', 'url'];

/** Reads every *.yaml / *.yml under `dir` (sorted by path) as a case; ids must be unique. `shown`: the folder as the user named it. */
export async function loadCases(dir: string, shown = dir): Promise<EvalCase[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { recursive: true })).map(String).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch {
    throw new UsageError(`--cases ${shown}: not a folder that can be read; point it at a folder of case .yaml files`);
  }
  if (names.length === 0) throw new UsageError(`--cases ${shown}: no .yaml case files there (see "codeai-hook eval" in the README for the format)`);
  const cases: EvalCase[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    const c = parseCase(await readFile(file, 'utf8'), file);
    const earlier = seen.get(c.id);
    if (earlier) throw new UsageError(`${file}: id "${c.id}" is already used by ${earlier}; give each case its own id`);
    seen.set(c.id, file);
    cases.push(c);
  }
  return cases;
}

/** One case file's text as a case; UsageError naming the file and key on the first problem. */
export function parseCase(text: string, file: string): EvalCase {
  const fail = (message: string): never => {
    throw new UsageError(`${file}: ${message}`);
  };
  let raw: unknown;
  try {
    raw = yaml.load(text);
  } catch (err) {
    fail(`not valid YAML: ${String(err instanceof Error ? err.message : err).split('\n')[0]}`);
  }
  if (!isDict(raw)) return fail('a case is a mapping with id, language, file, bug, fixed and buggy');
  for (const key of Object.keys(raw)) if (!CASE_KEYS.includes(key)) fail(`unknown key "${key}"; allowed: ${CASE_KEYS.join(', ')}`);

  const id = raw.id;
  if (typeof id !== 'string' || !/^[A-Za-z0-9][\w.-]{0,79}$/.test(id)) fail(`id is ${show(id)}; expected letters, digits, '.', '_' or '-' (at most 80)`);
  const language = raw.language;
  if (typeof language !== 'string' || language.trim() === '') fail(`language is ${show(language)}; expected a name such as python`);
  const filePath = raw.file;
  if (typeof filePath !== 'string' || !/^[^/\\][^\\]*$/.test(filePath) || filePath.split('/').some((p) => p === '..' || p === '.' || p === '')) {
    fail(`file is ${show(filePath)}; expected a relative path such as src/app.py, without '..'`);
  }
  const fixed = raw.fixed;
  const buggy = raw.buggy;
  if (typeof fixed !== 'string') fail(`fixed is ${show(fixed)}; expected the file's text after the fix (a YAML block, fixed: |)`);
  if (typeof buggy !== 'string') fail(`buggy is ${show(buggy)}; expected the file's text with the fix reversed (buggy: |)`);
  if (fixed === buggy) fail('fixed and buggy are the same text: a case needs a change');
  const lineCount = (buggy as string).split('\n').length - ((buggy as string).endsWith('\n') ? 1 : 0);
  const bug = lines(raw.bug, 'bug', lineCount, fail, true);
  const evidence = raw.evidence === undefined ? bug : lines(raw.evidence, 'evidence', lineCount, fail, true);
  const description = raw.description;
  if (description !== undefined && typeof description !== 'string') fail(`description is ${show(description)}; expected text`);
  const source = raw.source ?? {};
  if (!isDict(source)) return fail(`source is ${show(source)}; expected a mapping with repo, commit, license, url`);
  const src: CaseSource = {};
  for (const [key, value] of Object.entries(source)) {
    if (!SOURCE_KEYS.includes(key)) fail(`unknown key "source.${key}"; allowed: ${SOURCE_KEYS.join(', ')}`);
    if (typeof value !== 'string' || value.trim() === '') fail(`source.${key} is ${show(value)}; expected text`);
    src[key as keyof CaseSource] = value as string;
  }
  const at = filePath as string;
  return {
    id: id as string,
    language: (language as string).trim().toLowerCase(),
    ...(description !== undefined ? { description: (description as string).trim() } : {}),
    source: src,
    change: { kind: 'files', path: at, fixed: fixed as string, buggy: buggy as string },
    bug: [{ file: at, lines: bug }],
    evidence: [{ file: at, lines: evidence }],
  };
}

function lines(value: unknown, key: string, max: number, fail: (m: string) => never, nonEmpty: boolean): number[] {
  const ok = Array.isArray(value) && value.every((n) => Number.isInteger(n) && n >= 1 && n <= max) && (!nonEmpty || value.length > 0);
  if (!ok) fail(`${key} is ${show(value)}; expected a list of line numbers of buggy, from 1 to ${max}`);
  return [...new Set(value as number[])].sort((a, b) => a - b);
}

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = value === undefined ? '(missing)' : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
