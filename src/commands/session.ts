import path from 'node:path';
import type { CommandContext } from './context.js';
import type { DiffSource } from '../git/diff.js';
import { readFilesAt } from '../git/objects.js';
import { openRepo, type Repo } from '../git/repo.js';
import { letSignalsIn } from '../interrupt.js';
import { binaryContentForScan } from './blob-scan.js';
import { reviewDiff, type ChosenProvider } from '../pipeline.js';
import { applyFailOn } from '../policy/fail-on.js';
import { loadPolicy } from '../policy/load.js';
import { resolveOnError, type Command as PolicyCommand } from '../policy/defaults.js';
import { loadUserConfig, userConfigLabel, withUserConfig, type UserConfig } from '../policy/user-config.js';
import { keyTrust, UntrustedHostError, type KeyTrust } from '../providers/key-trust.js';
import { cacheDir, openCache } from '../review/cache.js';
import { readBaseline } from '../review/baseline.js';
import { describeInstructions, loadTeamInstructions, type TeamInstructions } from '../review/team-instructions.js';
import { committedReader, workingReader } from './instruction-readers.js';
import { widenForModel } from './scope-context.js';
import type { Intent } from '../review/intent.js';
import { colors, debugPhase, progressLine, say } from '../terminal.js';
import type { DiffFile, LoadedPolicy, OnError, Policy, ReviewResult } from '../types.js';

export const BASELINE_FILE = '.codeai-baseline.json';

/** What every reviewing command needs: the repository, its policy, and the way to a provider. */
export interface Session {
  repo: Repo;
  loaded: LoadedPolicy;
  /** The repository's policy with the user config's provider, model and baseURL in place. */
  policy: Policy;
  ctx: CommandContext;
  /** $XDG_CONFIG_HOME/codeai-hook/config.yaml, when there is one. */
  user: UserConfig | null;
  /** The hosts the user's keys may go to. */
  trust: KeyTrust;
  /**
   * The hook's way with a refused key host: an incomplete review that onError decides (the built-in rules still
   * run). Elsewhere the refusal is a configuration error (exit 2).
   */
  refusalGoesToOnError?: boolean;
  /** ci: read the team's instruction files at this commit (the merge base); otherwise from the work tree. */
  instructionsAt?: string;
  /** What the author says the change is for: untrusted, fenced and redacted in the prompt. */
  intent?: Intent;
  /** ci and review --base: ask the model for a summary of the whole change. */
  summarize?: boolean;
  /** Which command runs: decides onError's default and whether a review without a model is complete. */
  command: PolicyCommand;
}

export interface OpenSessionOptions {
  /** Reads the repository's policy; by default the working policy (nearest file on disk). ci reads the merge base's. */
  policy?: (repo: Repo) => Promise<LoadedPolicy>;
}

export async function openSession(ctx: CommandContext, command: PolicyCommand = 'run', opts: OpenSessionOptions = {}): Promise<Session> {
  const repo = await openRepo(ctx.cwd);
  const configPath = typeof ctx.values.config === 'string' ? path.resolve(ctx.cwd, ctx.values.config) : undefined;
  const loaded = opts.policy
    ? await opts.policy(repo)
    : await loadPolicy(ctx.cwd, { ...(configPath ? { configPath } : {}), stopDir: repo.top, env: ctx.env });
  applyFailOn(loaded.policy, ctx.env);
  const user = await loadUserConfig(ctx.env);
  const trust = keyTrust(ctx.env, user, userConfigLabel(ctx.env));
  return { repo, loaded, policy: withUserConfig(loaded.policy, user), ctx, user, trust, command };
}

const chosen = new WeakMap<Session, Promise<ChosenProvider>>();

/**
 * The provider the policy names, or the one `auto` finds; the SDKs load only here. Chosen once per session:
 * `run --explain` and `explain FILE:LINE` ask again after the review, and `auto` would probe Ollama again.
 */
export function chooseFor(session: Session): Promise<ChosenProvider> {
  let choice = chosen.get(session);
  if (!choice) {
    choice = import('../providers/choose.js')
      .then(({ chooseProvider }) => chooseProvider(session.policy, session.ctx.env, session.ctx.signal, session.loaded.file, session.trust))
      .catch((error: unknown) => {
        if (!(error instanceof UntrustedHostError) || !session.refusalGoesToOnError) throw error;
        return { provider: null, reason: 'no model: its key host was refused', refusal: error.message };
      });
    chosen.set(session, choice);
  }
  return choice;
}

const instructions = new WeakMap<Session, Promise<TeamInstructions>>();

/** The team's instruction files this session reviews with (AGENTS.md, CLAUDE.md, ...), read once. */
export function teamInstructionsFor(session: Session): Promise<TeamInstructions> {
  let loaded = instructions.get(session);
  if (!loaded) {
    const { repo, policy, instructionsAt } = session;
    const reader = instructionsAt ? committedReader(repo, instructionsAt) : workingReader(repo.top);
    loaded = loadTeamInstructions(reader, policy.instructionFiles);
    instructions.set(session, loaded);
  }
  return loaded;
}

/** Where a change's new side is read: the index, or the commit a range ends at. */
function newSideOf(source: DiffSource): 'index' | string {
  return source.kind === 'staged' ? 'index' : source.to;
}

export interface ReviewFilesOptions {
  /** Where `files` came from, so that files git calls binary can be read from their blobs. */
  source?: DiffSource;
  /** The baseline's fingerprints when not read from the work tree (ci reads it at the merge base). */
  baseline?: Set<string> | null;
}

export async function reviewFiles(session: Session, files: DiffFile[], opts: ReviewFilesOptions = {}): Promise<ReviewResult> {
  const result = await runReview(session, files, opts);
  if (session.ctx.values.verbose && result.provider !== 'builtin') {
    const lines = describeInstructions(await teamInstructionsFor(session));
    const where = session.instructionsAt ? ` (at ${session.instructionsAt.slice(0, 12)})` : '';
    say(colors(session.ctx.env).dim(`team instructions${where}: ${lines.length > 0 ? lines.join('; ') : 'none'}`));
  }
  return result;
}

async function runReview(session: Session, files: DiffFile[], opts: ReviewFilesOptions): Promise<ReviewResult> {
  const { ctx, repo, policy } = session;
  debugPhase(ctx.env, 'review');
  const scanContent = opts.source ? await binaryContentForScan(repo, files, opts.source) : undefined;
  // --no-suppress ignores the baseline, so a damaged one must not stop it either.
  const baseline = ctx.values['no-suppress'] ? null : opts.baseline !== undefined ? opts.baseline : await readBaseline(path.join(repo.top, BASELINE_FILE));
  let askedForModel = false;
  const progress = progressLine(ctx.env);
  let result: ReviewResult;
  try {
    result = await reviewDiff(files, {
      ...(scanContent ? { scanContent } : {}),
      teamInstructions: () => teamInstructionsFor(session),
      policy,
      chooseProvider: () => {
        askedForModel = true;
        return chooseFor(session);
      },
      cache: ctx.values['no-cache'] ? null : openCache(cacheDir(repo.top, ctx.env)),
      userSignal: ctx.signal,
      baseline,
      suppress: !ctx.values['no-suppress'],
      onProgress: (done, total) => progress.update(done, total),
      ...(session.intent ? { intent: session.intent } : {}),
      ...(session.summarize ? { summarize: true } : {}),
      // The model's wider context reads the two sides of the change; whole files (review FILE) have no other side.
      ...(opts.source && policy.scopeContext
        ? { widenForModel: (selected: DiffFile[]) => widenForModel(repo, opts.source!, policy.contextLines, selected) }
        : {}),
      // Fixes are checked against the change's new side: the index, or the head commit. Whole named files carry
      // their content in the diff itself.
      ...(opts.source ? { readNewSide: (paths: string[]) => readFilesAt(repo, newSideOf(opts.source!), paths) } : {}),
    });
  } finally {
    progress.clear();
  }
  await letSignalsIn(); // a Ctrl-C during the (synchronous) scan ends the run before any verdict is printed
  result.onError = onErrorFor(session, session.command);
  // In ci, 'auto' finding no model (a forgotten secret, a fork's pull request) is not a review: onError decides.
  if (session.command === 'ci' && askedForModel && policy.provider === 'auto' && result.model === null) {
    result.errors.push(
      `no model reviewed this change (${result.providerReason}): set OPENAI_API_KEY, ANTHROPIC_API_KEY or DEEPSEEK_API_KEY (or OLLAMA_HOST) in the CI job, or set provider: builtin to check with the built-in rules alone`,
    );
    result.incomplete = true;
  }
  return result;
}

export function onErrorFor(session: Session, command: 'run' | 'review' | 'ci' | 'explain'): OnError {
  return resolveOnError(session.policy, command);
}

/**
 * 0 passed, 1 blocked, 3 could not complete with onError block. A block wins over an incomplete review: it names
 * findings the user can act on.
 */
export function exitCodeFor(result: ReviewResult, onError: OnError): number {
  if (result.verdict.blocked) return 1;
  if (result.incomplete && onError === 'block') return 3;
  return 0;
}

/** The line that says what onError did, or nothing when the review completed. */
export function onErrorLine(result: ReviewResult, onError: OnError, command: 'run' | 'review' | 'ci'): string | null {
  // The reason itself is in the report's warnings; this line says what the policy made of it.
  if (!result.incomplete) return null;
  switch (onError) {
    case 'block':
      return `✖ the model review did not complete, so this fails closed (onError: block)${command === 'run' ? '; skip once with git commit --no-verify' : ''}`;
    case 'warn':
      return '⚠ the model review did not complete; the built-in rules ran and their verdict stands (onError: warn)';
    case 'allow':
      return null;
  }
}

/**
 * The end of every reviewing command: say what onError made of an incomplete review, and give the exit code. A
 * terminal report already printed says "fails closed" in its verdict line, so that is not said twice.
 */
export function finishReview(session: Session, result: ReviewResult, command: 'run' | 'review' | 'ci', terminalShown = true): number {
  const onError = onErrorFor(session, command);
  const line = onErrorLine(result, onError, command);
  if (line && !(terminalShown && onError === 'block' && !result.verdict.blocked)) {
    const c = colors(session.ctx.env);
    say(onError === 'block' ? c.red(line) : c.yellow(line));
  }
  return exitCodeFor(result, onError);
}
