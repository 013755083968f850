// Explanations of a change or a finding, from the units the same provider would review: `explain`, `run --explain`.

import { selectFiles } from '../diff/select.js';
import { buildExplainPrompt, parseExplanation } from '../review/explain.js';
import { AnswerFormatError } from '../review/findings.js';
import { ProviderError } from '../errors.js';
import { prepareForModel } from '../pipeline.js';
import type { DiffFile, Finding, ModelProvider, ReviewResult, ReviewUnit } from '../types.js';
import { chooseFor, type Session } from './session.js';

export type ExplainLevel = 'beginner' | 'intermediate' | 'expert';

/** The units this provider would see for these files: the same selection, redaction, sendToCloud and budget as the review. */
export function unitsFor(session: Session, files: DiffFile[], provider: ModelProvider): ReviewUnit[] {
  return prepareForModel(selectFiles(files, session.policy).selected, session.policy, provider).units;
}

export function unitHolding(units: ReviewUnit[], file: string, line?: number): ReviewUnit | undefined {
  return units.find((u) =>
    u.files.some(
      (f) =>
        f.path === file &&
        (line === undefined || f.hunks.some((h) => line >= h.newStart && line < h.newStart + Math.max(h.newLines, 1))),
    ),
  );
}

export async function explainOne(
  provider: ModelProvider,
  unit: ReviewUnit,
  level: ExplainLevel,
  signal: AbortSignal,
  focus?: Finding,
): Promise<string> {
  const request = buildExplainPrompt(unit, { level, ...(focus ? { focus } : {}) });
  return parseExplanation(await provider.review(request, signal));
}

/**
 * `run --explain`: one paragraph on each blocking finding. A built-in rule's explanation is its fix hint (no model
 * needed); a model finding asks the model once more, and a failure there never changes the verdict.
 */
export async function addExplanations(session: Session, result: ReviewResult, files: DiffFile[]): Promise<void> {
  const blocking = result.verdict.blocking.map((i) => result.findings[i]!).filter(Boolean);
  if (blocking.length === 0) return;
  const model = await modelFor(session, files, blocking);
  for (const f of blocking) {
    const text = await explainFinding(session, files, f, model);
    if (text !== undefined) f.explanation = text;
  }
}

interface ExplainingModel {
  provider: ModelProvider | null;
  units: ReviewUnit[];
}

/** The provider and its units, chosen only when some finding is the model's. */
async function modelFor(session: Session, files: DiffFile[], findings: Finding[]): Promise<ExplainingModel> {
  const { provider } = findings.some((f) => f.source === 'model') ? await chooseFor(session) : { provider: null };
  return { provider, units: provider ? unitsFor(session, files, provider) : [] };
}

/**
 * One finding explained as `run --explain` explains it: a built-in rule's by its hint, a model finding by the model
 * asked about the unit that holds it (undefined when none does). A model that fails says why in the text.
 */
export async function explainFinding(session: Session, files: DiffFile[], f: Finding, model?: ExplainingModel): Promise<string | undefined> {
  const { provider, units } = model ?? (await modelFor(session, files, [f]));
  if (f.source === 'builtin' || !provider) return f.suggestion ?? f.message;
  const unit = unitHolding(units, f.file, f.line);
  if (!unit) return undefined;
  try {
    return await explainOne(provider, unit, 'intermediate', session.signal, f);
  } catch (err) {
    return `(no explanation: ${explainFailure(err, { detail: true })})`;
  }
}

/**
 * Why the model gave no explanation, when that is the model's doing (down, or an unusable answer); anything else is
 * thrown on. `detail`: the answer's defect alone, not the sentence around it.
 */
export function explainFailure(err: unknown, opts: { detail?: boolean } = {}): string {
  if (err instanceof AnswerFormatError) return opts.detail ? err.detail : `the model's explanation was unusable (${err.detail})`;
  if (err instanceof ProviderError) return err.message;
  throw err;
}
