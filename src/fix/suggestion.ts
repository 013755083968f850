// A fix as GitHub's suggested change: a ```suggestion block in a review comment on the lines it replaces. GitHub
// replaces exactly the commented lines (start_line..line, on the RIGHT side, inside one hunk) by the block's lines;
// an empty block deletes them. The fix check (validate.ts) already holds a fix's lines to one hunk of the diff.

import type { Fix } from '../types.js';
import { replacementLines } from './lines.js';

/** The fenced block; the fence is longer than any run of backticks in the text, so the text cannot close it. */
export function suggestionBlock(fix: Fix): string {
  const lines = replacementLines(fix.replacement);
  const longest = Math.max(0, ...lines.map((l) => Math.max(0, ...[...l.matchAll(/`+/g)].map((m) => m[0].length))));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}suggestion`, ...lines, fence].join('\n');
}
