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
  const needsModel = blocking.some((f) => f.source === 'model');
  const { provider } = needsModel ? await chooseFor(session) : { provider: null };
  const units = provider ? unitsFor(session, files, provider) : [];
  for (const f of blocking) {
    if (f.source === 'builtin' || !provider) {
      f.explanation = f.suggestion ?? f.message;
      continue;
    }
    const unit = unitHolding(units, f.file, f.line);
    if (!unit) continue;
    try {
      f.explanation = await explainOne(provider, unit, 'intermediate', session.signal, f);
    } catch (err) {
      f.explanation = `(no explanation: ${explainFailure(err, { detail: true })})`;
    }
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
