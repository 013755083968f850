import { nodeBuiltin } from '../node-builtin.js';
import path from 'node:path';
import type { CommandContext } from './context.js';
import { UsageError } from '../errors.js';
import { stagedPaths } from '../session/diffs.js';
import type { EarlyStagedDiff } from '../git/diff.js';
import type { Session } from '../session/session.js';
import { colors, say } from '../terminal.js';

const TYPES = ['build', 'chore', 'ci', 'docs', 'feat', 'fix', 'perf', 'refactor', 'revert', 'style', 'test'];
// The spec: "MUST NOT be treated as case sensitive by implementors" (only BREAKING CHANGE, in the footer, is).
const HEADER = new RegExp(`^(${TYPES.join('|')})(\\([^()\\n]+\\))?(!)?: \\S.*$`, 'i');

export interface MessageProblem {
  blocking: boolean;
  text: string;
}

/**
 * Conventional Commits (https://www.conventionalcommits.org) on the first line, and a check of the type against the
 * staged paths: a `docs:` commit that changes code, or a `test:` commit that changes no test, is probably mislabelled
 * (a warning, never a block: the diff cannot prove intent).
 */
export function commitMessageProblems(message: string, paths: string[]): MessageProblem[] {
  const lines = message.split('\n').filter((l) => !l.startsWith('#'));
  const header = (lines.find((l) => l.trim() !== '') ?? '').trimEnd();
  // Messages git writes itself, and fixups for autosquash, follow git's conventions, not the team's.
  // (git 2.43+ titles the revert of a revert 'Reapply "…"'.)
  if (/^(Merge |Revert "|Reapply "|fixup! |squash! |amend! )/.test(header)) return [];
  const problems: MessageProblem[] = [];
  const m = HEADER.exec(header);
  if (!m) {
    problems.push({
      blocking: true,
      text: `first line "${header.slice(0, 72)}" is not a Conventional Commit: write "<type>[(scope)][!]: <summary>" with type one of ${TYPES.join(', ')}`,
    });
    return problems;
  }
  if (header.length > 100) problems.push({ blocking: true, text: `first line is ${header.length} characters; keep it to 100 or fewer` });
  const type = m[1]?.toLowerCase();
  const isDoc = (p: string) => /\.(md|mdx|rst|txt|adoc)$/i.test(p) || /(^|\/)docs?\//.test(p);
  const isTest = (p: string) => /(^|\/)(tests?|__tests__|spec)\/|\.(test|spec)\.[a-z]+$|_test\.[a-z]+$/i.test(p);
  if (type === 'docs' && paths.some((p) => !isDoc(p))) {
    problems.push({ blocking: false, text: `type "docs" but the commit changes non-documentation files (${paths.filter((p) => !isDoc(p)).slice(0, 3).join(', ')})` });
  }
  if (type === 'test' && paths.length > 0 && !paths.some(isTest)) {
    problems.push({ blocking: false, text: 'type "test" but no test file is staged' });
  }
  return problems;
}

/** The message git hands the commit-msg hook, as a file. */
export async function readMessageFile(ctx: Pick<CommandContext, 'cwd'>, file: string): Promise<string> {
  try {
    return await nodeBuiltin('node:fs/promises').readFile(path.resolve(ctx.cwd, file), 'utf8');
  } catch {
    throw new UsageError(`cannot read the commit message file ${file}: the commit-msg hook passes it as "$1"`);
  }
}

/**
 * `run --commit-msg FILE`, what the commit-msg hook calls: its exit code, and the message when it was read (not under
 * `convention: none`), so the review at commit-msg does not read it again.
 */
export async function checkCommitMessage(session: Session, file: string, early?: EarlyStagedDiff): Promise<{ code: number; message?: string }> {
  if (session.policy.commitMessage.convention === 'none') return { code: 0 };
  const c = colors(session.env);
  const message = await readMessageFile(session, file);
  const problems = commitMessageProblems(message, await stagedPaths(session.repo, early));
  for (const p of problems) say(`${p.blocking ? c.red('✖') : c.yellow('⚠')} commit message: ${p.text}`);
  if (problems.some((p) => p.blocking)) {
    say(`fix the message (git commit --amend after, or edit and retry), or skip once with: git commit --no-verify`);
    return { code: 1, message };
  }
  return { code: 0, message };
}
