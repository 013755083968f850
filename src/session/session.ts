// What every face (a command, the language server) reviews with: the repository, its policy (the working one, or
// the merge base's in ci), the user's config and the hosts their keys may go to, and the way to a provider. A face
// opens one session, hands it a source (session/source.ts) and gets a ReviewResult (session/review.ts); none of them
// composes git, policy, review and providers itself.

import path from 'node:path';
import { verifiedMergeBase } from '../git/diff.js';
import { openRepo, repoState, type Repo, type RepoState } from '../git/repo.js';
import type { ChosenProvider } from '../pipeline.js';
import { loadPolicyAt } from '../policy/at-commit.js';
import { applyFailOn } from '../policy/fail-on.js';
import { loadPolicy } from '../policy/load.js';
import { resolveOnError, type Command as PolicyCommand } from '../policy/defaults.js';
import { loadUserConfig, userConfigLabel, withUserConfig, type UserConfig } from '../policy/user-config.js';
import { keyTrust, UntrustedHostError, type KeyTrust } from '../providers/key-trust.js';
import { describeInstructions, loadTeamInstructions, NO_INSTRUCTIONS, type TeamInstructions } from '../review/team-instructions.js';
import type { LoadedPolicy, OnError, Policy } from '../types.js';
import { committedReader, workingReader } from './instruction-readers.js';

export const BASELINE_FILE = '.codeai-baseline.json';

export type { PolicyCommand };

/** ci: the range under review, and whose policy gates it. */
export interface Gate {
  base: string;
  head: string;
  /** 'base': the merge base's policy, team instructions and baseline (the default); 'head': this branch's own. */
  policy: 'base' | 'head';
}

export interface OpenOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on the first SIGINT/SIGTERM (or when the language server shuts down). */
  signal: AbortSignal;
  /** Decides onError's default and whether a review without a model is complete. */
  command: PolicyCommand;
  /** `--config FILE`, relative to cwd: this policy file, no search. */
  configPath?: string;
  /** ci: read the policy (and, with policy 'base', the team instructions and baseline) where the range says. */
  gate?: Gate;
  /** false: neither read nor write the findings cache (--no-cache). */
  cache?: boolean;
  /** false: codeai-ignore comments and the baseline hide nothing (--no-suppress). */
  suppress?: boolean;
  /**
   * The hook's way with a refused key host: an incomplete review that onError decides (the built-in rules still
   * run). Elsewhere the refusal is a configuration error (exit 2).
   */
  refusalGoesToOnError?: boolean;
  /** The repository of `cwd`, already being opened (the hook starts its git before loading the review). */
  repo?: Promise<Repo>;
}

/** What every review needs: the repository, its policy, and the way to a provider. */
export interface Session {
  repo: Repo;
  loaded: LoadedPolicy;
  /** The repository's policy with the user config's provider, model and baseURL in place. */
  policy: Policy;
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  command: PolicyCommand;
  /** $XDG_CONFIG_HOME/codeai-hook/config.yaml, when there is one. */
  user: UserConfig | null;
  /** The hosts the user's keys may go to. */
  trust: KeyTrust;
  cache: boolean;
  suppress: boolean;
  /** false: the team's instruction files are not read (eval measures the model alone). */
  teamInstructions: boolean;
  refusalGoesToOnError: boolean;
  /** `--config FILE` as given, relative to cwd. */
  configPath?: string;
  /** ci: the merge base of the gated range, and whose policy applies. */
  gate?: Gate & { mergeBase: string };
}

export async function openSession(opts: OpenOptions): Promise<Session> {
  const { cwd, env, configPath } = opts;
  // Read beside the repository's lookup and the policy's; awaited after them, so their errors still come first.
  const userConfig = loadUserConfig(env);
  userConfig.catch(() => undefined);
  const opening = opts.repo ?? openRepo(cwd);
  // The working policy is searched for in cwd while git finds the top level (loadPolicy's stopDir); awaited after the
  // repository, so a folder outside any repository is still reported as that, and nothing else.
  const top = opening.then((r) => r.top);
  top.catch(() => undefined);
  const working = opts.gate ? null : loadPolicy(cwd, { ...(configPath !== undefined ? { configPath: path.resolve(cwd, configPath) } : {}), stopDir: top, env });
  working?.catch(() => undefined);
  const repo = await opening;
  let gate: Session['gate'];
  let loaded: LoadedPolicy;
  const given = configPath !== undefined ? { configPath } : {};
  if (opts.gate) {
    const mergeBase = await verifiedMergeBase(repo, opts.gate.base, opts.gate.head);
    gate = { ...opts.gate, mergeBase };
    loaded =
      opts.gate.policy === 'head'
        ? await loadPolicy(cwd, { ...given, stopDir: repo.top, env })
        : await loadPolicyAt(repo, mergeBase, { cwd, ...given, env });
  } else {
    loaded = await working!;
  }
  applyFailOn(loaded.policy, env);
  const user = await userConfig;
  const trust = keyTrust(env, user, userConfigLabel(env));
  return {
    repo,
    loaded,
    policy: withUserConfig(loaded.policy, user),
    cwd,
    env,
    signal: opts.signal,
    command: opts.command,
    user,
    trust,
    cache: opts.cache ?? true,
    suppress: opts.suppress ?? true,
    teamInstructions: true,
    refusalGoesToOnError: opts.refusalGoesToOnError ?? false,
    ...(configPath !== undefined ? { configPath } : {}),
    ...(gate ? { gate } : {}),
  };
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
      .then(({ chooseProvider }) => chooseProvider(session.policy, session.env, session.signal, session.loaded.file, session.trust))
      .catch((error: unknown) => {
        if (!(error instanceof UntrustedHostError) || !session.refusalGoesToOnError) throw error;
        return { provider: null, reason: 'no model: its key host was refused', refusal: error.message };
      });
    chosen.set(session, choice);
  }
  return choice;
}

/** ci with the merge base's policy: the team's instruction files are read there too. */
export function instructionsAt(session: Session): string | undefined {
  return session.gate?.policy === 'base' ? session.gate.mergeBase : undefined;
}

const instructions = new WeakMap<Session, Promise<TeamInstructions>>();

/** The team's instruction files this session reviews with (AGENTS.md, CLAUDE.md, ...), read once. */
export function teamInstructionsFor(session: Session): Promise<TeamInstructions> {
  if (!session.teamInstructions) return Promise.resolve(NO_INSTRUCTIONS);
  let loaded = instructions.get(session);
  if (!loaded) {
    const at = instructionsAt(session);
    const reader = at ? committedReader(session.repo, at) : workingReader(session.repo.top);
    loaded = loadTeamInstructions(reader, session.policy.instructionFiles);
    instructions.set(session, loaded);
  }
  return loaded;
}

/** The team instructions as `--verbose` and doctor list them: one line per file, and where they were read. */
export async function describeTeamInstructions(session: Session): Promise<{ lines: string[]; at?: string }> {
  const at = instructionsAt(session);
  return { lines: describeInstructions(await teamInstructionsFor(session)), ...(at ? { at } : {}) };
}

export function onErrorFor(session: Session, command: PolicyCommand = session.command): OnError {
  return resolveOnError(session.policy, command);
}

/** What git is in the middle of (a rebase, a merge...), or null. */
export function inProgress(session: Session): RepoState {
  return repoState(session.repo.gitDir);
}
