// Asking the model for the fix of one finding that came without one. What it sees goes through the review's own way
// to a model (pipeline.ts prepareForModel: secrets files never, secrets redacted, sendToCloud), cut to the lines
// around the finding; a finding on a line that holds a secret gets no model fix. The answer is checked like any fix
// (validate.ts); an unusable one is asked again once, with the reason, then dropped.

import { AbortedError, ProviderError } from '../errors.js';
import { prepareForModel } from '../pipeline.js';
import { cacheKey, type FindingsCache } from '../review/cache.js';
import { AnswerFormatError } from '../review/findings.js';
import { keyBlockLines } from '../rules/key-blocks.js';
import type { DiffFile, DiffLine, Finding, ModelProvider, Policy } from '../types.js';
import { buildFimRequest, FIM_VERSION, parseReplacement, repairFimRequest } from './fim.js';
import { splitLines } from './lines.js';
import { validateFix, type FixCheck } from './validate.js';

/** Lines of code shown before and after the gap. */
const WINDOW = 20;

export interface ModelFixInput {
  finding: Finding;
  /** The finding's file in the staged diff (not redacted). */
  file: DiffFile;
  /** Its staged content. */
  content: string;
  policy: Policy;
  provider: ModelProvider;
  signal: AbortSignal;
  cache: FindingsCache | null;
  /** Why the review's own fix for this finding was dropped, when it had one. */
  earlier?: string;
}

export async function askForFix(input: ModelFixInput): Promise<FixCheck> {
  const { finding, content, provider } = input;
  const startLine = finding.line;
  const endLine = Math.max(finding.endLine ?? finding.line, startLine);
  const lines = splitLines(content);
  if (endLine > lines.length) return { reason: `lines ${startLine}-${endLine} are past the end of ${finding.file} as staged` };

  const seen = modelView(input, startLine, endLine, lines.length);
  if ('reason' in seen) return seen;
  for (let n = startLine; n <= endLine; n++) {
    if (seen.secretLines.has(n)) return { reason: `line ${n} holds a secret: no model sees it, so there is no model fix` };
  }
  const text = (from: number, to: number) => range(from, to).map((n) => seen.text.get(n) ?? '');
  const fim = {
    path: seen.path,
    finding,
    startLine,
    endLine,
    before: text(Math.max(1, startLine - WINDOW), startLine - 1),
    gap: text(startLine, endLine),
    after: text(endLine + 1, Math.min(lines.length, endLine + WINDOW)),
    ...(input.earlier !== undefined ? { earlier: input.earlier } : {}),
  };
  const request = buildFimRequest(fim);
  // Keyed by what the request says, not by its random fence id.
  const { title, message, suggestion } = finding;
  const key = cacheKey({ v: FIM_VERSION, provider: provider.name, model: provider.model, ...fim, finding: { title, message, suggestion } });
  const check = (replacement: string) =>
    validateFix({ startLine, endLine, replacement }, { file: input.file, content, secretLines: seen.secretLines });

  const cached = (await input.cache?.get(key))?.findings[0]?.fix;
  if (cached) {
    const again = await check(cached.replacement);
    if ('fix' in again) return again;
  }
  let ask = request;
  let last = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    let raw: string;
    try {
      raw = await provider.review(ask, input.signal);
    } catch (err) {
      if (input.signal.aborted) throw new AbortedError('fix interrupted: nothing was changed');
      if (err instanceof ProviderError) return { reason: err.message };
      throw err;
    }
    let outcome: FixCheck;
    try {
      outcome = await check(parseReplacement(raw));
    } catch (err) {
      if (!(err instanceof AnswerFormatError)) throw err;
      outcome = { reason: `the answer held no replacement (${err.detail})` };
    }
    if ('fix' in outcome) {
      await input.cache?.set(key, [{ ...finding, fix: { startLine, endLine, replacement: outcome.fix.replacement } }]);
      return outcome;
    }
    last = outcome.reason;
    ask = repairFimRequest(request, raw, outcome.reason);
  }
  return { reason: `the model's fix was unusable twice (${last})` };
}

interface ModelView {
  /** The file's name as the model sees it (redacted when it holds a secret). */
  path: string;
  /** Each line of the window as the model may see it. */
  text: Map<number, string>;
  /** Lines redaction changed. */
  secretLines: Set<number>;
}

/** The lines around the finding as the review would send them to this provider, or why they may not be sent. */
function modelView(input: ModelFixInput, startLine: number, endLine: number, total: number): ModelView | { reason: string } {
  const from = Math.max(1, startLine - WINDOW);
  const to = Math.min(total, endLine + WINDOW);
  const all = splitLines(input.content);
  const lines: DiffLine[] = range(from, to).map((n) => ({ kind: 'context', text: all[n - 1]!.text, oldLine: n, newLine: n }));
  const keys = keyBlockLines(input.content);
  const window: DiffFile = {
    path: input.file.path,
    status: 'modified',
    binary: false,
    hunks: [{ oldStart: from, oldLines: lines.length, newStart: from, newLines: lines.length, heading: '', lines }],
    added: 0,
    removed: 0,
    ...(keys.length > 0 ? { keyLines: { old: [], new: keys } } : {}),
  };
  // A budget as large as the window itself: the review's maxDiffTokens must not cut a fix request short.
  const policy = { ...input.policy, maxDiffTokens: Math.max(input.policy.maxDiffTokens, 8000) };
  const prepared = prepareForModel([window], policy, input.provider);
  const unitFile = prepared.units[0]?.files[0];
  if (!unitFile) {
    const why = [...prepared.notSent, ...prepared.budgetSkipped][0]?.reason ?? 'nothing of it can be sent';
    return { reason: `${input.file.path} is not sent to a model: ${why}` };
  }
  const text = new Map<number, string>();
  const secretLines = new Set<number>();
  for (const l of unitFile.hunks.flatMap((h) => h.lines)) {
    if (l.newLine === undefined) continue;
    text.set(l.newLine, l.text);
    if (l.text !== all[l.newLine - 1]?.text) secretLines.add(l.newLine);
  }
  return { path: unitFile.path, text, secretLines };
}

function range(from: number, to: number): number[] {
  return to < from ? [] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
