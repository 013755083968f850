// "Nothing secret leaves the machine", for the language server: editor buffers (unsaved text, never read from disk)
// reviewed by `codeai-hook lsp` through the real client library against a FAKE server that logs every byte. The
// buffers hold a sample of every secrets rule (each at a path of its kind), a private key rotated in place (only body
// lines change), a committed secret in the lines around a change (the wider context the model sees), a .env and an
// .npmrc (secrets files: never sent), a file named with a token, and a symbolic link to an .npmrc outside the
// repository. An explanation asked from the editor goes through the same fence. No byte of any secret value beyond
// its first 4 characters may reach the server.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, startFakeOpenAI, type FakeServer } from '../fakes/index.js';
import { finding, TestRepo } from './harness.js';
import { LspClient } from './lsp-client.js';
import { BASE64, corpusSamples, ghp, leak, npmToken, random, wire } from './secret-corpus.js';

const KEY = 'sk-wire-' + random(40);
const PROVIDERS = [
  { name: 'ollama', start: () => startFakeOllama({ models: ['m'] }), config: (url: string) => `provider: ollama\nmodel: m\nbaseURL: ${url}\n`, env: {} },
  { name: 'openai', start: () => startFakeOpenAI(), config: (url: string) => `provider: openai\nbaseURL: ${url}\n`, env: { OPENAI_API_KEY: KEY } },
] as const;

describe.each(PROVIDERS)('lsp on the wire: $name', (provider) => {
  let fake: FakeServer;
  let repo: TestRepo;
  let client: LspClient;
  const secrets = new Set<string>();
  const appChange = 'export function price(items) {\n  const legacy = "LEGACY";\n  let sum = 0;\n  for (const item of items) sum += item.price;\n  return sum * 2;\n}\n';

  beforeAll(async () => {
    fake = await provider.start();
    // A model finding on app.js's changed line, so that there is something to explain.
    fake.setDefault((req) => (req.raw.includes('sum * 2') ? { findings: [finding('src/app.js', 5, 'high', 'Doubled total')] } : { findings: [] }));
    repo = new TestRepo();
    repo.write('.codeairc.yaml', provider.config(fake.url));
    const pemOld = Array.from({ length: 40 }, () => random(64, BASE64));
    const pemNew = pemOld.map((line, i) => (i >= 14 && i < 25 ? random(64, BASE64) : line));
    for (const l of [...pemOld, ...pemNew]) secrets.add(l);
    const pem = (body: string[]) => ['-----BEGIN ' + 'RSA PRIVATE KEY-----', ...body, '-----END ' + 'RSA PRIVATE KEY-----', ''].join('\n');
    repo.write('deploy/key.txt', pem(pemOld));
    const legacy = ghp();
    secrets.add(legacy);
    repo.write('src/app.js', appChange.replace('return sum * 2', 'return sum').replace('LEGACY', legacy));
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'base');

    client = await LspClient.start(repo, { env: provider.env });
    let reviewed = 0;
    const open = async (rel: string, text: string) => {
      await client.open(rel, text, 'plaintext');
      reviewed++;
    };
    // Every secrets rule's samples, one buffer per path (rules look at file names): new, unsaved files.
    const samples = corpusSamples();
    for (const v of samples.values) secrets.add(v);
    const byPath = new Map<string, string[]>();
    for (const { path: p, text } of samples.files) byPath.set(path.posix.basename(p), [...(byPath.get(path.posix.basename(p)) ?? []), text]);
    for (const [name, texts] of byPath) await open(`samples/${name}`, texts.join('\n\n'));
    await open('deploy/key.txt', pem(pemNew));
    await open('src/app.js', appChange.replace('LEGACY', legacy));
    const env = { ENCRYPTION_KEY: random(32), SIGNING_SALT: random(16) };
    for (const v of Object.values(env)) secrets.add(v);
    await open('.env', Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
    const npm = npmToken();
    secrets.add(npm);
    await open('.npmrc', `registry=https://registry.npmjs.org/\n# npmrc-marker\n//registry.npmjs.org/:_authToken=${npm}\n`);
    const named = ghp();
    secrets.add(named);
    await open(`docs/notes-${named}.md`, '# Notes\n\nNothing secret in here.\n');
    // An editor opening a link shows the target's text: the server must not review it as the link's.
    const outside = path.join(repo.home, 'outside');
    mkdirSync(outside, { recursive: true });
    const outsideToken = npmToken();
    secrets.add(outsideToken);
    writeFileSync(path.join(outside, '.npmrc'), `//registry.npmjs.org/:_authToken=${outsideToken}\n`);
    symlinkSync(path.join(outside, '.npmrc'), path.join(repo.dir, 'notes.txt'));
    await client.open('notes.txt', `//registry.npmjs.org/:_authToken=${outsideToken}\n`, 'plaintext');
    await client.modelReviews(reviewed);
  }, 120_000);

  afterAll(async () => {
    client?.kill();
    repo?.cleanup();
    await fake?.close();
  });

  it('every buffer reviewed by the model carries no secret byte, and secrets files and links are not sent at all', async () => {
    const everything = fake.requests.map(wire).join('\n');
    expect(fake.requests.filter((r) => r.method === 'POST').length).toBeGreaterThan(10);
    expect(everything).toContain('[REDACTED:');
    expect(everything).toContain('sum * 2');
    expect(leak(everything, secrets)).toBeNull();
    expect(everything).not.toContain('ENCRYPTION_KEY');
    expect(everything).not.toContain('npmrc-marker');
    expect(await client.diagnostics('notes.txt')).toEqual([]);
    // The rules saw the secrets the model did not: diagnostics on the buffers.
    expect((await client.diagnostics('.env', (d) => d.length > 0)).map((d) => d.code)).toContain('env-file');
  });

  it('an explanation asked from the editor sends no secret byte either', async () => {
    const [d] = await client.diagnostics('src/app.js', (d) => d.some((x) => x.code === 'bug'));
    const before = fake.requests.length;
    const actions = await client.codeActions('src/app.js', [d!]);
    await client.execute(actions.find((a) => a.command)!);
    expect(client.shownDocuments).toHaveLength(1);
    const asked = fake.requests.slice(before).map(wire).join('\n');
    expect(asked).toContain('Doubled total');
    expect(leak(asked, secrets)).toBeNull();
  });
});
