// ReviewResult builders for the report tests: one rich sample that exercises every part of every report, and small
// builders for the cases a test wants to shape itself.

import { SEVERITIES } from '../../src/types.js';
import type { Finding, ReviewResult, Severity } from '../../src/types.js';

export function finding(over: Partial<Finding> = {}): Finding {
  return {
    file: 'src/app.ts',
    line: 10,
    severity: 'medium',
    category: 'bug',
    title: 'Unchecked result',
    message: 'The result is used without checking for an error.',
    source: 'model',
    ...over,
  };
}

export function countsOf(findings: Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

/**
 * A result around `findings`: verdict counts are computed from them, and the findings at `blocking` indexes block
 * (with one reason) unless the test passes its own verdict.
 */
export function result(
  findings: Finding[] = [],
  over: Partial<ReviewResult> & { blocking?: number[] } = {},
): ReviewResult {
  const { blocking = [], ...rest } = over;
  return {
    version: 1,
    verdict: {
      blocked: blocking.length > 0,
      reasons: blocking.length > 0 ? [`${blocking.length} findings at or above high (block.severity)`] : [],
      rules: blocking.length > 0 ? [`${blocking.length} findings at or above high (block.severity)`] : [],
      counts: countsOf(findings),
      blocking,
    },
    findings,
    suppressed: { inline: 0, baseline: 0 },
    files: [...new Set(findings.map((f) => f.file))].map((path) => ({
      path,
      status: 'modified' as const,
      added: 3,
      removed: 1,
      reviewed: true,
    })),
    provider: 'ollama',
    model: 'qwen2.5-coder:7b',
    providerReason: 'ollama answered at http://127.0.0.1:11434',
    units: 1,
    tokens: 850,
    calls: 1,
    cached: 0,
    errors: [],
    incomplete: false,
    timings: { prepareMs: 40, reviewMs: 1160, totalMs: 1234 },
    ...rest,
  };
}

/** Three reviewed files, two skipped, six findings (sorted as ReviewResult promises), two of them blocking. */
export function sampleResult(): ReviewResult {
  const findings: Finding[] = [
    finding({
      file: 'src/api/users.ts',
      line: 42,
      severity: 'high',
      category: 'security',
      title: 'SQL query built by string concatenation',
      message:
        'The query text includes a request parameter, so a crafted id can read or change any row of the users table. ' +
        'This is reachable from the public GET /users/:id route without authentication.',
      suggestion: "Pass the id as a bound parameter: db.query('SELECT * FROM users WHERE id = $1', [id]).",
      code: '    const q = "SELECT * FROM users WHERE id = " + req.params.id + " AND deleted_at IS NULL ORDER BY created_at";',
    }),
    finding({
      file: 'src/api/users.ts',
      line: 57,
      endLine: 60,
      severity: 'low',
      category: 'performance',
      title: 'Users fetched one at a time',
      message: 'Each id costs one round trip.',
      suggestion: 'Fetch all ids with one WHERE id = ANY($1) query.',
      code: 'for (const id of ids) users.push(await getUser(id));',
    }),
    finding({
      file: 'src/config.ts',
      line: 3,
      severity: 'critical',
      category: 'security',
      title: 'AWS access key in source',
      message: 'An AWS access key id was added.',
      suggestion: 'Remove the key, rotate it, and read it from the environment.',
      source: 'builtin',
      rule: 'aws-access-key',
      code: "export const key = 'AKIA****************';",
    }),
    finding({
      file: 'src/config.ts',
      line: 9,
      severity: 'info',
      category: 'style',
      title: 'Magic number',
      message: 'Name the timeout.',
      code: 'setTimeout(run, 30000);',
    }),
    finding({
      file: 'src/util/retry.ts',
      line: 12,
      severity: 'medium',
      category: 'bug',
      title: 'Retry loop never waits',
      message: 'The loop retries immediately.\nA failing server is hit as fast as the loop runs.',
      code: 'while (attempt++ < max) { try { return await fn(); } catch {} }',
    }),
    finding({
      file: 'src/util/retry.ts',
      line: 30,
      severity: 'low',
      category: 'improvement',
      title: 'Error swallowed',
      message: 'The last error is lost.',
      suggestion: 'Rethrow the last error after the final attempt.',
    }),
  ];
  return result(findings, {
    blocking: [0, 2],
    verdict: {
      blocked: true,
      reasons: ['1 finding at or above high (block.severity)', '1 secret found (aws-access-key)'],
      rules: ['1 finding at or above high (block.severity)', '1 secret found (aws-access-key)'],
      counts: countsOf(findings),
      blocking: [0, 2],
    },
    files: [
      { path: 'src/api/users.ts', status: 'modified', added: 24, removed: 3, reviewed: true },
      { path: 'src/config.ts', status: 'added', added: 12, removed: 0, reviewed: true },
      { path: 'src/util/retry.ts', oldPath: 'src/retry.ts', status: 'renamed', added: 5, removed: 2, reviewed: true },
      { path: 'package-lock.json', status: 'modified', added: 300, removed: 120, reviewed: false, skipped: 'lockfile' },
      { path: 'assets/logo.png', status: 'added', added: 0, removed: 0, reviewed: false, skipped: 'binary' },
    ],
    suppressed: { inline: 2, baseline: 1 },
    suppressions: [
      { finding: finding({ file: 'src/cli.ts', line: 4, severity: 'low', category: 'style', title: 'console.log left in', rule: 'console-log', source: 'builtin' }), kind: 'inline', reason: 'the CLI prints on purpose' },
      { finding: finding({ file: 'src/cli.ts', line: 9, severity: 'low', category: 'bug', title: 'Debugger statement' }), kind: 'inline', reason: '' },
      { finding: finding({ file: 'src/legacy.ts', line: 30 }), kind: 'baseline', reason: 'listed in the baseline' },
    ],
    dropped: [
      { reason: 'line 55 of src/api/users.ts is not in the diff', title: 'Off by one' },
      { reason: 'duplicate of an earlier finding at src/config.ts:3', title: 'Hard-coded key' },
    ],
    units: 3,
    calls: 2,
    cached: 1,
    errors: ['unit 3 (src/util/retry.ts): ollama timed out after 60000 ms at http://127.0.0.1:11434; built-in rules only'],
    incomplete: true,
  });
}
