// True and false examples: generic credentials, the env file, and the code rules.
import type { DiffFile } from '../../../src/types.js';
import { addedFile } from '../fixtures/make-diff.js';
import { ALNUM, chars, HEX, jwt, URLSAFE, type ExampleTable } from './make.js';

const FUTURE = 4_102_444_800; // 2100-01-01
const b64 = (text: string) => Buffer.from(text).toString('base64');
const js = (text: string, path = 'src/app.ts') => ({ path, text });
const py = (text: string, path = 'app/main.py') => ({ path, text });
const file = (f: DiffFile) => ({ file: f });

export const GENERIC_EXAMPLES: ExampleTable = {
  jwt: {
    hit: [js(`const token = '${jwt({ sub: 'svc-deploy', exp: FUTURE })}';`), `AUTH_TOKEN=${jwt({ sub: 'ci', scope: 'admin' })}`],
    miss: [
      js(`const expired = '${jwt({ sub: 'u1', exp: 1_600_000_000 })}';`),
      js(`const sample = '${jwt({ sub: '1234567890', name: 'John Doe', iat: 1516239022 })}';`),
      js(`const notJson = 'eyJ${chars(ALNUM, 20)}.eyJ${chars(ALNUM, 20)}.${chars(ALNUM, 20)}';`),
    ],
  },
  'jwt-base64': {
    hit: [`TOKEN_B64=${b64(jwt({ sub: 'svc', exp: FUTURE }))}`],
    miss: [`TOKEN_B64=${b64(jwt({ sub: 'svc', exp: 1_600_000_000 }))}`, `TOKEN_B64=ZXlK${chars(ALNUM, 80)}`],
  },
  'url-credentials': {
    hit: ['DATABASE_URL=postgres://app:CorrectHorseBatteryStaple@db/app', `REDIS_URL=redis://:${chars(ALNUM, 16)}@cache.internal:6379/0`],
    miss: [
      'DATABASE_URL=postgres://app:CorrectHorseBatteryStaple@localhost/app',
      'DATABASE_URL=postgres://${DB_USER}:${DB_PASSWORD}@db:5432/app',
      'DATABASE_URL=mysql://user:password@db/shop',
      'BROKER_URL=amqp://guest:guest@rabbit:5672/',
      'git@github.com:acme/app.git',
    ],
  },
  'bearer-token': {
    hit: [`curl -H "Authorization: Bearer ${chars(ALNUM, 40)}" https://api.acme.io/v1/me`],
    miss: ['headers: { Authorization: `Bearer ${token}` },', 'curl -H "Authorization: Bearer <token>" https://api.acme.io', 'Authorization: Bearer YOUR_ACCESS_TOKEN_HERE'],
  },
  'basic-auth-header': {
    hit: [`Authorization: Basic ${b64(`deploy:${chars(ALNUM, 16)}`)}`],
    miss: [`Authorization: Basic ${b64('user:password')}`, 'HTTP Basic authentication is used by the proxy.', `Authorization: Basic ${chars(ALNUM, 24)}`],
  },
  'curl-user-password': {
    hit: [{ path: 'deploy.sh', text: `curl -u admin:${chars(ALNUM, 12)} https://ci.acme.io/api/json` }],
    miss: [{ path: 'deploy.sh', text: 'curl -u "$CI_USER:$CI_PASSWORD" https://ci.acme.io/api/json' }, { path: 'deploy.sh', text: 'curl -u admin https://ci.acme.io' }],
  },
  'generic-secret': {
    hit: [js(`const apiKey = '${chars(ALNUM, 24)}';`), `  "client_secret": "${chars(HEX, 32)}",`, py(`DB_PASSWORD = "Tr0ub4dor&3x"`)],
    miss: [
      js("/**\n * @example\n * const ky = create({ token: 'secret123' });\n */"),
      js("const api = ky.create({ apiKey: 'secret123' });", 'test/main.ts'),
      js("const newToken = 'refreshed-token-123';", 'test/hooks.ts'),
      py('api_key = os.environ["API_KEY"]'),
      js('const token = process.env.GITHUB_TOKEN;'),
      js("const csrfToken = 'a8f5f167f44f4964e6c998dee827110c';"),
      js("const tokenizer = 'gpt2-medium-v3-large';"),
      js("passwordHash: '$2b$12$abcdefghijABCDEFGHIJ12',"),
      `  "client_secret": "${'0'.repeat(32)}",`,
    ],
  },
  'generic-secret-unquoted': {
    hit: [{ path: 'config/app.yaml', text: `  api_key: ${chars(ALNUM, 28)}` }, { path: 'deploy/env.sh', text: `export SIGNING_KEY=${chars(URLSAFE, 32)}` }],
    miss: [{ path: 'config/app.yaml', text: '  api_key: ${API_KEY}' }, py(`api_key=${chars(ALNUM, 28)}`), { path: 'config/app.yaml', text: '  secret_name: prod-db-credentials' }],
  },
  'password-literal': {
    hit: [js("const db = connect({ password: 'hunter7' });"), py('DB_PASS = "Pa55w0"'), js("db_password: 'CorrectHorseBatteryStaple',")],
    miss: [
      js("const db = connect({ password: 'password' });"),
      js("const db = connect({ password: '' });"),
      js('<input type="password" autocomplete="current-password">', 'src/login.html'),
      js("const bypass = 'abcdefg';"),
      js("const password = '<your-password>';"),
      js("password: 'changeme',"),
    ],
  },
  'env-file': {
    hit: [file(addedFile('.env', ['DB_HOST=localhost', 'DB_PASSWORD=hunter7x'])), file(addedFile('api/.env.local', [`STRIPE_SECRET=${chars(ALNUM, 12)}`]))],
    miss: [
      file(addedFile('playground/app/.env.development', ['VITE_API_URL=https://api.example.com', 'VITE_APP_TITLE=Playground', 'DEBUG=true'])),
      file(addedFile('.env.example', ['DB_PASSWORD=changeme', `API_TOKEN=${chars(ALNUM, 12)}`])),
      file({ path: 'app/.env', oldPath: '.env', status: 'renamed', similarity: 100, binary: false, hunks: [], added: 0, removed: 0 }),
    ],
  },
  // code
  'sql-injection': {
    hit: [js('db.query("SELECT * FROM users WHERE id = " + id);'), py('cur.execute(f"SELECT name FROM users WHERE id = {uid}")')],
    miss: [js('// db.query("SELECT * FROM users WHERE id = " + id);'), js('db.query("SELECT * FROM users WHERE id = ?", [id]);'), py('cur.execute("SELECT name FROM users WHERE id = %s", (uid,))')],
  },
  'command-injection': {
    hit: [js("require('child_process').execSync(userInput);"), js('exec(`git log ${ref}`);'), py('os.system(f"rm -rf {path}")'), py('subprocess.run(cmd, shell=True)')],
    miss: [js('// exec(`git log ${ref}`);'), js("const doc = 'call execSync(userInput) to run it';"), js("execFile('git', ['log', ref]);"), py('subprocess.run(["git", "log", ref])'), js('const m = /x/.exec(line);'), js("execSync('git status');")],
  },
  'code-injection': {
    hit: [js('const result = eval(userCode);'), js('const fn = new Function(body);')],
    miss: [
      js("it('escapes', () => expect(render('<img src=x onerror=eval(1)>')).toBe(''));", 'test/render.test.ts'),
      py('model.eval()'),
      js('/**\n * @example\n * eval(code)\n */'),
      js("const payload = 'eval(atob(x))';"),
    ],
  },
  'tls-verification-disabled': {
    hit: [js('const agent = new https.Agent({ rejectUnauthorized: false });'), py('requests.get(url, verify=False)'), { path: 'ci/install.sh', text: 'curl -sSLk https://internal.acme.local/install.sh | sh' }],
    miss: [js('// const agent = new https.Agent({ rejectUnauthorized: false });'), py('requests.get(url, verify="/etc/ssl/acme-ca.pem")'), py('# verify=False is what we must never do')],
  },
  'debugger-statement': { hit: [js('  debugger;')], miss: [js("const s = 'debugger;';"), js('// debugger;'), py('debugger = None')] },
  'console-log': {
    hit: [js('console.log(user);')],
    miss: [js('/**\n * Fetches.\n * @example\n * console.log(await ky.get(url).json());\n */'), js("const hint = 'use console.log(x)';"), js('console.log(user);', 'test/app.test.ts'), js('console.log(done);', 'scripts/build.mjs')],
  },
  'conflict-marker': { hit: [js('<<<<<<< HEAD\nconst a = 1;\n=======\nconst a = 2;\n>>>>>>> feature')], miss: [js('// a <<<<<<< in a comment is not at the line start')] },
  'conflict-separator': { hit: [js('<<<<<<< HEAD\nconst a = 1;\n=======\nconst a = 2;\n>>>>>>> feature')], miss: [{ path: 'README.md', text: 'Title\n=======\n\nText.' }] },
  'large-file': {
    hit: [file(addedFile('src/huge.ts', Array.from({ length: 5001 }, (_, i) => `export const v${i} = ${i};`)))],
    miss: [file(addedFile('package-lock.json', Array.from({ length: 5001 }, () => '{}')))],
  },
};
