// A GitHub Actions runner, simulated for action.yml: each step's `run` with its `env`, the ${{ }} expressions it
// uses filled in from the inputs, github.action_path and earlier steps' outputs, and the runner's files
// (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH). An expression or condition this simulator does not know
// throws, so action.yml cannot grow one untested.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { expect } from 'vitest';
import { ROOT } from './harness.js';

interface Step {
  id?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  runs: { using: string; steps: Step[] };
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
}

export const action = yaml.load(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;

export interface RunnerResult {
  outputs: Record<string, string>;
  summary: string;
  stdout: string;
  stderr: string;
  /** The job's status: the first step that failed, with its exit code; 0 when all passed. */
  jobExit: number;
  uploaded: { sarif_file: string; category: string } | null;
}

/** Runs action.yml's steps for `inputs`, in `workspace`, for the pull request event `event`. */
export function runAction(workspace: string, inputs: Record<string, string>, baseEnv: NodeJS.ProcessEnv, event: object): RunnerResult {
  const runner = path.join(path.dirname(workspace), `runner-${Date.now()}-${Math.random().toString(16).slice(2)}`);
  mkdirSync(runner, { recursive: true });
  const files = { GITHUB_OUTPUT: path.join(runner, 'output'), GITHUB_STEP_SUMMARY: path.join(runner, 'summary'), GITHUB_EVENT_PATH: path.join(runner, 'event.json') };
  writeFileSync(files.GITHUB_OUTPUT, '');
  writeFileSync(files.GITHUB_STEP_SUMMARY, '');
  writeFileSync(files.GITHUB_EVENT_PATH, JSON.stringify(event));
  const given = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, inputs[k] ?? v.default ?? '']));
  const stepOutputs: Record<string, Record<string, string>> = {};

  const expr = (e: string): string => {
    let m: RegExpExecArray | null;
    if ((m = /^inputs\.([\w-]+)$/.exec(e))) {
      if (!(m[1]! in given)) throw new Error(`action.yml reads an undeclared input: ${e}`);
      return given[m[1]!]!;
    }
    if (e === 'github.action_path') return ROOT;
    if ((m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(e))) return stepOutputs[m[1]!]?.[m[2]!] ?? '';
    throw new Error(`the runner simulation does not know the expression '${e}'`);
  };
  const expand = (text: string) => text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, e: string) => expr(e));
  const condition = (text: string | undefined): boolean => {
    if (text === undefined) return jobExit === 0;
    const inner = text.replace(/^\$\{\{\s*|\s*\}\}$/g, '');
    return inner.split('&&').every((term) => {
      const t = term.trim();
      if (t === 'always()') return true;
      const m = /^(\S+)\s*(==|!=)\s*'([^']*)'$/.exec(t);
      if (!m) throw new Error(`the runner simulation does not know the condition '${t}'`);
      return (expr(m[1]!) === m[3]) === (m[2] === '==');
    });
  };

  let jobExit = 0;
  let stdout = '';
  let stderr = '';
  let uploaded: RunnerResult['uploaded'] = null;
  expect(action.runs.using).toBe('composite');
  for (const step of action.runs.steps) {
    if (!condition(step.if)) continue;
    if (step.uses) {
      expect(step.uses).toMatch(/^github\/codeql-action\/upload-sarif@v\d+$/);
      uploaded = { sarif_file: expand(step.with!.sarif_file!), category: expand(step.with!.category!) };
      continue;
    }
    expect(step.shell).toBe('bash');
    writeFileSync(files.GITHUB_OUTPUT, '');
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v)]));
    const r = spawnSync('bash', ['-e', '-c', expand(step.run!)], {
      cwd: workspace,
      env: { ...baseEnv, ...files, GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace, RUNNER_TEMP: runner, ...stepEnv },
      encoding: 'utf8',
    });
    stdout += r.stdout;
    stderr += r.stderr;
    if (step.id) {
      stepOutputs[step.id] = Object.fromEntries(
        readFileSync(files.GITHUB_OUTPUT, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
    }
    if (r.status !== 0 && jobExit === 0) jobExit = r.status ?? 1;
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, expand(v.value)]));
  return { outputs, summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'), stdout, stderr, jobExit, uploaded };
}

