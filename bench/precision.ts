// Precision of the built-in rules on real history: every non-merge commit of some public repositories, reviewed
// as the hook reviews a staged change (the same diff flags, the same pipeline, `provider: builtin`, the default
// policy). Prints commits blocked, findings per rule, and every blocking finding so that a person can judge it.
// The repositories are never part of this project: their git directories come from CODEAI_BENCH_REPOS (or the
// command line), as `path` or `path@range` (`/work/.mirror/vitejs+vite/repo@v5.0.0..v6.0.0`), separated by commas.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseDiff } from '../src/diff/parse.js';
import { reviewDiff } from '../src/pipeline.js';
import { DEFAULT_POLICY } from '../src/policy/defaults.js';
import type { Finding, Policy } from '../src/types.js';

export interface RepoSpec {
  /** A git directory (bare or not). */
  path: string;
  /** A revision range for `git log`; default: all of HEAD's history. */
  range?: string;
  /** Short name for the report. */
  name: string;
}

export interface RepoResult {
  repo: RepoSpec;
  commits: number;
  blocked: Array<{ commit: string; subject: string; findings: Finding[] }>;
  /** Findings above low that did not block (medium), for judging the rules that start there. */
  medium: Array<{ commit: string; finding: Finding }>;
  /** rule id → severity → count, over every commit. */
  byRule: Map<string, Map<string, number>>;
  /** Time in the pipeline (not in git), milliseconds. */
  reviewMs: number;
}

/** `a,b@x..y` → specs; a missing path is reported and skipped by the caller. */
export function parseRepoSpecs(text: string): RepoSpec[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.lastIndexOf('@');
      const path = at > 0 ? entry.slice(0, at) : entry;
      const range = at > 0 ? entry.slice(at + 1) : undefined;
      const name = path.replace(/\/(?:repo|\.git)\/?$/, '').split('/').pop()!.replace('+', '/');
      return range ? { path, range, name: `${name}@${range}` } : { path, name };
    });
}

/** The diff flags of src/git/diff.ts, so each commit is read as the hook reads a staged change. */
const DIFF_FLAGS = ['-M', '--no-color', '--no-ext-diff', '--no-textconv', '--submodule=short', '--unified=3', '--src-prefix=a/', '--dst-prefix=b/'];
const MARK = '\u0001commit ';

/** Each non-merge commit's diff against its parent, streamed from one `git log -p`. */
async function* commits(repo: RepoSpec): AsyncGenerator<{ sha: string; subject: string; diff: string }> {
  const args = ['--git-dir', repo.path, 'log', '--no-merges', '-p', ...DIFF_FLAGS, `--format=${MARK}%H %s`];
  if (repo.range) args.push(repo.range);
  const git = spawn('git', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: git.stdout, crlfDelay: Infinity });
  let current: { sha: string; subject: string; diff: string[] } | null = null;
  for await (const line of lines) {
    if (line.startsWith(MARK)) {
      if (current) yield { sha: current.sha, subject: current.subject, diff: current.diff.join('\n') };
      const rest = line.slice(MARK.length);
      const space = rest.indexOf(' ');
      current = { sha: rest.slice(0, space), subject: rest.slice(space + 1), diff: [] };
    } else if (current && (current.diff.length > 0 || line.startsWith('diff '))) {
      current.diff.push(line);
    }
  }
  if (current) yield { sha: current.sha, subject: current.subject, diff: current.diff.join('\n') };
  const code = await new Promise<number | null>((resolve) => (git.exitCode !== null ? resolve(git.exitCode) : git.on('close', resolve)));
  if (code !== 0) throw new Error(`git log in ${repo.path} exited ${code}`);
}

const POLICY: Policy = { ...DEFAULT_POLICY, provider: 'builtin' };

/** Reviews every commit of one repository with the built-in rules. */
export async function reviewHistory(repo: RepoSpec, onProgress?: (n: number) => void): Promise<RepoResult> {
  const result: RepoResult = { repo, commits: 0, blocked: [], medium: [], byRule: new Map(), reviewMs: 0 };
  const signal = new AbortController().signal;
  for await (const c of commits(repo)) {
    result.commits++;
    if (c.diff.length === 0) continue;
    const started = performance.now();
    const review = await reviewDiff(parseDiff(`${c.diff}\n`), {
      policy: POLICY,
      chooseProvider: async () => ({ provider: null, reason: 'provider: builtin' }),
      cache: null,
      userSignal: signal,
      baseline: null,
      suppress: true,
    });
    result.reviewMs += performance.now() - started;
    for (const f of review.findings) {
      const rule = f.rule ?? 'model';
      const bySeverity = result.byRule.get(rule) ?? new Map<string, number>();
      bySeverity.set(f.severity, (bySeverity.get(f.severity) ?? 0) + 1);
      result.byRule.set(rule, bySeverity);
      if (f.severity === 'medium') result.medium.push({ commit: c.sha, finding: f });
    }
    if (review.verdict.blocked) {
      result.blocked.push({ commit: c.sha, subject: c.subject, findings: review.verdict.blocking.map((i) => review.findings[i]!) });
    }
    if (onProgress && result.commits % 500 === 0) onProgress(result.commits);
  }
  return result;
}

/** The repositories named by CODEAI_BENCH_REPOS or the arguments, and those that are missing. */
export function benchRepos(argv: string[] = []): { repos: RepoSpec[]; missing: string[] } {
  const text = argv.length > 0 ? argv.join(',') : (process.env.CODEAI_BENCH_REPOS ?? '');
  const specs = parseRepoSpecs(text);
  return { repos: specs.filter((r) => existsSync(r.path)), missing: specs.filter((r) => !existsSync(r.path)).map((r) => r.path) };
}

/**
 * The precision section: a table per repository, findings per rule, then every blocking finding (and, with
 * `medium`, every medium one: the rules that start there must not be wrong more often than right either).
 */
export function renderPrecision(results: RepoResult[], opts: { medium?: boolean } = {}): string {
  const out: string[] = [];
  const total = results.reduce((n, r) => n + r.commits, 0);
  const blocked = results.reduce((n, r) => n + r.blocked.length, 0);
  out.push(`precision: ${total} commits of ${results.length} repositories reviewed with provider: builtin; ${blocked} blocked`, '');
  out.push('| repository | commits | blocked | findings | rules time |', '| --- | --- | --- | --- | --- |');
  for (const r of results) {
    const findings = [...r.byRule.values()].reduce((n, m) => n + [...m.values()].reduce((a, b) => a + b, 0), 0);
    out.push(`| ${r.repo.name} | ${r.commits} | ${r.blocked.length} | ${findings} | ${(r.reviewMs / 1000).toFixed(1)} s |`);
  }
  const byRule = new Map<string, Map<string, number>>();
  for (const r of results) {
    for (const [rule, sev] of r.byRule) {
      const m = byRule.get(rule) ?? new Map<string, number>();
      for (const [s, n] of sev) m.set(s, (m.get(s) ?? 0) + n);
      byRule.set(rule, m);
    }
  }
  out.push('', 'findings per rule (by severity):', '');
  for (const [rule, sev] of [...byRule].sort((a, b) => sum(b[1]) - sum(a[1]))) {
    out.push(`  ${rule.padEnd(34)} ${String(sum(sev)).padStart(6)}  ${[...sev].map(([s, n]) => `${s} ${n}`).join(', ')}`);
  }
  out.push('', 'every blocking finding:', '');
  for (const r of results) {
    for (const b of r.blocked) {
      out.push(`  ${r.repo.name} ${b.commit.slice(0, 10)} ${b.subject.slice(0, 70)}`);
      for (const f of b.findings) out.push(`    ${f.severity} ${f.rule} ${f.file}:${f.line} ${f.message.slice(0, 100)}${f.code ? `  | ${f.code.trim().slice(0, 90)}` : ''}`);
    }
  }
  if (blocked === 0) out.push('  (none)');
  if (opts.medium) {
    out.push('', 'every medium finding:', '');
    for (const r of results) {
      for (const { commit, finding: f } of r.medium) {
        out.push(`  ${r.repo.name} ${commit.slice(0, 10)} ${f.rule} ${f.file}:${f.line}${f.code ? `  | ${f.code.trim().slice(0, 110)}` : ''}`);
      }
    }
  }
  return out.join('\n');
}

function sum(m: Map<string, number>): number {
  return [...m.values()].reduce((a, b) => a + b, 0);
}
