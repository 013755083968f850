// Keys and hosts through the built CLI and real commits: a repository's policy cannot send the user's key to a host
// the user did not name (one line, no DNS lookup; onError decides in the hook, exit 2 in ci); the user config names
// hosts and chooses the model; doctor says where each key would go; a redirect to another host is not followed.
import http from 'node:http';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, startFakeOpenAI, type FakeServer } from '../fakes/index.js';
import { CLOSED_URL, TestRepo } from './harness.js';

const KEY = 'sk-proj-' + 'Wq3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz2Xc4Vb6Nm8';
const EVIL = 'http://evil.invalid/v1';

let openai: FakeServer;
beforeAll(async () => {
  openai = await startFakeOpenAI();
});
afterAll(() => openai.close());

function writeUserConfig(repo: TestRepo, text: string): NodeJS.ProcessEnv {
  const xdg = path.join(repo.home, 'xdg');
  mkdirSync(path.join(xdg, 'codeai-hook'), { recursive: true });
  writeFileSync(path.join(xdg, 'codeai-hook', 'config.yaml'), text);
  return { XDG_CONFIG_HOME: xdg };
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
/** The terminal report wraps at 80 columns, continuing with two spaces: one message, read as one line. */
const unwrapped = (text: string) => lines(text.replace(/\n {2}(?=\S)/g, ' '));

describe("a repository's baseURL and the user's key", () => {
  let repo: TestRepo;
  afterEach(() => repo?.cleanup());

  it('the hook: one warning line naming the host and how to trust it, no DNS error, the built-in rules still run', async () => {
    repo = TestRepo.installed({ config: `provider: openai\nbaseURL: ${EVIL}\n` });
    repo.env = { ...repo.env, OPENAI_API_KEY: KEY };
    repo.write('a.js', 'export const a = 1;\n');
    repo.git('add', '.');
    const passed = await repo.commit('feat: a');
    expect(passed.code, passed.stderr).toBe(0);
    const refusal = unwrapped(passed.stderr).filter((l) => l.includes('evil.invalid'));
    expect(refusal).toHaveLength(1);
    expect(refusal[0]).toContain('refused to send OPENAI_API_KEY to evil.invalid (baseURL in .codeairc.yaml)');
    expect(refusal[0]).toContain('CODEAI_TRUSTED_HOSTS');
    expect(passed.stderr).toMatch(/onError: warn/);
    expect(passed.stderr).not.toMatch(/ENOTFOUND|getaddrinfo|EAI_AGAIN|not reachable/);
    expect(passed.stderr).not.toContain(KEY.slice(4, 12));

    // The built-in rules still block a key, and onError: block fails closed.
    repo.write('.codeairc.yaml', `provider: openai\nbaseURL: ${EVIL}\nonError: block\n`);
    repo.write('b.js', 'export const b = 1;\n');
    repo.git('add', '.');
    const blocked = await repo.cliAsync(['run']);
    expect(blocked.code).toBe(3);
    expect(blocked.stderr).toMatch(/refused to send OPENAI_API_KEY to evil\.invalid/);
  });

  it("a gateway named in OPENAI_BASE_URL is trusted with that key only: a repository's provider: anthropic there is refused", async () => {
    // The user trusts a third-party gateway with their OpenAI key; the repository points Anthropic's client at it.
    repo = TestRepo.installed({ config: 'provider: anthropic\nbaseURL: https://gw.invalid\nonError: block\n' });
    repo.write('a.js', 'export const a = 1;\n');
    repo.git('add', '.');
    const env = { ANTHROPIC_API_KEY: KEY, OPENAI_API_KEY: KEY, OPENAI_BASE_URL: 'https://gw.invalid/v1' };
    const r = await repo.cliAsync(['run'], { env });
    expect(r.code).toBe(3);
    const refusal = unwrapped(r.stderr).filter((l) => l.includes('refused to send'));
    expect(refusal).toHaveLength(1);
    expect(refusal[0]).toContain(
      "refused to send ANTHROPIC_API_KEY to gw.invalid (baseURL in .codeairc.yaml): keys go only to api.anthropic.com, this machine and hosts you name; gw.invalid is named in OPENAI_BASE_URL, which trusts it with the openai and openai-compatible providers' keys only",
    );
    expect(r.stderr).not.toMatch(/ENOTFOUND|getaddrinfo|EAI_AGAIN|not reachable/);
    const doctor = await repo.cliAsync(['doctor'], { env });
    const said = `${doctor.stdout}${doctor.stderr}`;
    expect(said).toContain("gw.invalid is named in OPENAI_BASE_URL, which trusts it with the openai and openai-compatible providers' keys only");
    expect(said).toContain("hosts you named for keys: gw.invalid:443 (named in OPENAI_BASE_URL, for the openai and openai-compatible providers' keys)");
    expect(said).not.toContain(KEY.slice(4, 12));
  });

  it('ci: exit 2 and the same one line', async () => {
    repo = TestRepo.installed({ config: `provider: openai\nbaseURL: ${EVIL}\n` });
    repo.write('a.js', 'export const a = 1;\n');
    repo.git('add', '.');
    repo.git('commit', '-q', '--no-verify', '-m', 'a');
    const r = await repo.cliAsync(['ci', '--base', 'HEAD~1'], { env: { OPENAI_API_KEY: KEY } });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^codeai-hook: refused to send OPENAI_API_KEY to evil\.invalid \(baseURL in \.codeairc\.yaml\): .*CODEAI_TRUSTED_HOSTS/)]);
  });

  it('a redirect from a trusted local server to another origin: nothing reaches the other server, and the run says so', async () => {
    const ollama = await startFakeOllama({ models: ['m'] });
    const elsewhere = await startFakeOllama({ models: ['m'] });
    try {
      ollama.setDefault((req) => ({ status: 307, rawBody: '', headers: { location: `${elsewhere.url}${req.path}` } }));
      repo = TestRepo.installed({ config: `provider: ollama\nmodel: m\nbaseURL: ${ollama.url}\nsendToCloud: never\n` });
      repo.write('a.js', 'export const a = 1;\n');
      repo.git('add', '.');
      const r = await repo.commit('feat: a');
      expect(r.code, r.stderr).toBe(0);
      expect(unwrapped(r.stderr).join('\n')).toMatch(/redirected the request \(307\) to http:\/\/127\.0\.0\.1:\d+, another host: not followed, so neither the key nor the diff went there/);
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await ollama.close();
      await elsewhere.close();
    }
  });
});

describe('the user config and doctor', () => {
  let repo: TestRepo;
  afterEach(() => repo?.cleanup());

  it("the user's provider and baseURL replace the repository's; the gate stays the repository's", async () => {
    repo = TestRepo.installed({ config: 'provider: builtin\nblock: { severity: critical }\n' });
    const env = { ...writeUserConfig(repo, `provider: openai\nbaseURL: ${openai.url}\n`), OPENAI_API_KEY: KEY };
    repo.write('a.js', 'export const a = 1;\n');
    repo.git('add', '.');
    openai.enqueue({ findings: [{ file: 'a.js', line: 1, severity: 'high', category: 'bug', title: 'Looks wrong', message: 'm' }] });
    const before = openai.requests.length;
    const r = await repo.cliAsync(['run'], { env });
    expect(openai.requests.length).toBeGreaterThan(before);
    expect(r.stderr).toContain('Looks wrong');
    expect(r.code, r.stderr).toBe(0); // high does not block under the repository's block.severity critical
  });

  it('a host named in the user config is trusted; a bad user config is one line naming it', async () => {
    repo = TestRepo.installed({ config: `provider: openai\nbaseURL: ${EVIL}\n` });
    const trusted = await repo.cliAsync(['doctor'], { env: { ...writeUserConfig(repo, 'trustedHosts: [evil.invalid]\n'), OPENAI_API_KEY: KEY } });
    // doctor's report is its product: stdout.
    expect(trusted.stdout).toMatch(/✔ user config: ~\/.*codeai-hook\/config\.yaml \(trustedHosts\)|user config: .*config\.yaml \(trustedHosts\)/);
    expect(trusted.stdout).toMatch(/key: OPENAI_API_KEY → http:\/\/evil\.invalid\/v1 \(trusted: trustedHosts in /);
    expect(trusted.stdout + trusted.stderr).not.toContain(KEY.slice(4, 12));

    const bad = await repo.cliAsync(['doctor'], { env: { ...writeUserConfig(repo, 'exclude: ["**"]\n'), OPENAI_API_KEY: KEY } });
    expect(bad.code).toBe(2);
    expect(lines(bad.stderr)).toEqual([expect.stringMatching(/^codeai-hook: .*codeai-hook\/config\.yaml: unknown key "exclude"/)]);
  });

  it("doctor: the refusal, each key's destination and why, the hosts you named; never a key", async () => {
    repo = TestRepo.installed({ config: `provider: openai\nbaseURL: ${EVIL}\n` });
    const r = await repo.cliAsync(['doctor'], {
      env: { OPENAI_API_KEY: KEY, ANTHROPIC_API_KEY: 'sk-ant-' + 'x'.repeat(40), ANTHROPIC_BASE_URL: 'https://claude-proxy.example', CODEAI_TRUSTED_HOSTS: 'llm.lan' },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✖ provider: refused to send OPENAI_API_KEY to evil\.invalid/);
    expect(r.stdout).toContain("OPENAI_API_KEY → https://api.openai.com/v1 if provider is openai (trusted: openai's official endpoint)");
    expect(r.stdout).toContain('ANTHROPIC_API_KEY → https://claude-proxy.example if provider is anthropic (trusted: named in ANTHROPIC_BASE_URL)');
    expect(r.stdout).toMatch(/hosts you named for keys: claude-proxy\.example.*llm\.lan \(listed in CODEAI_TRUSTED_HOSTS\)/);
    expect(r.stdout + r.stderr).not.toContain(KEY.slice(4, 12));
  });
});

describe('a redirect is never a way round the trust check', () => {
  it('a trusted host answering 307 to another host: the key does not follow', async () => {
    const seen: string[] = [];
    const other = http.createServer((req, res) => {
      seen.push(String(req.headers.authorization));
      res.end('{}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as { port: number }).port;
    const repo = TestRepo.installed({ config: `provider: openai\nbaseURL: ${openai.url}\n` });
    try {
      openai.enqueue((req) => ({ status: 307, rawBody: '', headers: { location: `http://localhost:${port}${req.path}` } }));
      repo.write('a.js', 'export const a = 1;\n');
      repo.git('add', '.');
      const r = await repo.cliAsync(['run'], { env: { OPENAI_API_KEY: KEY } });
      expect(unwrapped(r.stderr).join('\n')).toMatch(/another host: not followed/);
      expect(seen).toEqual([]);
    } finally {
      repo.cleanup();
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });
});

describe('a credential in the URL you named', () => {
  it("is never printed nor written into a report (the PR's Markdown, SARIF, JSON): the URL is shown without it", async () => {
    const repo = new TestRepo();
    try {
      repo.write('.codeairc.yaml', 'provider: openai\n');
      repo.write('a.js', 'export const a = 1;\n');
      repo.git('add', '.');
      repo.git('commit', '-q', '-m', 'start');
      repo.git('checkout', '-q', '-b', 'feature');
      repo.write('b.js', 'export const b = 2;\n');
      repo.git('add', '.');
      repo.git('commit', '-q', '-m', 'feat: b');
      // A gateway that takes its key in the URL (a password, a query parameter); nothing listens there.
      const port = new URL(CLOSED_URL).port;
      const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `http://gw:Pw7userinfo9Q@127.0.0.1:${port}/v1?api-key=Qk5query8Zt3` };
      const out = path.join(repo.home, 'out');
      const ci = await repo.cliAsync(['ci', '--base', 'main', '--format', 'json,markdown,sarif,github', '--output', out], { env });
      expect(ci.code, ci.stderr).toBe(3); // the model could not be reached: fails closed
      const doctor = await repo.cliAsync(['doctor'], { env });
      const everything = [ci.stdout, ci.stderr, doctor.stdout, doctor.stderr, ...readdirSync(out).map((f) => readFileSync(path.join(out, f), 'utf8'))].join('\n');
      expect(everything).toContain(`127.0.0.1:${port}/v1`);
      expect(everything).not.toMatch(/Pw7userinfo9Q|Qk5query8Zt3/);
    } finally {
      repo.cleanup();
    }
  });
});
