// The fix step of the one review every command runs: reviewDiff with DiffFiles in memory and a test provider.
import { describe, expect, it } from 'vitest';
import { reviewDiff, type ReviewOptions } from '../../src/pipeline.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import type { DiffFile, ModelProvider, ModelRequest } from '../../src/types.js';
import { addedFile, diffFile } from './diff-file.js';

const FAKE_KEY = 'AKIA' + 'Z7QWERTYUIOPASDF';

function provider(findings: unknown[]): ModelProvider & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  return {
    name: 'ollama',
    model: 'test-model',
    endpoint: 'http://127.0.0.1:11434',
    local: true,
    requests,
    async review(request) {
      requests.push(request);
      return JSON.stringify({ findings });
    },
    async probe() {
      return { latencyMs: 1 };
    },
  };
}

function options(p: ModelProvider | null, over: Partial<ReviewOptions> = {}): ReviewOptions {
  return {
    policy: { ...DEFAULT_POLICY, provider: p ? 'ollama' : 'builtin' },
    chooseProvider: async () => ({ provider: p, reason: 'test' }),
    cache: null,
    userSignal: new AbortController().signal,
    baseline: null,
    suppress: true,
    ...over,
  };
}

const SOURCE = 'export function total(items) {\n  let sum = 0;\n  for (let i = 0; i <= items.length; i++) sum += items[i].price;\n  return sum;\n}\n';
const LOOP = '  for (let i = 0; i < items.length; i++) sum += items[i].price;';
const total = (): DiffFile => addedFile('src/total.js', SOURCE);
const modelFinding = (fix: unknown) => ({
  file: 'src/total.js',
  line: 3,
  severity: 'high',
  category: 'bug',
  title: 'Reads past the end',
  message: 'i <= items.length reads one past the end.',
  fix,
});

describe('reviewDiff: fixes', () => {
  it('keeps a model fix that passes its check, with the lines it replaces, in the one review call; reads nothing more', async () => {
    const p = provider([modelFinding({ startLine: 3, endLine: 3, replacement: LOOP })]);
    const read: string[][] = [];
    const result = await reviewDiff([total()], options(p, { readNewSide: async (paths) => (read.push(paths), new Map()) }));
    expect(result.findings[0]!.fix).toEqual({ startLine: 3, endLine: 3, replacement: `${LOOP}\n`, original: `${SOURCE.split('\n')[2]}\n` });
    expect(result.droppedFixes).toEqual([]);
    expect(result.calls).toBe(1);
    // The diff's lines are the staged lines: only a file held to a parser is read whole.
    expect(read).toEqual([]);
  });

  it('drops and counts an invalid fix; the finding stays', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ startLine: 40, endLine: 41, replacement: 'x' }, /not all shown in one hunk/],
      [{ startLine: 3, endLine: 3, replacement: 'ok\u001b]0;pwned\u0007' }, /control/],
      [{ startLine: 3, endLine: 2, replacement: 'x' }, /before it starts/],
    ];
    for (const [fix, reason] of cases) {
      const result = await reviewDiff([total()], options(provider([modelFinding(fix)])));
      expect(result.findings).toHaveLength(1);
      expect(result.findings[0]!.fix).toBeUndefined();
      expect(result.droppedFixes).toEqual([{ file: 'src/total.js', line: 3, reason: expect.stringMatching(reason) }]);
    }
  });

  it('reads a JSON file whole for the parse check, and drops a fix whose lines do not match what it read', async () => {
    const json = '{\n  "port": 8080\n}\n';
    const file = addedFile('config.json', json);
    const finding = { file: 'config.json', line: 2, severity: 'low', category: 'bug', title: 'Port', message: 'm' };
    const read: string[][] = [];
    const broken = await reviewDiff(
      [file],
      options(provider([{ ...finding, fix: { startLine: 2, endLine: 2, replacement: '  "port": 8080,' } }]), {
        readNewSide: async (paths) => (read.push(paths), new Map([['config.json', Buffer.from(json)]])),
      }),
    );
    expect(read).toEqual([['config.json']]);
    expect(broken.droppedFixes?.[0]?.reason).toMatch(/not valid JSON/);
    const moved = await reviewDiff(
      [file],
      options(provider([{ ...finding, fix: { startLine: 2, endLine: 2, replacement: '  "port": 9090' } }]), {
        readNewSide: async () => new Map([['config.json', Buffer.from(json.replace('8080', '80'))]]),
      }),
    );
    expect(moved.droppedFixes?.[0]?.reason).toBe('line 2 no longer matches the staged content');
  });

  it('never keeps a model fix on a line the model saw redacted', async () => {
    const file = addedFile('src/aws.js', `const region = "eu-west-1";\nconst id = "${FAKE_KEY}";\n`);
    const p = provider([
      { file: 'src/aws.js', line: 2, severity: 'high', category: 'bug', title: 'Key in code', message: 'm', fix: { startLine: 2, endLine: 2, replacement: 'const id = process.env.AWS_ACCESS_KEY_ID;' } },
    ]);
    const result = await reviewDiff([file], options(p));
    expect(JSON.stringify(p.requests)).not.toContain(FAKE_KEY);
    expect(result.findings.every((f) => f.fix === undefined)).toBe(true);
    expect(result.droppedFixes?.map((d) => d.reason)).toContain('line 2 holds a secret: fix it by hand');
  });

  it('gives built-in findings their rule’s fix without any model', async () => {
    const file = diffFile('fetch.py', [{ oldStart: 1, newStart: 1, lines: [' import requests', '+r = requests.get(url, verify=False)'] }]);
    const result = await reviewDiff([file], options(null));
    const tls = result.findings.find((f) => f.rule === 'tls-verification-disabled');
    expect(tls?.fix).toEqual({ startLine: 2, endLine: 2, replacement: 'r = requests.get(url, verify=True)\n', original: 'r = requests.get(url, verify=False)\n' });
  });

  it('reads nothing when no finding has a fix', async () => {
    let reads = 0;
    await reviewDiff([total()], options(provider([modelFinding(undefined)]), { readNewSide: async () => (reads++, new Map()) }));
    expect(reads).toBe(0);
  });
});

describe('reviewDiff: files that configure the check', () => {
  it('a model never fixes the policy, the baseline, the hooks, CI or the team instructions; a built-in fix still may', async () => {
    const gated = ['.codeairc.yaml', 'packages/web/.codeairc.yaml', 'package.json', '.codeai-baseline.json', '.husky/pre-commit', 'lefthook.yml', '.pre-commit-config.yaml', '.github/workflows/ci.yml', 'AGENTS.md', 'CLAUDE.md'];
    for (const path of gated) {
      const file = addedFile(path, 'a: 1\nb: 2\n');
      const p = provider([{ file: path, line: 1, severity: 'high', category: 'bug', title: 'Loosen it', message: 'm', fix: { startLine: 1, endLine: 1, replacement: 'a: 0' } }]);
      const result = await reviewDiff([file], options(p));
      expect(result.findings[0]?.fix, path).toBeUndefined();
      expect(result.droppedFixes, path).toEqual([{ file: path, line: 1, reason: `${path} configures the check itself: a model does not fix it; edit it by hand` }]);
    }
    const workflow = addedFile('.github/workflows/fetch.sh', 'curl -k https://example.test/\n');
    const builtin = await reviewDiff([workflow], options(null));
    expect(builtin.findings.find((f) => f.rule === 'tls-verification-disabled')?.fix).toBeDefined();
  });
});
