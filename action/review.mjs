// The GitHub Action's review step (action.yml): finds or installs the packaged codeai-hook, runs `codeai-hook ci`
// on the change the event describes, and writes the step's outputs. It always exits 0 so that the SARIF upload
// still runs; action.yml's last step fails the job with ci's exit code. Plain Node, no dependencies: it runs from
// the action's checkout, which is never built.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const env = process.env;
const input = (name) => (env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] ?? '').trim();
const log = (line) => process.stderr.write(`codeai-hook action: ${line}\n`);

/** name=value lines for GITHUB_OUTPUT; values here are numbers, words and paths without newlines. */
function setOutputs(outputs) {
  const text = Object.entries(outputs)
    .map(([k, v]) => `${k}=${String(v).replace(/[\r\n]/g, ' ')}\n`)
    .join('');
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, text);
  else process.stdout.write(text);
}

/** The base of the change: the input, else what the event says (pull request, merge queue, push). */
function baseFromEvent() {
  if (!env.GITHUB_EVENT_PATH || !existsSync(env.GITHUB_EVENT_PATH)) return '';
  let event;
  try {
    event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
  } catch {
    return '';
  }
  const candidates = [event?.pull_request?.base?.sha, event?.merge_group?.base_sha, event?.before];
  return candidates.find((sha) => typeof sha === 'string' && /^[0-9a-f]{7,64}$/i.test(sha) && !/^0+$/.test(sha)) ?? '';
}

/** The project's own codeai-hook (pinned by its lockfile), else the package installed for this run. */
function binary(workspace) {
  const own = path.join(workspace, 'node_modules', '.bin', 'codeai-hook');
  if (existsSync(own)) {
    log(`using the project's ${path.relative(workspace, own)}`);
    return own;
  }
  const actionPath = env.CODEAI_ACTION_PATH || path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const version = JSON.parse(readFileSync(path.join(actionPath, 'package.json'), 'utf8')).version;
  const spec = input('package') || `codeai-hook@${version}`;
  const prefix = path.join(env.RUNNER_TEMP || os.tmpdir(), 'codeai-hook-action');
  mkdirSync(prefix, { recursive: true });
  log(`installing ${spec} (the project has no node_modules/.bin/codeai-hook; run npm ci first to use its own)`);
  const npm = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', prefix, spec], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const bin = path.join(prefix, 'node_modules', '.bin', 'codeai-hook');
  if (npm.status !== 0 || !existsSync(bin)) return null;
  return bin;
}

function main() {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const uploadSarif = input('upload-sarif') === 'true';
  const formats = new Set((input('format') || 'terminal,github,markdown').split(',').map((f) => f.trim()).filter(Boolean));
  formats.add('json');
  if (uploadSarif) formats.add('sarif');
  const outDir = path.resolve(workspace, input('output') || 'codeai-report');
  const base = input('base') || baseFromEvent();

  const bin = binary(workspace);
  if (!bin) {
    log('could not install codeai-hook: see npm\'s message above');
    setOutputs({ verdict: 'error', findings: 0, 'exit-code': 2, 'report-dir': outDir, 'sarif-file': '' });
    return;
  }
  const args = ['ci', '--format', [...formats].join(','), '--output', outDir, ...(base ? ['--base', base] : [])];
  const failOn = input('fail-on');
  const ci = spawnSync(bin, args, {
    cwd: workspace,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...env, ...(failOn ? { CODEAI_FAIL_ON: failOn } : {}) },
  });
  const code = ci.status ?? 2;

  let verdict = 'error';
  let findings = 0;
  const json = path.join(outDir, 'codeai.json');
  if (existsSync(json) && code !== 2) {
    const report = JSON.parse(readFileSync(json, 'utf8'));
    verdict = report.verdict.blocked ? 'blocked' : report.incomplete ? 'incomplete' : 'passed';
    findings = report.findings.length;
  }
  const sarif = path.join(outDir, 'codeai.sarif');
  setOutputs({
    verdict,
    findings,
    'exit-code': code,
    'report-dir': outDir,
    'sarif-file': uploadSarif && existsSync(sarif) ? sarif : '',
  });
}

main();
