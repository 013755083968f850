import path from 'node:path';

/** True when `p` is `root` or below it. */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** `p` relative to `from`, '/'-separated: the form used in messages, hook lines and git config. */
export function posixRelative(from: string, p: string): string {
  return path.relative(from, p).split(path.sep).join('/');
}
