// `codeai-hook lsp` end to end: the built CLI started over stdio and driven by a real JSON-RPC client, in temporary
// repositories with real commits, the model a FAKE Ollama server. What an editor shows must be what the hook would
// say of the next commit of that file, and the server must never write the index or the work tree.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { startFakeOllama, type FakeServer } from '../fakes/index.js';
import { CLOSED_URL, finding, TestRepo } from './harness.js';
import { LspClient } from './lsp-client.js';

const KEY = 'AKIA' + 'Z7QWERTYUIOPASDF';
const KEY_LINE = `const key = '${KEY}';`;
const BASE = 'export function total(items) {\n  let sum = 0;\n  for (const item of items) sum += item.price;\n  return sum;\n}\n';

// A fake model per test: replies queued by one test are never answered to another.
let fake: FakeServer;
beforeEach(async () => {
  fake = await startFakeOllama({ models: ['m'] });
});
afterEach(() => fake.close());

const chats = (since = 0) => fake.requests.slice(since).filter((r) => r.path === '/api/chat');
const codes = (d: Diagnostic[]) => d.map((x) => x.code);

/** A repository with one committed file and a policy pointing at the fake model. */
function repoWithModel(config = `provider: ollama\nmodel: m\nbaseURL: ${fake.url}\n`): TestRepo {
  const repo = new TestRepo();
  repo.write('.codeairc.yaml', config);
  repo.write('src/total.js', BASE);
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'start');
  return repo;
}

describe('codeai-hook lsp', () => {
  let repo: TestRepo;
  let client: LspClient | undefined;
  afterEach(() => {
    client?.kill();
    client = undefined;
    repo?.cleanup();
  });

  it('a key typed into a buffer is an error on its line that would block a commit; deleting it clears it; nothing is written', async () => {
    repo = repoWithModel('provider: builtin\n');
    const before = repo.snapshot();
    const index = repo.indexBytes();
    client = await LspClient.start(repo);
    await client.open('src/total.js', `${BASE}${KEY_LINE}\n`);
    const [d] = await client.diagnostics('src/total.js', (d) => d.length > 0);
    expect(d).toMatchObject({
      range: { start: { line: 5, character: 0 }, end: { line: 5, character: KEY_LINE.length } },
      severity: 1,
      source: 'codeai-hook',
      code: 'aws-access-key-id',
      codeDescription: { href: expect.stringMatching(/^file:.*README\.md#built-in-rules$/) },
    });
    expect(d!.message).toMatch(/Suggestion: .*\n.*Would block a commit \(1 critical finding at or above high \(block\.severity\)\)/s);
    // Editors log what servers send: the key itself is masked in the message, as in every report.
    expect(JSON.stringify(client.published)).not.toContain(KEY);

    await client.change('src/total.js', BASE);
    expect(await client.diagnostics('src/total.js', (d) => d.length === 0)).toEqual([]);
    expect(repo.snapshot()).toBe(before);
    expect(repo.indexBytes()).toBe(index);
  });

  it('save: the model reviews the buffer with progress shown; the same content saved twice, or reopened, costs one call', async () => {
    repo = repoWithModel();
    const since = fake.requests.length;
    fake.enqueue({ findings: [finding('src/total.js', 3, 'high', 'Price may be undefined')] });
    client = await LspClient.start(repo);
    const text = BASE.replace('sum += item.price', 'sum += item.price * item.qty');
    await client.open('src/total.js', text);
    const d = await client.diagnostics('src/total.js', (d) => d.some((x) => x.code === 'bug'));
    expect(d).toEqual([expect.objectContaining({ code: 'bug', severity: 1, range: expect.objectContaining({ start: { line: 2, character: 2 } }) })]);
    expect(d[0]!.message).toMatch(/^Price may be undefined\.\nSuggestion: Fix it\.\nWould block a commit/);
    expect(client.progress.map((p) => p.kind)).toEqual(expect.arrayContaining(['begin', 'end']));
    // The model saw the buffer's change of that file, as the hook would see it staged.
    expect(JSON.stringify(chats(since)[0]!.body)).toContain('item.price * item.qty');

    // Each model review waited for in turn: a save while one waits is folded into it.
    await client.save('src/total.js');
    await client.modelReviews(2);
    await client.save('src/total.js');
    await client.modelReviews(3);
    await client.close('src/total.js');
    await client.open('src/total.js', text);
    await client.modelReviews(4);
    expect(await client.diagnostics('src/total.js', (d) => d.length === 1)).toEqual([expect.objectContaining({ code: 'bug' })]);
    expect(chats(since)).toHaveLength(1);
    // Staged as saved and committed: the hook finds the editor's review in the same cache, no call, and blocks alike.
    repo.git('add', 'src/total.js');
    const commit = await repo.cliAsync(['run']);
    expect(commit.code).toBe(1);
    expect(commit.stderr).toContain('Price may be undefined');
    expect(chats(since)).toHaveLength(1);
  });

  it('between saves a model finding follows its line, goes when the line is edited, and a commit from the terminal clears it', async () => {
    repo = repoWithModel();
    fake.enqueue({ findings: [finding('src/total.js', 3, 'medium', 'Quantity ignored')] });
    client = await LspClient.start(repo);
    const text = BASE.replace('sum += item.price', 'sum += item.price * 2');
    await client.open('src/total.js', text);
    await client.diagnostics('src/total.js', (d) => d.some((x) => x.code === 'bug' && x.range.start.line === 2));
    // Two lines typed above it: the finding moves with its line, no model call.
    const since = fake.requests.length;
    await client.change('src/total.js', `// totals\n// of a cart\n${text}`);
    const moved = await client.diagnostics('src/total.js', (d) => d.some((x) => x.code === 'bug' && x.range.start.line === 4));
    expect(moved).toHaveLength(1);
    expect(moved[0]!.severity).toBe(2); // medium: a warning
    // The line itself edited: the finding no longer stands.
    await client.change('src/total.js', `// totals\n// of a cart\n${text.replace('* 2', '* 3')}`);
    await client.diagnostics('src/total.js', (d) => d.length === 0);
    expect(chats(since)).toHaveLength(0);

    // Back to the reviewed text, saved and committed in a terminal: nothing is left to review.
    fake.enqueue({ findings: [finding('src/total.js', 3, 'medium', 'Quantity ignored')] });
    await client.change('src/total.js', text);
    await client.save('src/total.js');
    await client.diagnostics('src/total.js', (d) => d.length === 1);
    repo.git('commit', '-q', '-am', 'price doubled');
    await client.diagnostics('src/total.js', (d) => d.length === 0);
  });

  it('code actions: a fix applied as a WorkspaceEdit, a codeai-ignore comment that hides a key by its id, an explanation', async () => {
    repo = repoWithModel('provider: builtin\n');
    client = await LspClient.start(repo);
    const tls = 'const agent = new https.Agent({ rejectUnauthorized: false });';
    await client.open('src/total.js', `${BASE}${tls}\n${KEY_LINE}\n`);
    const found = await client.diagnostics('src/total.js', (d) => d.length === 2);
    expect(codes(found)).toEqual(['tls-verification-disabled', 'aws-access-key-id']);

    const tlsActions = await client.codeActions('src/total.js', [found[0]!]);
    expect(tlsActions.map((a) => a.title)).toEqual([
      expect.stringMatching(/^Apply codeai-hook's fix/),
      'Ignore tls-verification-disabled here (codeai-ignore comment)',
      'Explain this finding (codeai-hook)',
    ]);
    await client.apply('src/total.js', tlsActions[0]!.edit!);
    expect(client.text('src/total.js')).toBe(`${BASE}${tls.replace('false', 'true')}\n${KEY_LINE}\n`);
    const left = await client.diagnostics('src/total.js', (d) => d.length === 1);
    expect(codes(left)).toEqual(['aws-access-key-id']);

    // A key gets no fix; its ignore comment names the rule id, on its own line above the key, and hides it.
    const keyActions = await client.codeActions('src/total.js', left);
    expect(keyActions.map((a) => a.title)).toEqual(['Ignore aws-access-key-id here (codeai-ignore comment)', 'Explain this finding (codeai-hook)']);
    await client.execute(keyActions[1]!);
    const explanation = readFileSync(fileURLToPath(client.shownDocuments[0]!), 'utf8');
    expect(explanation).toMatch(/^# src\/total\.js:7 AWS access key id\n\nDeactivate the key in IAM/);
    await client.apply('src/total.js', keyActions[0]!.edit!);
    expect(client.text('src/total.js')).toContain(`// codeai-ignore: aws-access-key-id <why this is fine>\n${KEY_LINE}\n`);
    await client.diagnostics('src/total.js', (d) => d.length === 0);

    // What the editor wrote, saved and staged, passes the hook as the editor said it would.
    await client.save('src/total.js');
    repo.git('add', 'src/total.js');
    expect(repo.cli(['run']).code).toBe(0);
  });

  it('an editor that cannot open documents is shown the explanation as a message', async () => {
    repo = repoWithModel('provider: builtin\n');
    client = await LspClient.start(repo, { showDocument: false });
    await client.open('src/total.js', `${BASE}${KEY_LINE}\n`);
    const found = await client.diagnostics('src/total.js', (d) => d.length === 1);
    const explain = (await client.codeActions('src/total.js', found)).find((a) => a.command)!;
    await client.execute(explain);
    expect(client.shownDocuments).toEqual([]);
    expect(client.messages).toEqual([{ type: 3, message: expect.stringMatching(/^# src\/total\.js:6 AWS access key id\n\nDeactivate the key in IAM/) }]);
    expect(JSON.stringify(client.messages)).not.toContain(KEY);
  });

  it('a model that is down: one warning for the whole run, and the built-in rules still show', async () => {
    repo = repoWithModel(`provider: ollama\nmodel: m\nbaseURL: ${CLOSED_URL}\n`);
    client = await LspClient.start(repo);
    await client.open('src/total.js', `${BASE}${KEY_LINE}\n`);
    await client.diagnostics('src/total.js', (d) => codes(d).includes('aws-access-key-id'));
    await client.save('src/total.js');
    await client.open('src/other.js', 'export const b = 2;\n');
    await client.save('src/other.js');
    await client.until(() => client!.messages.length > 0);
    // The queue of model reviews runs dry: every one failed, and only the first said so.
    await new Promise((r) => setTimeout(r, 1500));
    expect(client.messages).toEqual([{ type: 2, message: expect.stringMatching(/^codeai-hook: the model review did not complete \(.*127\.0\.0\.1.*\); the built-in rules still run/) }]);
    expect(codes(await client.diagnostics('src/total.js'))).toEqual(['aws-access-key-id']);
  });

  it('a policy error is a diagnostic on the policy file, gone once the file is fixed and saved', async () => {
    repo = repoWithModel('provider: builtin\nblock:\n  severity: urgent\n');
    client = await LspClient.start(repo);
    await client.open('src/total.js', `${BASE}${KEY_LINE}\n`);
    const [problem] = await client.diagnostics('.codeairc.yaml', (d) => d.length === 1);
    expect(problem).toMatchObject({ severity: 1, source: 'codeai-hook', range: { start: { line: 2 } } });
    expect(problem!.message).toMatch(/\.codeairc\.yaml: .*severity.*urgent/);
    // The hook would not run with this policy: nothing else is reviewed until it loads.
    expect(await client.diagnostics('src/total.js')).toEqual([]);

    await client.open('.codeairc.yaml', 'provider: builtin\nblock:\n  severity: urgent\n', 'yaml');
    await client.change('.codeairc.yaml', 'provider: builtin\nblock:\n  severity: high\n');
    await client.save('.codeairc.yaml');
    await client.diagnostics('.codeairc.yaml', (d) => d.length === 0);
    expect(codes(await client.diagnostics('src/total.js', (d) => d.length === 1))).toEqual(['aws-access-key-id']);
  });

  it('a policy module that prints does not break the protocol: what it prints goes to the log of the editor (stderr)', async () => {
    repo = new TestRepo();
    repo.write('.codeairc.mjs', "console.log('policy says hi');\nconsole.info('policy informs');\nexport default { provider: 'builtin' };\n");
    repo.write('src/total.js', BASE);
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'start');
    client = await LspClient.start(repo);
    await client.open('src/total.js', `${BASE}${KEY_LINE}\n`);
    expect(codes(await client.diagnostics('src/total.js', (d) => d.length === 1))).toEqual(['aws-access-key-id']);
    expect(client.stderr).toContain('policy says hi');
    expect(client.stderr).toContain('policy informs');
  });

  it('what the hook would not review is not reviewed: excluded, ignored by git, reached through a symbolic link', async () => {
    repo = repoWithModel('provider: builtin\nexclude: ["fixtures/**"]\n');
    repo.write('.gitignore', 'local/\n');
    repo.write('real/keys.js', 'export {};\n');
    symlinkSync(path.join(repo.dir, 'real', 'keys.js'), path.join(repo.dir, 'linked.js'));
    client = await LspClient.start(repo);
    for (const rel of ['fixtures/keys.js', 'local/keys.js', 'linked.js']) await client.open(rel, `${KEY_LINE}\n`);
    await client.open('src/keys.js', `${KEY_LINE}\n`);
    await client.diagnostics('src/keys.js', (d) => d.length === 1);
    for (const rel of ['fixtures/keys.js', 'local/keys.js', 'linked.js']) expect(await client.diagnostics(rel)).toEqual([]);
  });

  it('editors that send no didSave: the model reviews the buffer after a quiet spell', async () => {
    repo = repoWithModel();
    fake.enqueue({ findings: [finding('src/total.js', 3, 'high', 'Doubled price')] });
    client = await LspClient.start(repo, { didSave: false, initializationOptions: { idleSeconds: 0.3 } });
    // Opened as committed: nothing to review, and no model call.
    await client.open('src/total.js', BASE);
    expect(await client.diagnostics('src/total.js')).toEqual([]);
    await client.change('src/total.js', BASE.replace('sum += item.price', 'sum += item.price * 2'));
    const d = await client.diagnostics('src/total.js', (d) => d.some((x) => x.code === 'bug'));
    expect(d[0]!.message).toMatch(/^Doubled price/);
    expect(chats()).toHaveLength(1);
  });

  it('shutdown and exit: exit code 0, and no process of the server is left', async () => {
    repo = repoWithModel('provider: builtin\n');
    const mark = randomUUID();
    client = await LspClient.start(repo, { env: { CODEAI_TEST_MARK: mark } });
    await client.open('src/total.js', `${BASE}${KEY_LINE}\n`);
    await client.diagnostics('src/total.js', (d) => d.length === 1);
    expect(await client.stop()).toEqual({ code: 0, signal: null });
    expect(processesMarked(mark)).toEqual([]);
    expect(client.stderr).toBe('');
  });

  it('an editor that dies without a word (its process named in initialize, or by --clientProcessId) leaves no server behind', async () => {
    repo = repoWithModel('provider: builtin\n');
    const editors = [spawn('sleep', ['60'], { stdio: 'ignore' }), spawn('sleep', ['60'], { stdio: 'ignore' })];
    const clients: LspClient[] = [];
    try {
      // Both at once: the server looks every 3 s.
      clients.push(await LspClient.start(repo, { processId: editors[0]!.pid! }));
      clients.push(await LspClient.start(repo, { args: ['--stdio', `--clientProcessId=${editors[1]!.pid!}`] }));
      for (const c of clients) await c.open('src/total.js', `${BASE}${KEY_LINE}\n`);
      for (const c of clients) await c.diagnostics('src/total.js', (d) => d.length === 1);
      for (const e of editors) e.kill('SIGKILL');
      // Ended without a shutdown request, so with 1, as the protocol says.
      expect(await Promise.all(clients.map((c) => c.exited))).toEqual([
        { code: 1, signal: null },
        { code: 1, signal: null },
      ]);
    } finally {
      for (const e of editors) e.kill('SIGKILL');
      for (const c of clients) c.kill();
    }
  });

  it('speaks stdio only: --node-ipc is a usage error naming --stdio, as is a --clientProcessId that is no number', () => {
    repo = new TestRepo();
    const r = repo.cli(['lsp', '--node-ipc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("codeai-hook: lsp speaks over stdio only, not --node-ipc: start it as 'codeai-hook lsp --stdio'\n");
    const pid = repo.cli(['lsp', '--stdio', '--clientProcessId=editor']);
    expect(pid.code).toBe(2);
    expect(pid.stderr).toBe("codeai-hook: lsp --clientProcessId takes a process id (a number), not 'editor'\n");
  });
});

/** Pids of live processes whose environment holds the mark (the server and anything it started). */
function processesMarked(mark: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(`CODEAI_TEST_MARK=${mark}`)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}
