// The label of a change mined from history: a fix reversed brings the bug back, so the bug is wherever the fix
// touched the code, seen from the buggy side: every line the reversal adds, and where a reversal only removes lines
// (the fix had added a check), the line where they were.

import type { DiffFile } from '../types.js';
import type { LineLabel } from './cases.js';

export function changedLineLabels(files: readonly DiffFile[]): LineLabel[] {
  const labels: LineLabel[] = [];
  for (const file of files) {
    if (file.binary || file.status === 'deleted') continue;
    const lines = new Set<number>();
    for (const hunk of file.hunks) {
      const added = hunk.lines.filter((l) => l.kind === 'add').map((l) => l.newLine!);
      if (added.length > 0) added.forEach((n) => lines.add(n));
      else if (hunk.lines.some((l) => l.kind === 'del')) {
        const firstDel = hunk.lines.findIndex((l) => l.kind === 'del');
        const after = hunk.lines.slice(firstDel).find((l) => l.newLine !== undefined)?.newLine;
        const before = hunk.lines.slice(0, firstDel).reverse().find((l) => l.newLine !== undefined)?.newLine;
        lines.add(after ?? before ?? Math.max(1, hunk.newStart));
      }
    }
    if (lines.size > 0) labels.push({ file: file.path, lines: [...lines].sort((a, b) => a - b) });
  }
  return labels;
}

const LANGUAGES: Record<string, string> = {
  js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript', ts: 'typescript', tsx: 'typescript',
  py: 'python', go: 'go', java: 'java', kt: 'kotlin', rs: 'rust', rb: 'ruby', php: 'php', c: 'c', h: 'c',
  cc: 'c++', cpp: 'c++', hpp: 'c++', cs: 'c#', swift: 'swift', scala: 'scala', sh: 'shell',
};

/** The language of a change, by its files' extensions: the most common one, or "mixed". */
export function languageOf(paths: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const p of paths) {
    const language = LANGUAGES[p.slice(p.lastIndexOf('.') + 1).toLowerCase()] ?? 'other';
    counts.set(language, (counts.get(language) ?? 0) + 1);
  }
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  return sorted.length === 0 ? 'other' : sorted.length > 1 && sorted[0]![1] === sorted[1]![1] ? 'mixed' : sorted[0]![0];
}
