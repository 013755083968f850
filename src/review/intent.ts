// What the author says the change is for: the pull or merge request's title and description, the commit subjects of
// the range, or the message of the commit being made. The reviewer checks the change against it. Like the diff it is
// untrusted data: fenced in the prompt (review/prompt.ts), capped, and redacted exactly as diff lines are, because a
// description may quote a key as easily as code can.

import { redactPlainText } from '../diff/redact.js';

export interface Intent {
  /** Where the title and body come from; `commits` alone may be all there is. */
  kind: 'pull-request' | 'merge-request' | 'commit-message' | 'commits';
  title?: string;
  body?: string;
  /** Subjects of the range's commits, oldest first. */
  commits: string[];
}

const LIMITS = { title: 300, body: 4000, subject: 200, commits: 30 } as const;

const LABEL: Record<Intent['kind'], string> = {
  'pull-request': 'Pull request',
  'merge-request': 'Merge request',
  'commit-message': 'Commit message',
  commits: 'Change',
};

/** The intent as the reviewer reads it: labelled, capped, secrets redacted; '' when the author said nothing. */
export function intentText(intent: Intent | undefined): string {
  if (!intent) return '';
  const label = LABEL[intent.kind];
  const parts: string[] = [];
  // Each text is redacted before it is cut: a cut through a key leaves a piece its rule no longer knows.
  const title = redactDescription(clean(intent.title ?? '').replace(/\s+/g, ' '));
  const body = redactDescription(clean(intent.body ?? ''));
  if (title) parts.push(`${label} title: ${cut(title, LIMITS.title)}`);
  if (body) parts.push(`${label} description:`, cut(body, LIMITS.body));
  const subjects = intent.commits.map((s) => clean(s).replace(/\s+/g, ' ')).filter((s) => s !== '');
  if (subjects.length > 0) {
    const shown = subjects.length > LIMITS.commits ? [...subjects.slice(0, LIMITS.commits - 1), `… ${subjects.length - LIMITS.commits + 1} more`] : subjects;
    parts.push('Commits in this change, oldest first:', ...shown.map((s) => `- ${cut(redactDescription(s), LIMITS.subject)}`));
  }
  return parts.join('\n');
}

/** A commit message as git hands it to the commit-msg hook: comment lines and the `commit -v` diff left out. */
export function commitMessageIntent(message: string): Intent | undefined {
  const lines: string[] = [];
  for (const line of message.replace(/\r\n/g, '\n').split('\n')) {
    if (/^# -+ >8 -+$/.test(line)) break;
    if (!line.startsWith('#')) lines.push(line);
  }
  const text = lines.join('\n').trim();
  if (text === '') return undefined;
  const [title = '', ...rest] = text.split('\n');
  const body = rest.join('\n').trim();
  return { kind: 'commit-message', title, ...(body ? { body } : {}), commits: [] };
}

/** Template comments (`<!-- … -->`) say nothing about this change; CRLF becomes LF. */
function clean(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/<!--[\s\S]*?-->/g, '').trim();
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)} … [${text.length - max} characters not shown]`;
}

/** Every line through the diff's own redaction, so a key block pasted into a description is masked as in code. */
function redactDescription(text: string): string {
  return redactPlainText('description', text);
}
