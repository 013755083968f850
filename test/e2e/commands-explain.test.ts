// `explain` and `run --explain` end to end: the built CLI, the model a FAKE Ollama on 127.0.0.1 driven through the
// real `ollama` client. What the model was asked is read from the requests the fake recorded.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeServer, type RecordedRequest } from '../fakes/index.js';
import { finding, TestRepo, type RunResult } from './harness.js';

const FAKE_KEY = 'AKIA' + 'Z7QWERTYUIOPASDF';
const BUGGY = 'export function total(items) {\n  let sum = 0;\n  for (let i = 0; i <= items.length; i++) sum += items[i].price;\n  return sum;\n}\n';
const EXPLANATION = 'The loop runs one step too far: i <= items.length reads items[items.length], which is undefined.';

let ollama: FakeServer;
beforeAll(async () => {
  ollama = await startFakeOllama({ models: ['m'] });
});
afterAll(() => ollama.close());

const config = () => `provider: ollama\nmodel: m\nbaseURL: ${ollama.url}\n`;
/** An explanation answer as the explain prompt asks for it. */
const explanation = (text: string) => ({ text: JSON.stringify({ explanation: text }) });
const chats = (since: number): RecordedRequest[] => ollama.requests.slice(since).filter((q) => q.path === '/api/chat');
/** Everything the model was told in one request: system prompt and messages. */
const prompt = (q: RecordedRequest): string => JSON.stringify(q.body.messages);
const lines = (r: RunResult) => r.stderr.split('\n').filter((l) => l.trim() !== '');

describe('codeai-hook explain', () => {
  let repo: TestRepo;
  afterEach(() => {
    repo?.cleanup();
    ollama.setDefault({ findings: [] });
  });

  it('explains the staged change (exit 0); --level beginner is in what the model is asked', async () => {
    repo = TestRepo.installed({ config: config() });
    repo.write('src/total.js', BUGGY);
    repo.git('add', 'src/total.js');

    let since = ollama.requests.length;
    ollama.enqueue(explanation(EXPLANATION));
    const r = await repo.cliAsync(['explain']);
    expect(r.code, r.stderr).toBe(0);
    // The explanation itself, not the JSON wrapper around it.
    // The explanation is the product, on stdout (`explain > notes.md`); which model explains is said on stderr.
    expect(r.stdout).toContain(EXPLANATION);
    expect(r.stderr).not.toContain(EXPLANATION);
    expect(r.stdout).not.toContain('{"explanation"');
    expect(r.stdout).toContain('src/total.js');
    expect(r.stderr).toContain('codeai-hook explain · ollama');
    expect(chats(since)).toHaveLength(1);
    expect(prompt(chats(since)[0]!)).toContain('Depth: intermediate');
    expect(prompt(chats(since)[0]!)).toContain('i <= items.length');

    since = ollama.requests.length;
    ollama.enqueue(explanation('A loop adds up prices.'));
    const beginner = await repo.cliAsync(['explain', '--level', 'beginner']);
    expect(beginner.code, beginner.stderr).toBe(0);
    expect(beginner.stdout).toContain('A loop adds up prices.');
    expect(beginner.stderr).toContain('beginner');
    expect(chats(since)).toHaveLength(1);
    expect(prompt(chats(since)[0]!)).toContain('Depth: beginner');
    expect(prompt(chats(since)[0]!)).toMatch(/new to programming/);
  });

  it('explain FILE:LINE focuses on the finding the model reports at that line', async () => {
    repo = TestRepo.installed({ config: config() });
    repo.write('src/total.js', BUGGY);
    repo.write('src/other.js', 'export const other = 2;\n');
    repo.git('add', '.');
    const since = ollama.requests.length;
    // The model's own review of the change finds the bug at line 3; then it is asked about that finding.
    ollama.setDefault((q) =>
      prompt(q).includes('FINDING') ? explanation(EXPLANATION) : { findings: [finding('src/total.js', 3, 'high', 'Off-by-one reads past the end of items')] },
    );
    const r = await repo.cliAsync(['explain', 'src/total.js:3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('src/total.js:3 Off-by-one reads past the end of items');
    expect(r.stdout).toContain(EXPLANATION);
    const asked = chats(since).filter((q) => prompt(q).includes('FINDING'));
    expect(asked).toHaveLength(1);
    expect(prompt(asked[0]!)).toContain('Off-by-one reads past the end of items');
  });

  it('FILE is taken relative to the current folder, as review FILE takes it', async () => {
    repo = TestRepo.installed({ config: config() });
    repo.write('src/total.js', BUGGY);
    repo.git('add', 'src/total.js');
    ollama.enqueue(explanation(EXPLANATION));
    const r = await repo.cliAsync(['explain', 'total.js'], { cwd: `${repo.dir}/src` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(EXPLANATION);
  });

  it('usage errors are exit 2 with one line: unknown level, a file with no staged change, nothing staged', async () => {
    repo = TestRepo.installed({ config: config() });
    const nothing = await repo.cliAsync(['explain']);
    expect(nothing.code).toBe(2);
    expect(lines(nothing)).toHaveLength(1);
    expect(nothing.stderr).toMatch(/nothing is staged/);

    repo.write('src/total.js', BUGGY);
    repo.git('add', 'src/total.js');
    const since = ollama.requests.length;
    const level = await repo.cliAsync(['explain', '--level', 'guru']);
    expect(level.code).toBe(2);
    expect(lines(level)).toHaveLength(1);
    expect(level.stderr).toContain('guru');
    expect(level.stderr).toMatch(/beginner, intermediate, expert/);

    const unstaged = await repo.cliAsync(['explain', 'src/nope.js:4']);
    expect(unstaged.code).toBe(2);
    expect(lines(unstaged)).toHaveLength(1);
    expect(unstaged.stderr).toContain('src/nope.js');
    expect(unstaged.stderr).toContain('src/total.js');
    // None of these asked the model anything.
    expect(chats(since)).toHaveLength(0);
  });

  it('with no model reachable: exit 3 and one line saying explain needs a model', () => {
    repo = TestRepo.installed(); // the harness's OLLAMA_HOST is a closed port, no keys: auto finds nothing
    repo.write('src/total.js', BUGGY);
    repo.git('add', 'src/total.js');
    const r = repo.cli(['explain']);
    expect(r.code).toBe(3);
    expect(lines(r)).toHaveLength(1);
    expect(r.stderr).toMatch(/explain needs a model/);
  });

  it('a model error while explaining: exit 3 with the provider\'s one line', async () => {
    repo = TestRepo.installed({ config: config() });
    repo.write('src/total.js', BUGGY);
    repo.git('add', 'src/total.js');
    ollama.setDefault({ status: 404, errorMessage: "model 'm' not found" });
    const r = await repo.cliAsync(['explain']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^codeai-hook: .*not found/m);
  });
});

describe('codeai-hook run --explain', () => {
  let repo: TestRepo;
  afterEach(() => {
    repo?.cleanup();
    ollama.setDefault({ findings: [] });
  });

  it("a blocking model finding gets a why: line with the model's explanation", async () => {
    repo = TestRepo.installed({ config: config() });
    repo.write('src/total.js', BUGGY);
    repo.git('add', 'src/total.js');
    const since = ollama.requests.length;
    ollama.enqueue({ findings: [finding('src/total.js', 3, 'high', 'Off-by-one reads past the end of items')] }, explanation(EXPLANATION));
    const r = await repo.cliAsync(['run', '--explain']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Off-by-one reads past the end of items');
    // The terminal report wraps long text; compare with whitespace folded.
    const flat = r.stderr.replace(/\s+/g, ' ');
    expect(flat).toContain(`why: ${EXPLANATION}`);
    const calls = chats(since);
    expect(calls).toHaveLength(2);
    expect(prompt(calls[1]!)).toContain('Off-by-one reads past the end of items');
  });

  it("a blocking built-in finding gets its rule's hint as why:, with no extra model call", async () => {
    repo = TestRepo.installed({ config: config() });
    repo.write('src/cfg.js', `export const key = '${FAKE_KEY}';\n`);
    repo.git('add', 'src/cfg.js');
    const since = ollama.requests.length;
    const r = await repo.cliAsync(['run', '--explain']);
    expect(r.code).toBe(1);
    const flat = r.stderr.replace(/\s+/g, ' ');
    expect(flat).toContain('why: Deactivate the key in IAM');
    expect(r.stderr).not.toContain(FAKE_KEY);
    // One call: the review. The explanation came from the rule table.
    expect(chats(since)).toHaveLength(1);
  });
});
