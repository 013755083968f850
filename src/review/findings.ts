// From the model's raw text to findings a user can trust. Three steps, each forgiving in what it reads and strict in
// what it lets through: find the JSON (lenient-json.ts), read each finding's fields (aliases, case, numeric strings),
// then place it on a changed line of this unit. A finding that cannot be placed is dropped with a reason, never
// shown against a wrong place; one that is a few lines off is moved to the nearest changed line.

import { CodeaiError } from '../errors.js';
import type { Category, Confidence, DroppedFinding, Finding, ModelRequest, ReviewUnit, Severity } from '../types.js';
import { extractJson } from './lenient-json.js';
import { indexFiles, locate, resolveFile, type FileIndex } from './locate.js';

/** The answer holds no usable JSON: worth one retry with `repairMessages`, then the unit counts as not reviewed. */
export class AnswerFormatError extends CodeaiError {
  override readonly name = 'AnswerFormatError';
  override readonly exitCode = 3;
  constructor(readonly detail: string) {
    super(`the model's answer could not be read: ${detail}`);
  }
}

export interface ParsedFindings {
  findings: Finding[];
  dropped: DroppedFinding[];
}

const LIMITS = { title: 200, fallbackTitle: 80, message: 2000, suggestion: 2000, fix: 20_000, echoedAnswer: 2000 } as const;

export function parseFindings(raw: string, unit: ReviewUnit): ParsedFindings {
  const items = answerItems(raw);
  const files = indexFiles(unit);
  const findings: Finding[] = [];
  const dropped: DroppedFinding[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const outcome = toFinding(item, files);
    if ('reason' in outcome) {
      dropped.push(outcome);
      continue;
    }
    const f = outcome.finding;
    const key = `${f.file}\0${f.line}\0${f.title.toLowerCase()}`;
    if (seen.has(key)) {
      dropped.push({ reason: `duplicate of an earlier finding at ${f.file}:${f.line}`, title: f.title });
      continue;
    }
    seen.add(key);
    findings.push(f);
  }
  return { findings, dropped };
}

/** The request for the one retry: the bad answer as the assistant's turn, then what was wrong with it. */
export function repairMessages(request: ModelRequest, raw: string, error: AnswerFormatError): ModelRequest {
  const answer = raw.trim() === '' ? '(empty answer)' : cap(raw.trim(), LIMITS.echoedAnswer);
  const correction =
    `That answer could not be used: ${error.detail}. ` +
    'Answer again with JSON only, matching the schema: {"findings": [...]} where each finding has file, line, ' +
    'severity, category, title and message, or {"findings": []} when nothing is wrong. No prose, no code fences.';
  return {
    ...request,
    messages: [...request.messages, { role: 'assistant', content: answer }, { role: 'user', content: correction }],
  };
}

// ---------- the answer's shape ----------

const LIST_KEYS = ['findings', 'issues', 'comments', 'reviews', 'problems'];

/** The answer's list of would-be findings; AnswerFormatError when the text holds no answer at all. */
function answerItems(raw: string): unknown[] {
  // A bare "[]" counts only as the whole answer: inside prose ("returns [] when…") it says nothing.
  if (/^\s*(?:```[^\n]*\n)?\s*\[\s*\]\s*(?:```)?\s*$/.test(raw.replace(/^\uFEFF/, ''))) return [];
  const found = extractJson(raw, (value) => listOf(value) !== undefined);
  if (found.ok) return listOf(found.value) ?? [];
  if (found.rejected !== undefined) {
    throw new AnswerFormatError(`expected {"findings": [...]} but got ${describe(found.rejected.value)}`);
  }
  throw new AnswerFormatError(found.reason);
}

/** The list of findings in any of the shapes models use; undefined when the value is not an answer at all. */
function listOf(value: unknown, depth = 0): unknown[] | undefined {
  if (Array.isArray(value)) return value.some(isRecord) ? value : undefined;
  if (!isRecord(value)) return undefined;
  for (const key of LIST_KEYS) {
    const list = field(value, [key]);
    if (Array.isArray(list)) return list;
    if (isRecord(list)) return [list];
  }
  if (looksLikeFinding(value)) return [value];
  // One wrapper level, as in {"review": {"findings": [...]}}.
  if (depth === 0) {
    for (const inner of Object.values(value)) {
      const list = isRecord(inner) ? listOf(inner, 1) : undefined;
      if (list !== undefined) return list;
    }
  }
  return undefined;
}

function looksLikeFinding(value: Record<string, unknown>): boolean {
  const says = field(value, ALIASES.message) !== undefined || field(value, ALIASES.title) !== undefined;
  const where = field(value, ALIASES.line) !== undefined || field(value, ALIASES.severity) !== undefined;
  return says && where;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (isRecord(value)) {
    const keys = Object.keys(value).slice(0, 5).map((k) => JSON.stringify(k));
    return keys.length === 0 ? 'an empty object' : `an object with ${keys.join(', ')}`;
  }
  return value === null ? 'null' : `a ${typeof value}`;
}

// ---------- one finding's fields ----------

const ALIASES = {
  file: ['file', 'path', 'filename', 'filepath', 'filePath'],
  line: ['line', 'lineNumber', 'lineNo', 'startLine'],
  endLine: ['endLine', 'lineEnd', 'lastLine'],
  severity: ['severity', 'level', 'priority'],
  category: ['category', 'type', 'kind'],
  title: ['title', 'summary', 'headline', 'name'],
  message: ['message', 'description', 'body', 'comment', 'details', 'detail', 'explanation'],
  suggestion: ['suggestion', 'fix', 'recommendation', 'suggestedFix', 'remediation'],
  confidence: ['confidence', 'certainty', 'likelihood'],
};

const SEVERITY_WORDS: Record<string, Severity> = {
  blocker: 'critical', critical: 'critical',
  major: 'high', error: 'high', high: 'high', severe: 'high',
  medium: 'medium', moderate: 'medium', warning: 'medium', warn: 'medium',
  minor: 'low', low: 'low',
  info: 'info', information: 'info', informational: 'info', note: 'info', nit: 'info', nitpick: 'info',
  suggestion: 'info', trivial: 'info',
};

const CATEGORY_WORDS: Record<string, Category> = {
  bug: 'bug', bugs: 'bug', correctness: 'bug', logic: 'bug', error: 'bug', errors: 'bug',
  security: 'security', vulnerability: 'security', vulnerabilities: 'security', vuln: 'security',
  performance: 'performance', perf: 'performance',
  style: 'style', readability: 'style', formatting: 'style', naming: 'style',
  improvement: 'improvement', improvements: 'improvement', maintainability: 'improvement', refactor: 'improvement',
  refactoring: 'improvement', 'best-practice': 'improvement', 'best-practices': 'improvement', design: 'improvement',
};

const CONFIDENCE_WORDS: Record<string, Confidence> = {
  high: 'high', certain: 'high', sure: 'high', definite: 'high', confirmed: 'high', 'very-high': 'high',
  medium: 'medium', moderate: 'medium', likely: 'medium', probable: 'medium', normal: 'medium',
  low: 'low', unsure: 'low', uncertain: 'low', possible: 'low', speculative: 'low', 'very-low': 'low',
};

/**
 * The model's confidence, in words or as a number (0–1, or a percentage). A model that says nothing, or something
 * unreadable, is taken at medium: under the default `block.minConfidence` it blocks as findings always did.
 */
function confidenceOf(value: unknown): Confidence {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*%?\s*$/.test(value) ? parseFloat(value) : NaN;
  if (Number.isFinite(number) && number >= 0 && number <= 100) {
    const share = number > 1 ? number / 100 : number;
    return share >= 0.8 ? 'high' : share >= 0.5 ? 'medium' : 'low';
  }
  return lookUp(CONFIDENCE_WORDS, value) ?? 'medium';
}

type Outcome = { finding: Finding } | DroppedFinding;

function toFinding(item: unknown, files: FileIndex[]): Outcome {
  if (!isRecord(item)) return { reason: `not a finding object: ${describe(item)}` };

  const message = text(field(item, ALIASES.message));
  const rawTitle = text(field(item, ALIASES.title));
  if (message === undefined) return { reason: 'no message', ...(rawTitle ? { title: rawTitle } : {}) };
  const title = cap(oneLine(rawTitle ?? firstSentence(message)), LIMITS.title);
  const drop = (reason: string): DroppedFinding => ({ reason, title });

  const severityValue = field(item, ALIASES.severity);
  const severity = lookUp(SEVERITY_WORDS, severityValue);
  if (severity === undefined) return drop(`unknown severity ${show(severityValue)}`);
  const categoryValue = field(item, ALIASES.category);
  const category = lookUp(CATEGORY_WORDS, categoryValue);
  if (category === undefined) return drop(`unknown category ${show(categoryValue)}`);

  const cited = lineNumbers(field(item, ALIASES.line));
  if (cited === undefined) return drop(`no usable line number: ${show(field(item, ALIASES.line))}`);
  const file = resolveFile(text(field(item, ALIASES.file)), files);
  if ('reason' in file) return drop(file.reason);
  const place = locate(file, cited.line);
  if ('reason' in place) return drop(place.reason);

  const endLine = lineNumbers(field(item, ALIASES.endLine))?.line ?? cited.endLine;
  const suggestion = text(field(item, ALIASES.suggestion));
  const fix = fixOf(item, cited, place.line);
  const finding: Finding = {
    file: file.path,
    line: place.line,
    severity,
    category,
    title,
    message: cap(message, LIMITS.message),
    source: 'model',
    confidence: confidenceOf(field(item, ALIASES.confidence)),
  };
  if (endLine !== undefined && endLine >= place.line && endLine <= place.hunkLast) finding.endLine = endLine;
  if (suggestion !== undefined) finding.suggestion = cap(suggestion, LIMITS.suggestion);
  if (fix !== undefined) finding.fix = fix;
  const code = file.newText.get(place.line);
  if (code !== undefined) finding.code = code;
  return { finding };
}

const FIX_ALIASES = {
  fix: ['fix', 'patch', 'change', 'edit'],
  startLine: ['startLine', 'start', 'fromLine', 'from', 'line', 'lines'],
  endLine: ['endLine', 'end', 'toLine', 'to', 'lastLine'],
  replacement: ['replacement', 'replace', 'newText', 'newCode', 'code', 'text', 'content'],
};

/**
 * The fix as the model gave it, its numbers read like the finding's: only its shape is read here, every other check
 * (lines shown, staged content, secrets, parsing) is src/fix/validate.ts's, on every run, cached answers included.
 * A fix without lines is about the finding's own lines, when the finding was not moved to reach a changed line.
 */
function fixOf(item: Record<string, unknown>, cited: { line: number; endLine?: number }, placed: number): Finding['fix'] {
  const raw = field(item, FIX_ALIASES.fix);
  if (!isRecord(raw)) return undefined;
  const replacement = field(raw, FIX_ALIASES.replacement);
  if (typeof replacement !== 'string' || replacement.length > LIMITS.fix) return undefined;
  const start = lineNumbers(field(raw, FIX_ALIASES.startLine));
  const end = lineNumbers(field(raw, FIX_ALIASES.endLine))?.line ?? start?.endLine ?? start?.line;
  if (start !== undefined && end !== undefined) return { startLine: start.line, endLine: end, replacement };
  if (start !== undefined || cited.line !== placed) return undefined;
  return { startLine: cited.line, endLine: cited.endLine ?? cited.line, replacement };
}

/** A line number, or a range such as "12-14" / "L12"; undefined unless a positive whole number. */
function lineNumbers(value: unknown): { line: number; endLine?: number } | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 ? { line: value } : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(?:L|line\s*)?(\d{1,9})(?:\s*(?:-|–|to)\s*L?(\d{1,9}))?\s*$/i.exec(value);
  const line = Number(m?.[1]);
  if (!m || line < 1) return undefined;
  return m[2] === undefined ? { line } : { line, endLine: Number(m[2]) };
}

/**
 * Looks a key up case-insensitively, ignoring "_" and "-", so line_number, lineNumber and LINE all match; the
 * first name listed wins when an object has several (a finding with both "category" and "type").
 */
function field(obj: Record<string, unknown>, names: readonly string[]): unknown {
  const byKey = new Map<string, unknown>();
  for (const [key, value] of Object.entries(obj)) {
    if (value !== undefined && value !== null && !byKey.has(squash(key))) byKey.set(squash(key), value);
  }
  for (const name of names) {
    const value = byKey.get(squash(name));
    if (value !== undefined) return value;
  }
  return undefined;
}

function squash(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

/** Own keys only: a model answering "constructor" must not find Object.prototype.constructor. */
function lookUp<T>(words: Record<string, T>, value: unknown): T | undefined {
  if (typeof value !== 'string') return undefined;
  const key = value.trim().toLowerCase().replace(/[\s_]+/g, '-');
  return Object.hasOwn(words, key) ? words[key] : undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function show(value: unknown): string {
  return value === undefined ? '(missing)' : cap(JSON.stringify(value) ?? String(value), 60);
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function firstSentence(message: string): string {
  const firstLine = message.split('\n', 1)[0] ?? message;
  const sentence = /^.*?[.!?](?=\s|$)/.exec(firstLine)?.[0] ?? firstLine;
  const title = sentence.replace(/\.$/, '');
  if (title.length <= LIMITS.fallbackTitle) return title;
  const cut = title.slice(0, LIMITS.fallbackTitle - 1);
  const atWord = cut.replace(/\s+\S*$/, '');
  return `${atWord.length >= 20 ? atWord : cut}…`;
}

/** At most `max` UTF-16 units, ending in "…" when cut; never splits a surrogate pair. */
export function cap(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
