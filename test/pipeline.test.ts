// reviewDiff, the one review every command runs, with DiffFiles built in memory and a test ModelProvider (a small
// object implementing our own interface in src/types.ts). No git, no network.
import { describe, expect, it } from 'vitest';
import { TOO_SMALL_REASON, TRUNCATED_REASON } from '../src/diff/chunk.js';
import { ProviderError } from '../src/errors.js';
import { prepareForModel, reviewDiff, type ChosenProvider, type ReviewOptions } from '../src/pipeline.js';
import { DEFAULT_POLICY } from '../src/policy/defaults.js';
import type { BlobText } from '../src/diff/blob-text.js';
import { NO_INSTRUCTIONS, type TeamInstructions } from '../src/review/team-instructions.js';
import type { DiffFile, ModelProvider, ModelRequest, Policy } from '../src/types.js';
import { addedFile } from './rules/fixtures/make-diff.js';

// Built at run time so that no scanner (ours or a hosting one) sees a key-shaped literal in this file.
const FAKE_KEY = 'AKIA' + 'Z7QWERTYUIOPASDF';

interface TestProvider extends ModelProvider {
  requests: ModelRequest[];
}

type Answer = (request: ModelRequest) => string | Promise<string>;

function testProvider(answer: Answer, opts: { local?: boolean; name?: ModelProvider['name'] } = {}): TestProvider {
  const p: TestProvider = {
    name: opts.name ?? (opts.local === false ? 'openai' : 'ollama'),
    model: 'test-model',
    endpoint: opts.local === false ? 'https://api.example.com/v1' : 'http://127.0.0.1:11434',
    local: opts.local ?? true,
    requests: [],
    async review(request) {
      p.requests.push(request);
      return answer(request);
    },
    async probe() {
      return { latencyMs: 1 };
    },
  };
  return p;
}

const NOTHING: Answer = () => '{"findings": []}';

/** Paths of the files in a request's diff. */
function filesIn(request: ModelRequest): string[] {
  return [...request.messages[0]!.content.matchAll(/^File: (\S+)/gm)].map((m) => m[1]!);
}

function sent(p: TestProvider): string[] {
  return p.requests.flatMap(filesIn).sort();
}

function policy(over: Partial<Policy> = {}): Policy {
  return { ...DEFAULT_POLICY, provider: 'ollama', ...over };
}

function options(provider: ModelProvider | null, over: Partial<ReviewOptions> & { policy?: Policy } = {}): ReviewOptions & { chosen: number } {
  const opts = {
    policy: policy(),
    chosen: 0,
    async chooseProvider(): Promise<ChosenProvider> {
      opts.chosen++;
      return { provider, reason: provider ? 'test provider' : 'no model' };
    },
    cache: null,
    userSignal: new AbortController().signal,
    baseline: null,
    suppress: true,
    ...over,
  };
  return opts;
}

const withSecret = () => addedFile('src/config.ts', ['export const region = "eu-west-1";', `export const key = "${FAKE_KEY}";`]);
const clean = () => addedFile('src/clean.ts', ['export const a = 1;', 'export const b = 2;']);

describe('reviewDiff: progress and team instructions', () => {
  it('says 0 of N before the first answer, so a one-unit review shows progress while the model works', async () => {
    const seen: [number, number][] = [];
    const provider = testProvider(NOTHING);
    await reviewDiff([clean()], options(provider, { onProgress: (done, total) => seen.push([done, total]) }));
    expect(seen).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });

  it('reads team instructions only when a model reviews, and puts them in the prompt', async () => {
    let reads = 0;
    const team = async () => {
      reads++;
      return { files: [{ path: 'AGENTS.md', text: 'Money in integer cents.', chars: 23, truncated: false }], skipped: [] };
    };
    await reviewDiff([clean()], options(null, { teamInstructions: team }));
    expect(reads).toBe(0);
    const provider = testProvider(NOTHING);
    await reviewDiff([clean()], options(provider, { teamInstructions: team }));
    expect(reads).toBe(1);
    expect(provider.requests[0]!.system).toContain('From AGENTS.md');
    expect(provider.requests[0]!.system).toContain('Money in integer cents.');
  });
});

describe('reviewDiff: what runs beside the built-in rules', () => {
  /** The files' blob contents (none here), logging each read: the first read is the built-in rules starting. */
  class WatchedContent extends Map<string, BlobText> {
    constructor(private readonly order: string[]) {
      super();
    }
    override get(key: string): BlobText | undefined {
      this.order.push('rules');
      return super.get(key);
    }
  }

  it('asks for the wider context and the team instructions before the rules read the change, so git works beside them', async () => {
    const order: string[] = [];
    const result = await reviewDiff(
      [withSecret(), clean()],
      options(testProvider(NOTHING), {
        scanContent: new WatchedContent(order),
        widenForModel: async (files) => {
          order.push('widen');
          return files;
        },
        teamInstructions: async () => {
          order.push('team');
          return NO_INSTRUCTIONS;
        },
      }),
    );
    expect(order.slice(0, 3)).toEqual(['widen', 'team', 'rules']);
    // Not vacuous: the rules did run, after.
    expect(result.findings.map((f) => f.rule)).toContain('aws-access-key-id');
  });

  it("instruction files that cannot be read fail the review only when a unit goes to the model, as when they were read last", async () => {
    const unreadable = async (): Promise<TeamInstructions> => {
      throw new Error('AGENTS.md: unreadable');
    };
    // A .env file is never sent to a model: nothing is left for it, and the instructions are not needed.
    const env = addedFile('.env', ['REGION=eu-west-1']);
    const quiet = await reviewDiff([env], options(testProvider(NOTHING), { teamInstructions: unreadable }));
    expect(quiet.units).toBe(0);
    await expect(reviewDiff([clean()], options(testProvider(NOTHING), { teamInstructions: unreadable }))).rejects.toThrow('AGENTS.md: unreadable');
  });
});

describe('reviewDiff: built-in rules', () => {
  it('finds the secret when the model answers nothing', async () => {
    const provider = testProvider(NOTHING);
    const result = await reviewDiff([withSecret(), clean()], options(provider));
    expect(result.findings.map((f) => [f.file, f.line, f.rule, f.source])).toContainEqual(['src/config.ts', 2, 'aws-access-key-id', 'builtin']);
    expect(result.verdict.blocked).toBe(true);
    expect(result.incomplete).toBe(false);
    expect(result.provider).toBe('ollama');
    expect(result.model).toBe('test-model');
    expect(result.calls).toBe(provider.requests.length);
    expect(result.calls).toBeGreaterThan(0);
  });

  it('finds the secret when the provider fails; the review is incomplete with one error line', async () => {
    const err = new ProviderError('ollama not answering at http://127.0.0.1:11434 (model test-model)', 'unreachable', 'ollama', 'http://127.0.0.1:11434', 'test-model');
    const provider = testProvider(() => {
      throw err;
    });
    const files = [withSecret(), clean(), addedFile('src/more.ts', ['x();'])];
    const result = await reviewDiff(files, options(provider, { policy: policy({ maxDiffTokens: 60 }) }));
    expect(result.units).toBeGreaterThan(1);
    expect(result.findings.some((f) => f.rule === 'aws-access-key-id')).toBe(true);
    expect(result.verdict.blocked).toBe(true);
    expect(result.incomplete).toBe(true);
    // Every unit failed the same way: said once.
    expect(result.errors).toEqual([err.message]);
  });

  it('provider null: built-in rules only, reported as provider builtin with no model', async () => {
    const opts = options(null);
    const result = await reviewDiff([withSecret(), clean()], opts);
    expect(opts.chosen).toBe(1);
    expect(result.provider).toBe('builtin');
    expect(result.model).toBeNull();
    expect(result.providerReason).toBe('no model');
    expect(result).toMatchObject({ units: 0, calls: 0, cached: 0, errors: [], incomplete: false });
    expect(result.findings.map((f) => f.rule)).toContain('aws-access-key-id');
    expect(result.files.every((f) => f.reviewed)).toBe(true);
  });

  it('a secret in a lockfile (never sent to the model) is still found; one in a user-excluded file is not', async () => {
    const lock = addedFile('package-lock.json', [`"k": "${FAKE_KEY}"`]);
    const excluded = addedFile('dist/bundle.js', [`var k = "${FAKE_KEY}";`]);
    const provider = testProvider(NOTHING);
    const result = await reviewDiff([lock, excluded], options(provider, { policy: policy({ exclude: ['dist/**'] }) }));
    expect(result.findings.map((f) => f.file)).toEqual(['package-lock.json']);
    expect(provider.requests).toHaveLength(0);
  });
});

describe('reviewDiff: categories', () => {
  /** One style and one bug finding on line 1 of every file in the request. */
  const styleAndBug: Answer = (req) =>
    JSON.stringify({
      findings: filesIn(req).flatMap((file) => [
        { file, line: 1, severity: 'low', category: 'style', title: 'naming', message: 'a name' },
        { file, line: 1, severity: 'medium', category: 'bug', title: 'wrong', message: 'a bug' },
      ]),
    });

  it("drops model findings outside a file's categories (per-path overrides)", async () => {
    const provider = testProvider(styleAndBug);
    const p = policy({ overrides: [{ files: ['test/**'], categories: ['bug'] }] });
    const files = [addedFile('src/a.ts', ['a();']), addedFile('test/a.test.ts', ['t();'])];
    const result = await reviewDiff(files, options(provider, { policy: p }));
    expect(sent(provider)).toEqual(['src/a.ts', 'test/a.test.ts']);
    const got = result.findings.map((f) => `${f.file}:${f.category}`).sort();
    expect(got).toEqual(['src/a.ts:bug', 'src/a.ts:style', 'test/a.test.ts:bug']);
  });

  it('an override may turn on a category the top level leaves off (rules and model both review it)', async () => {
    const provider = testProvider(NOTHING);
    const p = policy({ categories: ['bug'], overrides: [{ files: ['infra/**'], categories: ['security'] }] });
    const infra = addedFile('infra/keys.ts', [`export const k = "${FAKE_KEY}";`]);
    const app = addedFile('src/app.ts', [`export const k = "${FAKE_KEY}";`]);
    const result = await reviewDiff([infra, app], options(provider, { policy: p, }));
    // src/ is reviewed for bugs only, so its key is not a finding there; infra/ asked for security.
    expect(result.findings.map((f) => `${f.file}:${f.rule}`)).toEqual(['infra/keys.ts:aws-access-key-id']);
    const infraRequest = provider.requests.find((r) => filesIn(r).includes('infra/keys.ts'));
    expect(infraRequest, 'the infra file must be sent to the model').toBeDefined();
    expect(infraRequest!.system).toMatch(/^ {2}- security:/m);
  });

  it('a file is asked only about the categories its override leaves on', async () => {
    const provider = testProvider(NOTHING);
    const p = policy({ categories: ['bug', 'style'], overrides: [{ files: ['docs/**'], categories: ['style'] }] });
    await reviewDiff([addedFile('docs/a.ts', ['x();'])], options(provider, { policy: p }));
    expect(provider.requests).toHaveLength(1);
    expect(provider.requests[0]!.system).toMatch(/^ {2}- style:/m);
    expect(provider.requests[0]!.system).not.toMatch(/^ {2}- bug:/m);
  });

  it("an override's instructions name the files they are for when a unit mixes files", async () => {
    const provider = testProvider(NOTHING);
    const p = policy({
      instructions: 'Prefer early returns.',
      overrides: [{ files: ['test/**'], instructions: 'Tests may use any.' }],
    });
    await reviewDiff([addedFile('src/a.ts', ['x();']), addedFile('test/a.test.ts', ['y();'])], options(provider, { policy: p }));
    expect(provider.requests).toHaveLength(1);
    const system = provider.requests[0]!.system;
    expect(system).toContain('Prefer early returns.');
    expect(system).toContain('For files matching test/**: Tests may use any.');
    expect(system).not.toMatch(/^\s*-?\s*Tests may use any\./m);
  });

  it('a model finding on the line and category of a built-in one is dropped; the built-in one is kept', async () => {
    const provider = testProvider(() =>
      JSON.stringify({
        findings: [
          { file: 'src/config.ts', line: 2, severity: 'high', category: 'security', title: 'Hard-coded key', message: 'a key' },
          { file: 'src/config.ts', line: 2, severity: 'medium', category: 'bug', title: 'Other issue', message: 'not the same' },
        ],
      }),
    );
    const result = await reviewDiff([withSecret()], options(provider));
    const at2 = result.findings.filter((f) => f.line === 2).map((f) => `${f.source}:${f.category}:${f.rule ?? f.title}`);
    expect(at2.sort()).toEqual(['builtin:security:aws-access-key-id', 'model:bug:Other issue']);
  });
});

describe('reviewDiff: what leaves the machine', () => {
  it('redacts secrets in what the provider receives', async () => {
    const provider = testProvider(NOTHING);
    await reviewDiff([withSecret()], options(provider));
    expect(provider.requests).toHaveLength(1);
    const text = JSON.stringify(provider.requests);
    expect(text).not.toContain(FAKE_KEY);
    expect(provider.requests[0]!.messages[0]!.content).toContain('[REDACTED:aws-access-key-id]');
    expect(provider.requests[0]!.messages[0]!.content).toContain('eu-west-1');
  });

  it('prepareForModel (what explain sends too) applies redaction and sendToCloud like the review', () => {
    const unitFiles = (local: boolean, sendToCloud: Policy['sendToCloud']) =>
      prepareForModel([withSecret(), clean()], policy({ sendToCloud }), testProvider(NOTHING, { local }));
    const cloud = unitFiles(false, 'redacted-only');
    expect(cloud.units.flatMap((u) => u.files.map((f) => f.path))).toEqual(['src/clean.ts']);
    expect(cloud.notSent.map((s) => s.path)).toEqual(['src/config.ts']);
    const local = unitFiles(true, 'redacted-only');
    const text = local.units.map((u) => u.text).join('\n');
    expect(text).toContain('src/config.ts');
    expect(text).not.toContain(FAKE_KEY);
    expect(unitFiles(false, 'allow').notSent).toEqual([]);
  });

  it("sendToCloud 'redacted-only', cloud provider: a file holding a secret is not sent and is listed as skipped", async () => {
    const provider = testProvider(NOTHING, { local: false });
    const result = await reviewDiff([withSecret(), clean()], options(provider, { policy: policy({ sendToCloud: 'redacted-only' }) }));
    expect(sent(provider)).toEqual(['src/clean.ts']);
    expect(JSON.stringify(provider.requests)).not.toContain('REDACTED');
    const report = result.files.find((f) => f.path === 'src/config.ts')!;
    expect(report.reviewed).toBe(false);
    expect(report.skipped).toMatch(/holds a secret.*redacted-only/);
    expect(result.files.find((f) => f.path === 'src/clean.ts')).toMatchObject({ reviewed: true });
    // The rules still saw it.
    expect(result.findings.some((f) => f.rule === 'aws-access-key-id')).toBe(true);
  });

  it("sendToCloud 'redacted-only', local provider: the file is sent, redacted", async () => {
    const provider = testProvider(NOTHING, { local: true });
    const result = await reviewDiff([withSecret(), clean()], options(provider, { policy: policy({ sendToCloud: 'redacted-only' }) }));
    expect(sent(provider)).toEqual(['src/clean.ts', 'src/config.ts']);
    expect(JSON.stringify(provider.requests)).not.toContain(FAKE_KEY);
    expect(result.files.every((f) => f.reviewed && f.skipped === undefined)).toBe(true);
  });

  it("sendToCloud 'allow', cloud provider: sent, redacted", async () => {
    const provider = testProvider(NOTHING, { local: false });
    await reviewDiff([withSecret()], options(provider, { policy: policy({ sendToCloud: 'allow' }) }));
    expect(sent(provider)).toEqual(['src/config.ts']);
    expect(JSON.stringify(provider.requests)).not.toContain(FAKE_KEY);
  });

  it('does not choose a provider when nothing is selected', async () => {
    const provider = testProvider(NOTHING);
    const excluded = options(provider, { policy: policy({ exclude: ['**'] }) });
    const r1 = await reviewDiff([withSecret(), clean()], excluded);
    expect(excluded.chosen).toBe(0);
    expect(r1.provider).toBe('builtin');
    expect(r1.providerReason).toBe('nothing to send to a model');
    expect(r1.files.every((f) => !f.reviewed && f.skipped === "excluded by '**'")).toBe(true);

    const empty = options(provider);
    await reviewDiff([], empty);
    expect(empty.chosen).toBe(0);

    const onlyLock = options(provider);
    await reviewDiff([addedFile('yarn.lock', ['x@1:'])], onlyLock);
    expect(onlyLock.chosen).toBe(0);
    expect(provider.requests).toHaveLength(0);
  });
});

describe('reviewDiff: the files report', () => {
  it('says what was reviewed and why the rest was not', async () => {
    const provider = testProvider(NOTHING);
    const binary: DiffFile = { ...addedFile('img/logo.png', []), binary: true, hunks: [], added: 0, removed: 0 };
    const files = [clean(), addedFile('dist/out.js', ['x']), addedFile('package-lock.json', ['{}']), binary];
    const result = await reviewDiff(files, options(provider, { policy: policy({ exclude: ['dist/**'] }) }));
    const byPath = Object.fromEntries(result.files.map((f) => [f.path, f]));
    expect(byPath['src/clean.ts']).toEqual({ path: 'src/clean.ts', status: 'added', added: 2, removed: 0, reviewed: true });
    expect(byPath['dist/out.js']).toMatchObject({ reviewed: false, skipped: "excluded by 'dist/**'" });
    expect(byPath['package-lock.json']!.reviewed).toBe(false);
    expect(byPath['package-lock.json']!.skipped).toBeTruthy();
    expect(byPath['img/logo.png']).toMatchObject({ reviewed: false, skipped: 'binary' });
    expect(result.files.map((f) => f.path)).toEqual(files.map((f) => f.path));
  });

  it("a line longer than the token budget: reviewed, partial with the reason", async () => {
    const provider = testProvider(NOTHING);
    const long = addedFile('src/long.ts', ['const a = 1;', 'x'.repeat(2000) + ' y z w'.repeat(300)]);
    const result = await reviewDiff([long, clean()], options(provider, { policy: policy({ maxDiffTokens: 100, defaultExcludes: false }) }));
    expect(result.files.find((f) => f.path === 'src/long.ts')).toMatchObject({ reviewed: true, partial: TRUNCATED_REASON });
    expect(result.files.find((f) => f.path === 'src/clean.ts')!.partial).toBeUndefined();
    expect(sent(provider)).toContain('src/long.ts');
  });

  it('a file the token budget cannot hold at all is skipped, not reported as reviewed', async () => {
    const provider = testProvider(NOTHING);
    // defaultExcludes off: a 2000-character line would otherwise be skipped as minified before chunking.
    const long = addedFile('src/long.ts', ['x'.repeat(2000)]);
    const result = await reviewDiff([long], options(provider, { policy: policy({ maxDiffTokens: 20, defaultExcludes: false }) }));
    expect(provider.requests).toHaveLength(0);
    expect(result.files[0]).toMatchObject({ reviewed: false, skipped: TOO_SMALL_REASON });
  });
});

describe('reviewDiff: findings order', () => {
  it('sorts by file, then line, then severity (worst first)', async () => {
    const provider = testProvider((req) =>
      JSON.stringify({
        findings: filesIn(req).flatMap((file) =>
          file === 'src/b.ts'
            ? [{ file, line: 1, severity: 'low', category: 'bug', title: 'b1', message: 'm' }]
            : [
                { file, line: 2, severity: 'info', category: 'bug', title: 'a2 info', message: 'm' },
                { file, line: 2, severity: 'high', category: 'bug', title: 'a2 high', message: 'm' },
                { file, line: 1, severity: 'low', category: 'improvement', title: 'a1 low', message: 'm' },
                { file, line: 1, severity: 'critical', category: 'bug', title: 'a1 critical', message: 'm' },
              ],
        ),
      }),
    );
    // b before a in the input, so an unsorted result fails.
    const files = [addedFile('src/b.ts', ['b();']), addedFile('src/a.ts', ['a();', 'c();'])];
    const result = await reviewDiff(files, options(provider));
    expect(result.findings.map((f) => f.title)).toEqual(['a1 critical', 'a1 low', 'a2 high', 'a2 info', 'b1']);
  });
});

describe('reviewDiff: the change summary and the wider context', () => {
  const GH = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5' + '0Zb5Hm'; // ends in its CRC32 checksum
  const isSummary = (r: ModelRequest) => r.system.includes('summary at the top');
  /** A summary with a note for every file of the diff stat, named as the stat names it. */
  const answer: Answer = (r) => {
    if (!isSummary(r)) return '{"findings": []}';
    const paths = [...r.messages[0]!.content.matchAll(/^added (\S+) \(/gm)].map((m) => m[1]!);
    return JSON.stringify({ overview: 'Adds two files.', files: paths.map((path) => ({ path, note: 'new' })), risk: 'low', riskReason: 'Small.' });
  };

  it('asks once more, after the units, only when asked; names the files as the model saw them and puts the summary back on the real ones', async () => {
    const secretName = addedFile(`notes-${GH}.ts`, ['export const x = 1;']);
    const provider = testProvider(answer);
    const result = await reviewDiff([clean(), secretName], options(provider, { summarize: true, intent: { kind: 'pull-request', title: 'Add notes', commits: [] } }));
    const summaries = provider.requests.filter(isSummary);
    expect(summaries).toHaveLength(1);
    expect(provider.requests.indexOf(summaries[0]!)).toBe(provider.requests.length - 1);
    expect(JSON.stringify(provider.requests)).not.toContain(GH.slice(4));
    expect(summaries[0]!.messages[0]!.content).toContain('Pull request title: Add notes');
    expect(result.summary?.files.map((f) => f.path).sort()).toEqual([`notes-${GH}.ts`, 'src/clean.ts']);
    expect(result.calls).toBe(provider.requests.length);
    const plain = testProvider(answer);
    expect((await reviewDiff([clean()], options(plain))).summary).toBeUndefined();
    expect(plain.requests.some(isSummary)).toBe(false);
  });

  it('a summary the model fails to write is summaryError, and the review stays complete', async () => {
    const provider = testProvider((r) => (isSummary(r) ? 'I cannot.' : '{"findings": []}'));
    const result = await reviewDiff([clean()], options(provider, { summarize: true }));
    expect(result.summary).toBeUndefined();
    expect(result.summaryError).toMatch(/no usable summary/);
    expect(result.incomplete).toBe(false);
  });

  it('asks for wider context only when a model reviews, and redacts a secret in it like any diff line', async () => {
    let asked = 0;
    const widen = async (files: DiffFile[]) => {
      asked++;
      return files.map((f) => ({
        ...f,
        hunks: [
          { oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, heading: '[declarations the change uses: context only]', lines: [{ kind: 'context' as const, text: `const token = "${GH}";`, oldLine: 1, newLine: 1, level: 3 as const }] },
          ...f.hunks.map((h) => ({ ...h, oldStart: h.oldStart + 1, newStart: h.newStart + 1, lines: h.lines.map((l) => ({ ...l, newLine: l.newLine === undefined ? undefined : l.newLine + 1 })) })),
        ],
      }));
    };
    await reviewDiff([clean()], options(null, { widenForModel: widen }));
    expect(asked).toBe(0);
    const provider = testProvider(NOTHING);
    await reviewDiff([clean()], options(provider, { widenForModel: widen }));
    expect(asked).toBe(1);
    const prompt = provider.requests[0]!.messages[0]!.content;
    expect(prompt).toContain('const token = "[REDACTED:github-token]";');
    expect(prompt).not.toContain(GH.slice(4));
  });
});
