import path from 'node:path';
import type { Command } from './context.js';
import { UsageError } from '../errors.js';
import { verifiedMergeBase } from '../git/diff.js';
import { readCommittedFile } from '../git/objects.js';
import { changedPolicyFiles, loadPolicyAt } from '../policy/at-commit.js';
import { loadPolicy } from '../policy/load.js';
import { parseBaseline } from '../review/baseline.js';
import { isInstructionFile } from '../review/team-instructions.js';
import { colors, debugPhase, say } from '../terminal.js';
import { reportTarget, writeReports } from './reports.js';
import { BASELINE_FILE, finishReview, openSession, reviewFiles } from './session.js';
import { rangeIntent } from './intent-sources.js';
import { rangeFiles } from './sources.js';

/** The base of the change under review, from the flag or the CI system's own variables. */
export function ciBase(values: Record<string, unknown>, env: NodeJS.ProcessEnv): string {
  if (typeof values.base === 'string' && values.base) return values.base;
  if (env.GITHUB_BASE_REF) return `origin/${env.GITHUB_BASE_REF}`;
  if (env.CI_MERGE_REQUEST_DIFF_BASE_SHA) return env.CI_MERGE_REQUEST_DIFF_BASE_SHA;
  throw new UsageError(
    'ci needs --base REF (e.g. --base origin/main); on GitHub Actions pull requests and GitLab merge requests it is found by itself',
  );
}

/** `--policy base` (the default) or `--policy head`. */
function policySide(value: unknown): 'base' | 'head' {
  if (value === undefined || value === 'base' || value === 'head') return (value as 'base' | 'head' | undefined) ?? 'base';
  throw new UsageError(`--policy is '${String(value)}'; allowed: base (the merge base's policy, the default), head (this branch's)`);
}

/**
 * `ci`: the hook's check, re-run on a commit range with reports for machines. onError defaults to block here. The
 * policy (and baseline) are read as they are at the merge base, so the change under review cannot weaken its own
 * check; `--policy head` opts in to the branch's own.
 */
export const ciCommand: Command = async (ctx) => {
  const base = ciBase(ctx.values, ctx.env);
  const head = typeof ctx.values.head === 'string' ? ctx.values.head : 'HEAD';
  const side = policySide(ctx.values.policy);
  const target = reportTarget(ctx);
  const configPath = typeof ctx.values.config === 'string' ? ctx.values.config : undefined;
  debugPhase(ctx.env, 'policy');
  let mergeBase = '';
  const session = await openSession(ctx, 'ci', {
    policy: async (repo) => {
      mergeBase = await verifiedMergeBase(repo, base, head);
      return side === 'head'
        ? loadPolicy(ctx.cwd, { ...(configPath !== undefined ? { configPath } : {}), stopDir: repo.top, env: ctx.env })
        : loadPolicyAt(repo, mergeBase, { cwd: ctx.cwd, ...(configPath !== undefined ? { configPath } : {}), env: ctx.env });
    },
  });
  const { repo, loaded } = session;
  // Team instruction files come from the merge base as the policy does: the change cannot rewrite its conventions.
  if (side === 'base') session.instructionsAt = mergeBase;
  debugPhase(ctx.env, 'diff');
  const files = await rangeFiles(repo, mergeBase, head, session.policy.contextLines);
  session.intent = await rangeIntent(repo, ctx.env, mergeBase, head, true);
  session.summarize = true;
  for (const f of files.filter((f) => isInstructionFile(f.path))) {
    const used = side === 'base' ? "the merge base's version; the new one applies after merge" : "this branch's version (--policy head)";
    say(colors(ctx.env).dim(`${f.path} changes in this range: ci reviews with ${used}`));
  }
  const baselineAtBase = side === 'base' ? await readCommittedFile(repo, mergeBase, BASELINE_FILE) : null;
  const result = await reviewFiles(session, files, {
    source: { kind: 'range', from: mergeBase, to: head },
    ...(side === 'base' ? { baseline: baselineAtBase ? parseBaseline(`${BASELINE_FILE} at ${mergeBase.slice(0, 12)}`, baselineAtBase.toString('utf8')) : null } : {}),
  });
  const configRel = configPath !== undefined ? path.relative(repo.top, path.resolve(ctx.cwd, configPath)).split(path.sep).join('/') : undefined;
  result.policy = {
    file: loaded.file === null ? null : path.relative(repo.top, loaded.file).split(path.sep).join('/'),
    from: side === 'base' ? `the merge base ${mergeBase.slice(0, 12)}` : `${head} (--policy head)`,
    changed: changedPolicyFiles(files, configRel),
  };
  const written = await writeReports(result, target, ctx, 'ci');
  const c = colors(ctx.env);
  for (const file of written) say(c.dim(`wrote ${file}`));
  return finishReview(session, result, 'ci', target.formats.includes('terminal'));
};
