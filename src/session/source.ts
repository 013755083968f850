// The source step: where a review's files come from, named by the face and read here the one way for all of them.

import type { DiffSource, EarlyStagedDiff } from '../git/diff.js';
import { verifiedMergeBase } from '../git/diff.js';
import { fixCommits, type FixCommit } from '../git/commit-pairs.js';
import { openRepo, type Repo } from '../git/repo.js';
import { scratchRepo, type ScratchFile } from '../git/scratch.js';
import { commitMessageIntent, type Intent } from '../review/intent.js';
import type { DiffFile } from '../types.js';
import { readBuffer, type BufferSource } from './buffer.js';
import { pairFiles, stagedFiles } from './diffs.js';
import { rangeIntent } from './intent-sources.js';
import { namedFiles, trackedFiles } from './named-files.js';
import type { Session } from './session.js';

export type ReviewSource =
  /**
   * The index against HEAD: what `git commit` would record. `message`: the commit message, as the change's intent;
   * `early`: the same diff already started beside the repository's lookup (the hook, startStagedDiff).
   */
  | { kind: 'staged'; message?: string; early?: EarlyStagedDiff }
  /**
   * `head` against the merge base of `base` and `head`. `pullRequest`: reviewed as a pull request is, with the
   * range's commit subjects (and in ci the request's title and body) as its intent and a summary of the whole change.
   */
  | { kind: 'range'; base: string; head: string; pullRequest?: boolean }
  /** Two commits compared directly, whatever their ancestry (eval: a fix and its parent). */
  | { kind: 'commits'; from: string; to: string }
  /** Files' two versions, committed in a scratch repository of their own (eval's labelled cases). */
  | { kind: 'versions'; files: ScratchFile[] }
  /** Named files and folders (relative to the session's cwd), whole, as staged; a file git does not track, as it is. */
  | { kind: 'files'; paths: readonly string[] }
  /** Every staged file, whole. */
  | { kind: 'tracked' }
  /** An editor's buffer against what HEAD holds of the file (the language server). */
  | BufferSource;

export interface Change {
  /** The repository the change was read from (a scratch one for `versions`). */
  repo: Repo;
  files: DiffFile[];
  /** The change's two sides in git, where binary blobs, wider context and fixes are read; absent for whole files. */
  sides?: DiffSource;
  /** What the author says the change is for: untrusted, fenced and redacted in the prompt. */
  intent?: Intent;
  /** Ask the model for a summary of the whole change. */
  summarize: boolean;
  /** Frees what reading the change set up (a scratch repository). */
  dispose?(): Promise<void>;
  /** Why nothing of the source is reviewed (a buffer git ignores, a symbolic link...). */
  skipped?: string;
  /** The new side's bytes, when not in git (a buffer); otherwise read from `sides`. */
  readNewSide?(paths: string[]): Promise<Map<string, Buffer>>;
  /** The files with wider context for the model, when not read from `sides` (a buffer). */
  widenForModel?(files: DiffFile[]): Promise<DiffFile[]>;
}

export async function readChange(session: Session, source: ReviewSource): Promise<Change> {
  const { repo, policy } = session;
  switch (source.kind) {
    case 'staged': {
      const intent = source.message === undefined ? undefined : commitMessageIntent(source.message);
      return { repo, files: await stagedFiles(repo, policy.contextLines, source.early), sides: { kind: 'staged' }, summarize: false, ...(intent ? { intent } : {}) };
    }
    case 'range': {
      const gate = session.gate;
      const from = gate && gate.base === source.base && gate.head === source.head ? gate.mergeBase : await verifiedMergeBase(repo, source.base, source.head);
      const intent = source.pullRequest ? await rangeIntent(repo, session.env, from, source.head, session.command === 'ci') : undefined;
      const files = await pairFiles(repo, from, source.head, policy.contextLines);
      return { repo, files, sides: { kind: 'range', from, to: source.head }, summarize: source.pullRequest === true, ...(intent ? { intent } : {}) };
    }
    case 'commits':
      return pairChange(repo, source.from, source.to, policy.contextLines);
    case 'versions': {
      const scratch = await scratchRepo(source.files);
      try {
        return { ...(await pairChange(await openRepo(scratch.dir), scratch.from, scratch.to, policy.contextLines)), dispose: scratch.remove };
      } catch (error) {
        await scratch.remove();
        throw error;
      }
    }
    case 'files':
      return { repo, files: await namedFiles(repo, session.cwd, source.paths), summarize: false };
    case 'tracked':
      return { repo, files: await trackedFiles(repo), summarize: false };
    case 'buffer':
      return readBuffer(session, source);
  }
}

async function pairChange(repo: Repo, from: string, to: string, contextLines: number): Promise<Change> {
  return { repo, files: await pairFiles(repo, from, to, contextLines), sides: { kind: 'range', from, to }, summarize: false };
}

/** The latest commits whose subject says they fix something (eval --from-history reverses them into cases). */
export function fixCommitsOf(session: Session, max: number): Promise<FixCommit[]> {
  return fixCommits(session.repo, 'HEAD', max);
}
