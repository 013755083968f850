// Where the stated intent of a change is found: the pull request in GitHub's event payload (GITHUB_EVENT_PATH), the
// merge request in GitLab's variables, and the range's commit subjects from git. All of it is untrusted text; the
// pipeline fences and redacts it (review/intent.ts). A payload that cannot be read is no intent, never an error:
// the review does not depend on it.

import { readRegularFileSync } from '../regular-file.js';
import { commitSubjects } from '../git/log.js';
import type { Repo } from '../git/repo.js';
import type { Intent } from '../review/intent.js';

/** GitHub's event payloads are small; a huge file is not one. */
const MAX_EVENT_BYTES = 5_000_000;

/** The pull or merge request the CI job runs for, if any. */
async function requestIntent(env: NodeJS.ProcessEnv): Promise<Pick<Intent, 'kind' | 'title' | 'body'> | undefined> {
  if (env.GITHUB_EVENT_PATH) {
    const pr = await githubPullRequest(env.GITHUB_EVENT_PATH);
    if (pr) return { kind: 'pull-request', ...pr };
  }
  if (env.CI_MERGE_REQUEST_IID || env.CI_MERGE_REQUEST_TITLE) {
    const title = env.CI_MERGE_REQUEST_TITLE ?? '';
    const body = env.CI_MERGE_REQUEST_DESCRIPTION ?? '';
    if (title || body) return { kind: 'merge-request', ...(title ? { title } : {}), ...(body ? { body } : {}) };
  }
  return undefined;
}

async function githubPullRequest(file: string): Promise<{ title?: string; body?: string } | undefined> {
  try {
    // Too large (EFBIG), missing or not a regular file: no pull request to read.
    const text = readRegularFileSync(file, { maxBytes: MAX_EVENT_BYTES });
    if (text === null) return undefined;
    const event = JSON.parse(text) as { pull_request?: { title?: unknown; body?: unknown } };
    const pr = event?.pull_request;
    if (typeof pr !== 'object' || pr === null) return undefined;
    const title = typeof pr.title === 'string' ? pr.title : undefined;
    const body = typeof pr.body === 'string' ? pr.body : undefined;
    return title || body ? { ...(title ? { title } : {}), ...(body ? { body } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

/** A range's intent: the request the CI job runs for (when `ci`), and the commit subjects of from..to. */
export async function rangeIntent(repo: Repo, env: NodeJS.ProcessEnv, from: string, to: string, ci: boolean): Promise<Intent | undefined> {
  const [request, commits] = await Promise.all([ci ? requestIntent(env) : undefined, commitSubjects(repo, from, to).catch(() => [])]);
  if (!request && commits.length === 0) return undefined;
  return { ...(request ?? { kind: 'commits' }), commits };
}
