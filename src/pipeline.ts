import type { BlobText } from './diff/blob-text.js';
import { chunkDiff, TOO_SMALL_REASON } from './diff/chunk.js';
import { redact, redactPlainText } from './diff/redact.js';
import { selectFiles, type Selection } from './diff/select.js';
import { offerFixes, type ReadNewSide } from './fix/offer.js';
import { matchingOverrides, policyForFile } from './policy/effective.js';
import { decideVerdict } from './policy/verdict.js';
import type { FindingsCache } from './review/cache.js';
import { reviewUnits, type UnitPromptOptions } from './review/run.js';
import { intentText, type Intent } from './review/intent.js';
import { summarizeChange, type SummaryOutcome } from './review/summarize.js';
import type { SummaryInput } from './review/summary.js';
import { applySuppressions, isSecretFinding } from './review/suppress.js';
import { instructionsFor, NO_INSTRUCTIONS, type TeamInstructions } from './review/team-instructions.js';
import { keyBlockFindings } from './rules/key-blocks.js';
import { withRuleConfidence } from './rules/confidence.js';
import { runBuiltinRules } from './rules/scan.js';
import { secretsFileKind, secretsFileReason } from './rules/secrets-files.js';
import type {
  Category,
  ChangeSummary,
  DiffFile,
  DroppedFinding,
  FileReport,
  Finding,
  ModelProvider,
  Policy,
  ReviewResult,
  ReviewUnit,
  SkippedFile,
} from './types.js';
import { CATEGORIES, severityRank } from './types.js';

const BINARY_SCANNED = 'binary to git: read by the built-in rules only';

export interface ChosenProvider {
  /** null: built-in rules only. */
  provider: ModelProvider | null;
  reason: string;
  /** The configured model was refused (its key's host is not trusted): the review is incomplete, onError decides. */
  refusal?: string;
}

export interface ReviewOptions {
  policy: Policy;
  /** selectFiles(files, policy), when the caller made it already (session/review.ts starts the wider context from it). */
  selection?: Selection;
  /** Called only when something is left for a model, so an empty or fully excluded change costs no probe. */
  chooseProvider(): Promise<ChosenProvider>;
  cache: FindingsCache | null;
  userSignal: AbortSignal;
  baseline: Set<string> | null;
  suppress: boolean;
  onProgress?(done: number, total: number): void;
  /** What the built-in rules read, by path, for files git's diff calls binary (read from their blobs). */
  scanContent?: ReadonlyMap<string, BlobText>;
  /** The team's instruction files (AGENTS.md, ...); read only when a model reviews. */
  teamInstructions?(): Promise<TeamInstructions>;
  /** What the author says the change is for (PR/MR title and body, commit messages): untrusted, fenced, redacted. */
  intent?: Intent;
  /** ci and review --base: one more model call summarises the whole change (review/summary.ts). */
  summarize?: boolean;
  /** The selected files with wider context for the model (diff/context.ts); asked only when a model reviews. */
  widenForModel?(files: DiffFile[]): Promise<DiffFile[]>;
  /** The new side's content, to check fixes against; absent: they are checked against the diff's lines alone. */
  readNewSide?: ReadNewSide;
  /**
   * Model findings of an earlier review of the same files, already placed on these files' lines (the editor between
   * two saves): suppressed, fixed-checked and judged with the rest, as if the model had just given them.
   */
  carried?: Finding[];
}

/**
 * The one review every command runs: select → built-in rules → redact → chunk → model → suppress → verdict.
 * `run`, `review`, `ci` and `explain` differ only in where `files` come from and how the result is reported.
 */
export async function reviewDiff(files: DiffFile[], opts: ReviewOptions): Promise<ReviewResult> {
  const started = clockMs();
  const { policy } = opts;

  const { selected, skipped, excluded } = opts.selection ?? selectFiles(files, policy);
  // The model (if any) is known, and git already reading its wider context, before the built-in rules run: git's
  // processes run beside the rules instead of one after another after them.
  const { provider, reason: providerReason, refusal }: ChosenProvider =
    selected.length > 0 ? await opts.chooseProvider() : { provider: null, reason: 'nothing to send to a model' };
  const widening = provider && opts.widenForModel ? opts.widenForModel(selected) : null;
  // The team's instruction files are read beside them too; they are waited for (and a failure to read them counts)
  // only when some unit goes to the model, as before.
  const teamReading = provider && opts.teamInstructions ? opts.teamInstructions() : null;
  teamReading?.catch(() => undefined);

  // The user's include/exclude say what is reviewed at all; the built-in rules also read the files the model is
  // spared (lockfiles, generated, too large), because a key committed in a generated file is still a leaked key.
  // A file git calls binary is read from its blobs; a real binary's printable runs are checked for secrets only.
  const content = files.map((f) => opts.scanContent?.get(f.path)?.file ?? f);
  const scanned = content.filter((f) => !excluded.has(f.path));
  const stringsOnly = (f: Finding) => opts.scanContent?.get(f.file)?.strings === true;
  // Overrides replace a file's categories, so they may turn on one the top level leaves off: run every category
  // any file may want, then keep each file's own.
  // A private key changed in place shows no BEGIN line in the diff: its blocks come from the whole file (keyLines).
  const rotatedKeys = keyBlockFindings(scanned).filter((f) => !policy.disableRules.includes(f.rule ?? ''));
  const builtin = [...runBuiltinRules(scanned, { disabled: policy.disableRules, categories: anyCategories(policy) }), ...rotatedKeys]
    .filter((f) => policyForFile(policy, f.file).categories.includes(f.category) && (!stringsOnly(f) || isSecretFinding(f)))
    .map(withRuleConfidence);

  const forModel = provider ? prepareForModel(widening ? await widening : selected, policy, provider) : null;
  const units = forModel?.units ?? [];
  const notSent = forModel?.notSent ?? [];
  const budgetSkipped = forModel?.budgetSkipped ?? [];
  const prepared = clockMs();

  let modelFindings: Finding[] = [...(opts.carried ?? [])];
  const dropped: DroppedFinding[] = [];
  const errors: string[] = refusal ? [refusal] : [];
  let calls = 0;
  let cached = 0;
  let summarized: SummaryOutcome | undefined;
  if (provider && units.length > 0) {
    const team = teamReading ? await teamReading : NO_INSTRUCTIONS;
    const intent = intentText(opts.intent);
    // Said before the first answer, so a one-unit review shows it is working (the spinner) while the model thinks.
    opts.onProgress?.(0, units.length);
    const outcomes = await reviewUnits(units, provider, {
      promptFor: (unit) => ({ ...promptFor(unit, policy, team), ...(intent ? { intent } : {}) }),
      concurrency: policy.concurrency,
      userSignal: opts.userSignal,
      deadlineMs: policy.timeoutMs,
      cache: opts.cache,
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    for (const o of outcomes) {
      calls += o.calls;
      if (o.cached) cached++;
      if (o.error && !errors.includes(o.error)) errors.push(o.error);
      modelFindings.push(...o.findings);
      dropped.push(...(o.dropped ?? []));
    }
    if (opts.summarize) {
      summarized = await summarizeChange(provider, summaryInput(files, builtin, modelFindings, forModel!, intent), {
        userSignal: opts.userSignal,
        timeoutMs: policy.timeoutMs,
        cache: opts.cache,
      });
      calls += summarized.calls;
      if (summarized.cached) cached++;
    }
    // The model saw names with their secrets redacted: its findings go back on the real files.
    const names = forModel?.names;
    if (names && names.size > 0) modelFindings = modelFindings.map((f) => ({ ...f, file: names.get(f.file) ?? f.file }));
    // A file's categories (after overrides) decide which model findings count; the prompt asked for the union.
    modelFindings = modelFindings.filter((f) => policyForFile(policy, f.file).categories.includes(f.category));
  }

  const all = sortFindings(dedupe([...builtin, ...modelFindings]));
  const { kept, suppressed, suppressions } = applySuppressions(all, content, { baseline: opts.baseline, enabled: opts.suppress });
  const { findings: fixed, dropped: droppedFixes } = await offerFixes(kept, files, opts.readNewSide);
  const verdict = decideVerdict(fixed, policy);
  const reviewed = clockMs();

  return {
    version: 1,
    verdict,
    findings: fixed,
    suppressed,
    suppressions,
    dropped,
    // A file the chunker could not fit at all was not sent: skipped. A truncated line leaves the file partly reviewed.
    files: fileReports(
      files,
      [...skipped.map((s) => (opts.scanContent?.has(s.path) && s.reason === 'binary' ? { ...s, reason: BINARY_SCANNED } : s)), ...notSent, ...budgetSkipped.filter((s) => s.reason === TOO_SMALL_REASON)],
      budgetSkipped.filter((s) => s.reason !== TOO_SMALL_REASON),
    ),
    provider: provider?.name ?? 'builtin',
    model: provider?.model ?? null,
    providerReason,
    units: units.length,
    tokens: units.reduce((sum, u) => sum + u.tokens, 0),
    calls,
    cached,
    errors,
    incomplete: errors.length > 0,
    ...(summarized?.summary ? { summary: withRealNames(summarized.summary, forModel?.names) } : {}),
    ...(summarized?.error ? { summaryError: summarized.error } : {}),
    droppedFixes,
    timings: {
      prepareMs: Math.round(prepared - started),
      reviewMs: Math.round(reviewed - prepared),
      totalMs: Math.round(reviewed - started),
    },
  };
}

export interface ModelInput {
  units: ReviewUnit[];
  /** Files kept from this provider by sendToCloud. */
  notSent: SkippedFile[];
  /** What the budget could not hold: a truncated line, or a file too large for even one line. */
  budgetSkipped: SkippedFile[];
  /** Names as the model saw them (secrets redacted) → the real names. */
  names: Map<string, string>;
}

/**
 * What a model may see of the selected files, for the review and for `explain` alike: secrets files (.env, .npmrc
 * with a token, key files…) never, every other secret redacted, files that held one kept from a cloud model under
 * `sendToCloud: redacted-only`, packed into units under the budget.
 */
export function prepareForModel(selected: DiffFile[], policy: Policy, provider: ModelProvider): ModelInput {
  const notSent: SkippedFile[] = [];
  const ordinary = selected.filter((f) => {
    const kind = secretsFileKind(f);
    if (kind !== null) notSent.push({ path: f.path, reason: secretsFileReason(kind) });
    return kind === null;
  });
  const redacted = redact(ordinary);
  let toModel = redacted.files;
  if (!provider.local && policy.sendToCloud === 'redacted-only') {
    const withSecrets = new Set(redacted.redactions.map((r) => r.file));
    toModel = toModel.filter((f) => !withSecrets.has(redacted.names.get(f.path) ?? f.path));
    for (const path of withSecrets) {
      notSent.push({ path, reason: 'holds a secret: not sent to a cloud model (sendToCloud: redacted-only)' });
    }
  }
  const chunked = chunkDiff(toModel, { budget: policy.maxDiffTokens, model: provider.model });
  // The chunker reports files by the names it was given: the redacted ones, turned back here.
  const budgetSkipped = chunked.skipped.map((s) => ({ ...s, path: redacted.names.get(s.path) ?? s.path }));
  return { units: chunked.units, notSent, budgetSkipped, names: redacted.names };
}

/**
 * A unit may hold files of several overrides: each override's instructions say which files they are for, so the
 * model does not apply `test/**` conventions to `src/` (the top level's apply everywhere and stay as written).
 */
function promptFor(unit: ReviewUnit, policy: Policy, team: TeamInstructions): UnitPromptOptions {
  const categories = new Set<Category>();
  // The policy's own text is masked like a diff line: a key written into it must not reach the model either.
  const instructions: string[] = policy.instructions?.trim() ? [redactPlainText('instructions', policy.instructions)] : [];
  for (const file of unit.files) {
    for (const c of policyForFile(policy, file.path).categories) categories.add(c);
    for (const o of matchingOverrides(policy, file.path)) {
      if (!o.instructions?.trim()) continue;
      const labelled = redactPlainText('instructions', `For files matching ${o.files.join(', ')}: ${o.instructions}`);
      if (!instructions.includes(labelled)) instructions.push(labelled);
    }
  }
  instructions.push(...instructionsFor(team, unit.files.map((f) => f.path)));
  // The top level's order first; categories only an override turns on follow in the usual order.
  return { categories: anyCategories(policy).filter((c) => categories.has(c)), instructions };
}

/** Milliseconds on a monotonic clock. Not `performance.now()`: its first use loads perf_hooks, ~1.5 ms of every commit (CPU profile). */
function clockMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Every category some file may be reviewed for: the top level's, in its order, then those overrides add. */
function anyCategories(policy: Policy): Category[] {
  const extra = new Set(policy.overrides.flatMap((o) => o.categories ?? []));
  return [...policy.categories, ...CATEGORIES.filter((c) => extra.has(c) && !policy.categories.includes(c))];
}

/**
 * What the summary reads, all of it as the model may see it: the units, the stat of the files in them under their
 * redacted names, and the findings placed on those names (a finding on a file the model did not see is left out).
 */
function summaryInput(files: DiffFile[], builtin: Finding[], model: Finding[], forModel: ModelInput, intent: string): SummaryInput {
  const shownAs = new Map<string, string>();
  for (const [shown, real] of forModel.names) shownAs.set(real, shown);
  const inUnits = [...new Set(forModel.units.flatMap((u) => u.files.map((f) => f.path)))];
  const byName = new Map(files.map((f) => [shownAs.get(f.path) ?? f.path, f]));
  const stat = inUnits.flatMap((name) => {
    const f = byName.get(name);
    return f ? [{ path: name, status: f.status, added: f.added, removed: f.removed }] : [];
  });
  const seen = new Set(inUnits);
  const findings = [...builtin.map((f) => ({ ...f, file: shownAs.get(f.file) ?? f.file })), ...model].filter((f) => seen.has(f.file));
  return { units: forModel.units, stat, unseen: files.length - stat.length, findings: sortFindings(findings), intent };
}

function withRealNames(summary: ChangeSummary, names: Map<string, string> | undefined): ChangeSummary {
  if (!names || names.size === 0) return summary;
  return { ...summary, files: summary.files.map((f) => ({ ...f, path: names.get(f.path) ?? f.path })) };
}

/** A model finding on the same line and category as a built-in one says the same thing twice: keep the rule's. */
function dedupe(findings: Finding[]): Finding[] {
  const builtinAt = new Set(findings.filter((f) => f.source === 'builtin').map((f) => `${f.file}\0${f.line}\0${f.category}`));
  return findings.filter((f) => f.source === 'builtin' || !builtinAt.has(`${f.file}\0${f.line}\0${f.category}`));
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      compare(a.file, b.file) ||
      a.line - b.line ||
      severityRank(b.severity) - severityRank(a.severity) ||
      compare(a.title, b.title) ||
      compare(a.rule ?? '', b.rule ?? ''),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `reviewed` means handed to the reviewer in use (the model, or the built-in rules alone when there is none). */
function fileReports(files: DiffFile[], skipped: SkippedFile[], partial: SkippedFile[]): FileReport[] {
  const reasons = new Map<string, string>();
  for (const s of skipped) if (!reasons.has(s.path)) reasons.set(s.path, s.reason);
  const partly = new Map<string, string>();
  for (const s of partial) if (!partly.has(s.path)) partly.set(s.path, s.reason);
  return files.map((f) => {
    const reason = reasons.get(f.path);
    const part = reason === undefined ? partly.get(f.path) : undefined;
    return {
      path: f.path,
      ...(f.oldPath ? { oldPath: f.oldPath } : {}),
      status: f.status,
      added: f.added,
      removed: f.removed,
      reviewed: reason === undefined,
      ...(reason !== undefined ? { skipped: reason } : {}),
      ...(part !== undefined ? { partial: part } : {}),
    };
  });
}
