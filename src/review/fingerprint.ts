import { nodeBuiltin } from '../node-builtin.js';
import type { Finding } from '../types.js';

/**
 * A finding's identity across runs: file, rule (or category and title for model findings) and the code on the line,
 * whitespace-folded. The line number is left out on purpose so that a finding keeps its identity when code above it
 * moves; baselines and SARIF partialFingerprints both rely on that.
 */
export function fingerprint(f: Finding): string {
  const code = (f.code ?? '').replace(/\s+/g, ' ').trim();
  const what = f.rule ?? `${f.category}:${f.title.toLowerCase()}`;
  return nodeBuiltin('node:crypto').createHash('sha256').update(`${f.file}\0${what}\0${code}`).digest('hex').slice(0, 32);
}
