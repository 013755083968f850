// On GitHub Actions the runner executes workflow commands found in a step's stdout and stderr. Through the built
// CLI, with hostile file names, code and model messages, every line printed is read with the runner's grammar
// (test/report/runner-grammar.ts): the only commands are our own annotations, one per finding plus the verdict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeServer } from '../fakes/index.js';
import { parseRunnerLine, hasGitlabSection } from '../report/runner-grammar.js';
import { TestRepo } from './harness.js';

const HOSTILE = ['::stop-commands::codeai', '##[add-mask]hunter2', ':\u200B:set-output name=x::y', '\x1b[0Ksection_start:1:evil\r\x1b[0Kx'];

let ollama: FakeServer;
let repo: TestRepo;
beforeAll(async () => {
  ollama = await startFakeOllama({ models: ['m'] });
  repo = TestRepo.installed({ config: `provider: ollama\nmodel: m\nbaseURL: ${ollama.url}\n` });
  repo.write('src##[add-mask]x.js', 'console.log("##[set-output name=leak]value");\n');
  repo.write('src/app.js', 'export const a = 1;\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'hostile');
  ollama.setDefault((req) => {
    const file = /File: (\S+)/.exec(JSON.stringify(req.body))?.[1] ?? 'src/app.js';
    return {
      findings: [{ file, line: 1, severity: 'high', category: 'bug', title: HOSTILE.join(' '), message: HOSTILE.join('\n'), suggestion: HOSTILE.join('\n') }],
    };
  });
});
afterAll(async () => {
  repo?.cleanup();
  await ollama?.close();
});

const GITHUB = { GITHUB_ACTIONS: 'true', FORCE_COLOR: '1' };

describe('under GITHUB_ACTIONS=true', () => {
  it('ci with every format: stderr has no command; stdout has only our annotations', async () => {
    const r = await repo.cliAsync(['ci', '--base', 'HEAD~1', '--verbose', '--format', 'terminal,github,json,sarif,markdown', '--output', 'out'], { env: GITHUB });
    expect(r.code).toBe(1);
    // The people's report is the product when the machine reports go to files: stdout, beside the annotations.
    expect(r.stdout).toContain('BLOCKS'); // the report was printed, hostile text and all
    const stderrCommands = r.stderr.split('\n').filter((l) => parseRunnerLine(l) !== null);
    expect(stderrCommands).toEqual([]);
    const commands = r.stdout.split('\n').filter((l) => parseRunnerLine(l) !== null);
    expect(commands.length).toBeGreaterThan(1);
    // Every command on stdout is one of our own annotations, the very lines of the github report.
    expect(commands).toEqual(repo.read('out/codeai.github.txt').trimEnd().split('\n'));
    expect(hasGitlabSection(r.stdout + r.stderr)).toBe(false);
  });

  it('json, sarif and markdown on stdout: no line is a command', async () => {
    for (const format of ['json', 'sarif', 'markdown']) {
      const r = await repo.cliAsync(['review', '--base', 'HEAD~1', '--format', format], { env: GITHUB });
      expect(r.stdout.length, format).toBeGreaterThan(100);
      const commands = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => parseRunnerLine(l) !== null);
      expect(commands, format).toEqual([]);
    }
  });

  it('run and explain print model text too: still no command', async () => {
    repo.write('src/b.js', 'export const b = 2;\n');
    repo.git('add', '-A');
    for (const args of [['run', '--verbose'], ['explain']]) {
      const r = await repo.cliAsync(args, { env: GITHUB });
      const commands = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => parseRunnerLine(l) !== null);
      expect(commands, args.join(' ')).toEqual([]);
    }
  });
});
