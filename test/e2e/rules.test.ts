// The built-in rules' promises through real commits and the installed hook: no block for nothing (the cases that
// blocked real projects' commits: a playground's public .env moved, placeholders in JSDoc and tests, an XSS payload
// in a test), and still a block for what leaks (a checksum-valid token, a .env with a password).
import { afterEach, describe, expect, it } from 'vitest';
import { checksummedToken } from '../rules/fixtures/fakes.js';
import { TestRepo } from './harness.js';

const CONFIG = 'provider: builtin\n';
const TOKEN = checksummedToken('ghp_', 'R7pQ2mXk9LwZ4vN8bT1cY6hJ3sD5fG');

describe('built-in rules through real commits', () => {
  let repo: TestRepo;
  afterEach(() => repo?.cleanup());

  it("commits a playground's public .env files, and moves them, without a block", async () => {
    repo = TestRepo.installed({ config: CONFIG });
    repo.write('playground/env/.env', 'VITE_CUSTOM_ENV_VARIABLE=1\nVITE_EFFECTIVE_MODE_FILE_NAME=.env\nCUSTOM_PREFIX_ENV_VARIABLE=1\n');
    repo.write('playground/env/.env.development', 'VITE_API_URL=http://localhost:3000\nVITE_DEBUG=true\n');
    repo.git('add', '.');
    const added = await repo.commit('test: env playground');
    expect(added.code, added.stderr).toBe(0);
    repo.git('mv', 'playground', 'packages-playground');
    const moved = await repo.commit('chore: move the playground');
    expect(moved.code, moved.stderr).toBe(0);
    expect(repo.headCount()).toBe(3);
  });

  it('blocks a .env that sets a password, but not its pure rename once committed', async () => {
    repo = TestRepo.installed({ config: CONFIG });
    repo.write('.env', 'DB_HOST=db.internal\nDB_PASSWORD=Hq7vP2mZ9xKc\n');
    repo.git('add', '.');
    const blocked = await repo.commit('feat: env');
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toContain('.env');
    expect(blocked.stderr).not.toContain('Hq7vP2mZ9xKc');
    // committed anyway, then renamed: the rename exposes nothing new
    expect((await repo.commit('feat: env', { args: ['--no-verify'] })).code).toBe(0);
    repo.git('mv', '.env', 'config.env.bak');
    repo.git('mv', 'config.env.bak', '.env.local');
    const renamed = await repo.commit('chore: rename env');
    expect(renamed.code, renamed.stderr).toBe(0);
  });

  it('does not block on placeholders in JSDoc examples and tests, nor on an XSS payload in a test', async () => {
    repo = TestRepo.installed({ config: CONFIG });
    repo.write(
      'source/index.ts',
      [
        '/**',
        ' * Creates a client.',
        ' * @example',
        " * const api = ky.create({ token: 'secret123' });",
        ' * console.log(await api.get("users").json());',
        ' */',
        'export const create = (options: object) => ({ ...options });',
        '',
      ].join('\n'),
    );
    repo.write('test/hooks.ts', "const api = create({ apiKey: 'secret123' });\nconst newToken = 'refreshed-token-123';\n");
    repo.write('test/res.render.js', "it('escapes', () => expect(render('<img src=x onerror=eval(1)>')).toBe(''));\n");
    repo.git('add', '.');
    const review = repo.cli(['review', '--staged', '--format', 'json', '--output', '-']);
    expect(review.code, review.stderr).toBe(0);
    const findings = (JSON.parse(review.stdout) as { findings: Array<{ rule: string; severity: string }> }).findings;
    expect(findings.filter((f) => f.severity !== 'info' && f.severity !== 'low')).toEqual([]);
    const r = await repo.commit('feat: client');
    expect(r.code, r.stderr).toBe(0);
  });

  it('blocks a GitHub token with a valid checksum, and lets a look-alike without one through', async () => {
    repo = TestRepo.installed({ config: CONFIG });
    const lookAlike = TOKEN.slice(0, 34) + (TOKEN.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA');
    repo.write('src/fixture.ts', `export const sample = '${lookAlike}';\n`);
    repo.git('add', '.');
    const passed = await repo.commit('test: fixture');
    expect(passed.code, passed.stderr).toBe(0);
    repo.write('src/client.ts', `export const auth = '${TOKEN}';\n`);
    repo.git('add', '.');
    const blocked = await repo.commit('feat: client');
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toContain('github-token');
    expect(blocked.stderr).not.toContain(TOKEN);
  });
});
