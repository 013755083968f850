// The one call every face makes: a session and a change in, a ReviewResult out. What the pipeline needs beyond the
// files (blobs for the built-in rules, the baseline, the cache, the provider, the team's instructions, the wider
// context, the new side for fixes) is composed here from the session and where the change was read.

import path from 'node:path';
import { selectFiles } from '../diff/select.js';
import { readCommittedFile, readFilesAt } from '../git/objects.js';
import { letSignalsIn } from '../interrupt.js';
import { reviewDiff, type ChosenProvider } from '../pipeline.js';
import { changedPolicyFiles } from '../policy/at-commit.js';
import { cacheDir, openCache, type FindingsCache } from '../review/cache.js';
import { parseBaseline, readBaseline } from '../review/baseline.js';
import { debugPhase } from '../terminal.js';
import type { DiffFile, Finding, ReviewResult } from '../types.js';
import { binaryContentForScan } from './blob-scan.js';
import { widenForModel } from './scope-context.js';
import { BASELINE_FILE, chooseFor, onErrorFor, teamInstructionsFor, type Session } from './session.js';
import { readChange, type Change, type ReviewSource } from './source.js';

export interface ReviewChangeOptions {
  /** Units done of all: for a progress line or an editor's progress report. */
  onProgress?(done: number, total: number): void;
  /** false: the built-in rules alone, no provider is even chosen (the editor while typing). */
  model?: boolean;
  /** Model findings of an earlier review, placed on this change's lines (see ReviewOptions.carried). */
  carried?: Finding[];
}

const RULES_ONLY: ChosenProvider = { provider: null, reason: 'built-in rules only: the model reviews on save' };

/** Reads the source and reviews it: for faces that need nothing of the change but its review. */
export async function reviewSource(session: Session, source: ReviewSource, opts: ReviewChangeOptions = {}): Promise<{ change: Change; result: ReviewResult }> {
  const change = await readChange(session, source);
  try {
    return { change, result: await reviewChange(session, change, opts) };
  } finally {
    await change.dispose?.();
  }
}

export async function reviewChange(session: Session, change: Change, opts: ReviewChangeOptions = {}): Promise<ReviewResult> {
  const { policy, env } = session;
  const { files, sides } = change;
  debugPhase(env, 'review');
  // Selected once, here, for the pipeline too.
  const selection = selectFiles(files, policy);
  // A named model widens the hunks of what it is sent (scopeContext): the gits that read that wider context start
  // now, and run while the rest is read and the rules scan. Not for 'auto', which may find no model, nor when the
  // policy leaves nothing for a model.
  const namedModel = policy.provider !== 'builtin' && policy.provider !== 'auto';
  const early =
    opts.model !== false && namedModel && policy.scopeContext && sides && !change.widenForModel && selection.selected.length > 0
      ? widenForModel(change.repo, sides, policy.contextLines, selection.selected)
      : null;
  early?.catch(() => undefined); // taken by the pipeline, or settled below when no model was chosen after all
  let askedForModel = false;
  let result: ReviewResult;
  try {
    const scanContent = sides ? await binaryContentForScan(change.repo, files, sides) : undefined;
    // --no-suppress ignores the baseline, so a damaged one must not stop it either.
    const baseline = session.suppress ? await baselineFor(session) : null;
    result = await reviewDiff(files, {
      selection,
      ...(scanContent ? { scanContent } : {}),
      teamInstructions: () => teamInstructionsFor(session),
      policy,
      chooseProvider: () => {
        if (opts.model === false) return Promise.resolve(RULES_ONLY);
        askedForModel = true;
        return chooseFor(session);
      },
      cache: findingsCache(session),
      userSignal: session.signal,
      baseline,
      suppress: session.suppress,
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      ...(opts.carried && opts.carried.length > 0 ? { carried: opts.carried } : {}),
      ...(change.intent ? { intent: change.intent } : {}),
      ...(change.summarize ? { summarize: true } : {}),
      // The model's wider context reads the two sides of the change; whole files (review FILE) have no other side.
      ...(policy.scopeContext && (change.widenForModel || sides)
        ? {
            widenForModel:
              change.widenForModel ??
              ((selected: DiffFile[]) => (early && selected === selection.selected ? early : widenForModel(change.repo, sides!, policy.contextLines, selected))),
          }
        : {}),
      // Fixes are checked against the change's new side: the index, the head commit, or the buffer. Whole named files
      // carry their content in the diff itself.
      ...(change.readNewSide || sides
        ? { readNewSide: change.readNewSide ?? ((paths: string[]) => readFilesAt(change.repo, sides!.kind === 'staged' ? 'index' : sides!.to, paths)) }
        : {}),
    });
  } finally {
    // The early widening's temporary attributes folder is removed when it settles: when no model was chosen after
    // all, or the review failed (a missing API key, a damaged baseline), it is waited for here, before the command
    // ends.
    await early?.catch(() => undefined);
  }
  await letSignalsIn(); // a Ctrl-C during the (synchronous) scan ends the run before any verdict is printed
  result.onError = onErrorFor(session);
  // In ci, 'auto' finding no model (a forgotten secret, a fork's pull request) is not a review: onError decides.
  if (session.command === 'ci' && askedForModel && policy.provider === 'auto' && result.model === null) {
    result.errors.push(
      `no model reviewed this change (${result.providerReason}): set OPENAI_API_KEY, ANTHROPIC_API_KEY or DEEPSEEK_API_KEY (or OLLAMA_HOST) in the CI job, or set provider: builtin to check with the built-in rules alone`,
    );
    result.incomplete = true;
  }
  if (session.gate) result.policy = policyReport(session, files);
  return result;
}

/** The findings cache of this repository, unless the session keeps out of it (--no-cache). */
export function findingsCache(session: Session): FindingsCache | null {
  return session.cache ? openCache(cacheDir(session.repo.top, session.env)) : null;
}

/** The baseline's fingerprints: the work tree's file, or in ci with the merge base's policy, the merge base's. */
async function baselineFor(session: Session): Promise<Set<string> | null> {
  const gate = session.gate;
  if (gate?.policy !== 'base') return readBaseline(path.join(session.repo.top, BASELINE_FILE));
  const committed = await readCommittedFile(session.repo, gate.mergeBase, BASELINE_FILE);
  return committed ? parseBaseline(`${BASELINE_FILE} at ${gate.mergeBase.slice(0, 12)}`, committed.toString('utf8')) : null;
}

/** ci's reports say which policy gated the range, from where, and which policy files the range changes. */
function policyReport(session: Session, files: DiffFile[]): NonNullable<ReviewResult['policy']> {
  const { repo, loaded, gate, configPath } = session;
  const relative = (file: string) => path.relative(repo.top, file).split(path.sep).join('/');
  const configRel = configPath !== undefined ? relative(path.resolve(session.cwd, configPath)) : undefined;
  return {
    file: loaded.file === null ? null : relative(loaded.file),
    from: gate!.policy === 'base' ? `the merge base ${gate!.mergeBase.slice(0, 12)}` : `${gate!.head} (--policy head)`,
    changed: changedPolicyFiles(files, configRel),
  };
}

export type { ChosenProvider };
