// The baseline: findings accepted when the hook was adopted, so that only new problems block. Entries are keyed by
// fingerprint (no line numbers), so they keep matching when code above them moves.
import { ConfigError } from '../errors.js';
import { readRegularFileSync } from '../regular-file.js';
import type { Finding } from '../types.js';
import { fingerprint } from './fingerprint.js';

export interface BaselineEntry {
  fingerprint: string;
  /** The rest is for the people reading the file in review; only the fingerprint is matched. */
  file: string;
  rule?: string;
  title: string;
}

export interface BaselineFile {
  version: 1;
  findings: BaselineEntry[];
}

/** The baseline file's text: pretty JSON, sorted, one entry per fingerprint, the same bytes for the same findings. */
export function renderBaseline(findings: Finding[]): string {
  const entries = findings
    .map((f): BaselineEntry => ({ fingerprint: fingerprint(f), file: f.file, ...(f.rule ? { rule: f.rule } : {}), title: f.title }))
    .sort(
      (a, b) =>
        compare(a.file, b.file) || compare(a.rule ?? '', b.rule ?? '') || compare(a.title, b.title) || compare(a.fingerprint, b.fingerprint),
    );
  const seen = new Set<string>();
  const unique = entries.filter((e) => !seen.has(e.fingerprint) && seen.add(e.fingerprint));
  const file: BaselineFile = { version: 1, findings: unique };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The fingerprints of the baseline at `path`, or null when there is no such file. */
export async function readBaseline(path: string): Promise<Set<string> | null> {
  let text: string | null;
  try {
    // Synchronous, as the policy is read: every commit asks, and most repositories have no baseline. A FIFO or device
    // in its place would block the read (and the commit) for ever, so it is never read (regular-file.ts).
    text = readRegularFileSync(path);
    if (text === null) throw new Error('it is not a regular file');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw corrupt(path, `cannot be read: ${(err as Error).message}`);
  }
  return parseBaseline(path, text);
}

/** The fingerprints in a baseline file's text; `path` names it in errors. */
export function parseBaseline(path: string, text: string): Set<string> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw corrupt(path, 'is not valid JSON');
  }
  return new Set(parseEntries(path, data).map((e) => e.fingerprint));
}

function parseEntries(path: string, data: unknown): Array<{ fingerprint: string }> {
  if (!isObject(data)) throw corrupt(path, 'is not a JSON object');
  if (data['version'] !== 1) throw corrupt(path, `has version ${JSON.stringify(data['version'])}, expected 1`);
  const findings = data['findings'];
  if (!Array.isArray(findings)) throw corrupt(path, 'has no "findings" list');
  return findings.map((e: unknown, i) => {
    if (!isObject(e) || typeof e['fingerprint'] !== 'string' || e['fingerprint'] === '') {
      throw corrupt(path, `entry ${i} has no "fingerprint"`);
    }
    return { fingerprint: e['fingerprint'] };
  });
}

function corrupt(path: string, why: string): ConfigError {
  return new ConfigError(`Baseline ${path} ${why}; regenerate it with \`codeai-hook baseline\`.`, path);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Code-unit order, the same on every machine (localeCompare is not). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
