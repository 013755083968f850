import path from 'node:path';
import type { Command } from './context.js';
import { parseDiff } from '../diff/parse.js';
import { UsageError } from '../errors.js';
import { diffBetween, mergeBaseOf } from '../git/diff.js';
import { readCommittedFile } from '../git/objects.js';
import { openRepo } from '../git/repo.js';
import { changedPolicyFiles, loadPolicyAt } from '../policy/at-commit.js';
import { loadPolicy } from '../policy/load.js';
import { parseBaseline } from '../review/baseline.js';
import { colors, debugPhase, say } from '../terminal.js';
import { reportTarget, writeReports } from './reports.js';
import { BASELINE_FILE, finishReview, reviewFiles, type Session } from './session.js';

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
  debugPhase(ctx.env, 'policy');
  const repo = await openRepo(ctx.cwd);
  const mergeBase = await mergeBaseOf(repo, base, head);
  const configPath = typeof ctx.values.config === 'string' ? ctx.values.config : undefined;
  const loaded =
    side === 'head'
      ? await loadPolicy(ctx.cwd, { ...(configPath !== undefined ? { configPath } : {}), stopDir: repo.top, env: ctx.env })
      : await loadPolicyAt(repo, mergeBase, { cwd: ctx.cwd, ...(configPath !== undefined ? { configPath } : {}), env: ctx.env });
  const session: Session = { repo, loaded, policy: loaded.policy, ctx, command: 'ci' };
  debugPhase(ctx.env, 'diff');
  const files = parseDiff(await diffBetween(repo, mergeBase, head, loaded.policy.contextLines));
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
