// npm run demo: a throw-away repository, the hook installed for real (husky), a commit with planted bugs
// blocked, then the fixed commit going through. The review runs on whatever provider `auto` finds — a local
// Ollama, a cloud key in the environment, or the built-in rules — and the output says which. Nothing is scripted.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const dir = mkdtempSync(path.join(os.tmpdir(), 'codeai-demo-'));
const step = (s) => console.error(`\n\x1b[1m▶ ${s}\x1b[0m`);
const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
const env = { ...process.env, FORCE_COLOR: process.env.NO_COLOR ? undefined : '1' };

try {
  step(`a throw-away repository in ${dir}`);
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Demo');
  git('config', 'user.email', 'demo@example.invalid');
  git('config', 'commit.gpgsign', 'false');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'demo', private: true, devDependencies: { 'codeai-hook': 'file:' + root } }, null, 2) + '\n');
  // What `npm i -D codeai-hook` gives a project, without the download: the package linked into node_modules.
  mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(root, path.join(dir, 'node_modules', 'codeai-hook'), 'dir');
  symlinkSync(path.join('..', 'codeai-hook', 'dist', 'bin.js'), path.join(dir, 'node_modules', '.bin', 'codeai-hook'));
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n');
  git('add', '.');
  git('commit', '-q', '-m', 'chore: start');

  step('npx codeai-hook install');
  run(['node_modules/.bin/codeai-hook', 'install']);

  step('stage a file with planted bugs: SQL built from user input, a hard-coded cloud key, a leftover conflict marker');
  const key = 'AKIA' + 'Z7QWERTYUIOPASDF'; // assembled here so this script itself holds no key-shaped string
  writeFileSync(
    path.join(dir, 'users.js'),
    [
      "const db = require('./db');",
      `const AWS_KEY = '${key}';`,
      '',
      'function findUser(req) {',
      "  return db.query(\"SELECT * FROM users WHERE name = '\" + req.query.name + \"'\");",
      '}',
      '<<<<<<< HEAD',
      'module.exports = { findUser };',
      '=======',
      'module.exports = { findUser, AWS_KEY };',
      '>>>>>>> feature',
      '',
    ].join('\n'),
  );
  git('add', 'users.js');

  step('git commit -m "feat: user lookup"   (the hook reviews the staged change)');
  const blocked = run(['git', 'commit', '-m', 'feat: user lookup']);
  console.error(`\ngit commit exited ${blocked}: ${blocked === 0 ? 'the commit went through' : 'the commit was blocked'}`);

  step('fix the file, stage it, and commit again');
  writeFileSync(
    path.join(dir, 'users.js'),
    [
      "const db = require('./db');",
      '',
      'function findUser(req) {',
      "  return db.query('SELECT * FROM users WHERE name = $1', [req.query.name]);",
      '}',
      '',
      'module.exports = { findUser };',
      '',
    ].join('\n'),
  );
  git('add', 'users.js');
  const passed = run(['git', 'commit', '-m', 'feat: user lookup']);
  console.error(`\ngit commit exited ${passed}: ${passed === 0 ? 'the commit went through' : 'the commit was blocked'}`);
  console.error(git('log', '--oneline'));
  process.exitCode = blocked !== 0 && passed === 0 ? 0 : 1;
} finally {
  if (keep) console.error(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

function run(cmd) {
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd: dir, stdio: 'inherit', env });
  if (r.error) throw new Error(`${cmd.join(' ')} could not start: ${r.error.message} (did 'npm run build' run?)`);
  return r.status ?? 1;
}
