// The text edits of hook managers' configs: our block lands where the tool reads it, every other byte stays, and
// removing the block gives the file back exactly. What cannot be placed safely is refused with the lines to add.
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { removeBlocks } from '../../src/install/block.js';
import { lefthookRun, planLefthookConfig } from '../../src/install/lefthook-config.js';
import { planPreCommitConfig, preCommitEntry } from '../../src/install/pre-commit-config.js';
import { planSimpleGitHooks, undoSimpleGitHooks } from '../../src/install/simple-git-hooks.js';

const opts = { packageDir: '', globalBinary: false };
const pc = { ...opts, stageName: 'pre-commit' as const };

function restored(after: string): string {
  const r = removeBlocks(after);
  if ('error' in r) throw new Error(r.error);
  return r.text;
}

const TEAM_CONFIG = `# our checks
default_stages: [pre-commit]
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.6.0
    hooks:
      - id: trailing-whitespace   # keep
  - repo: local
    hooks:
      - id: no-fixme
        name: no FIXME
        entry: 'FIXME'
        language: pygrep

ci:
  autofix_prs: false
`;

describe('.pre-commit-config.yaml', () => {
  it('appends a repo: local entry at the end of repos:, before the next key; removing it restores every byte', () => {
    const after = planPreCommitConfig(TEAM_CONFIG, '.pre-commit-config.yaml', ['pre-commit'], pc)!;
    const config = yaml.load(after) as any;
    expect(config.repos).toHaveLength(3);
    expect(config.repos[2]).toEqual({
      repo: 'local',
      hooks: [
        {
          id: 'codeai-hook',
          name: 'codeai-hook (AI code review)',
          entry: preCommitEntry('pre-commit', pc),
          language: 'system',
          pass_filenames: false,
          always_run: true,
          verbose: true,
          stages: ['pre-commit'],
        },
      ],
    });
    expect(config.ci).toEqual({ autofix_prs: false });
    expect(after.indexOf('codeai-hook')).toBeLessThan(after.indexOf('\nci:'));
    expect(restored(after)).toBe(TEAM_CONFIG);
    // A second install finds it there.
    expect(planPreCommitConfig(after, 'f', ['pre-commit'], pc)).toBeNull();
  });

  it('follows the list items\' indentation, also at column 0, and a file without a final newline', () => {
    const compact = 'repos:\n- repo: local\n  hooks:\n  - id: x\n    name: x\n    entry: x\n    language: system';
    const after = planPreCommitConfig(compact, 'f', ['pre-commit', 'commit-msg'], pc)!;
    const config = yaml.load(after) as any;
    expect(config.repos.map((r: any) => r.repo)).toEqual(['local', 'local']);
    expect(config.repos[1].hooks.map((h: any) => [h.id, h.stages])).toEqual([
      ['codeai-hook', ['pre-commit']],
      ['codeai-hook-commit-msg', ['commit-msg']],
    ]);
    // The commit-msg hook takes the message file from pre-commit (pass_filenames stays on).
    expect(config.repos[1].hooks[1].pass_filenames).toBeUndefined();
    expect(after.endsWith('\n')).toBe(false);
    expect(restored(after)).toBe(compact);
  });

  it("uses pre-commit < 3.2's stage name when told to", () => {
    const after = planPreCommitConfig('repos: []\n'.replace(' []', '\n  - repo: local\n    hooks: []'), 'f', ['pre-commit'], { ...opts, stageName: 'commit' })!;
    expect((yaml.load(after) as any).repos[1].hooks[0].stages).toEqual(['commit']);
  });

  it('is already there when the config uses the codeai-hook repository by its hook ids', () => {
    const remote = 'repos:\n  - repo: https://example.invalid/codeai-hook\n    rev: v1\n    hooks:\n      - id: codeai-hook\n';
    expect(planPreCommitConfig(remote, 'f', ['pre-commit'], pc)).toBeNull();
  });

  it.each([
    ['flow-style repos', 'repos: [{repo: local, hooks: []}]\n', /flow style.*by hand:\n- repo: local\n  hooks:\n    - id: codeai-hook/s],
    ['no repos', 'default_stages: [pre-commit]\n', /has no repos: list.*by hand/s],
    ['bad YAML', 'repos:\n  - repo: [\n', /is not valid YAML/],
  ])('refuses %s, saying what to add by hand', (_what, text, message) => {
    expect(() => planPreCommitConfig(text, '.pre-commit-config.yaml', ['pre-commit'], pc)).toThrow(UsageError);
    expect(() => planPreCommitConfig(text, '.pre-commit-config.yaml', ['pre-commit'], pc)).toThrow(message);
  });

  it('the entry survives hostile package folders: pre-commit splits it back into sh -c and our one line', () => {
    const entry = preCommitEntry('pre-commit', { ...pc, packageDir: `apps/it's "web" $(x)` });
    expect(entry.startsWith("sh -c '")).toBe(true);
    expect(entry.endsWith("' codeai-hook")).toBe(true);
    const after = planPreCommitConfig('repos:\n  - repo: local\n    hooks: []\n', 'f', ['pre-commit'], { ...pc, packageDir: `apps/it's "web" $(x)` })!;
    expect((yaml.load(after) as any).repos[1].hooks[0].entry).toBe(entry);
  });
});

describe('lefthook.yml', () => {
  it('adds a whole pre-commit section when there is none; removing it restores the file', () => {
    const text = 'pre-push:\n  commands:\n    test:\n      run: npm test\n';
    const after = planLefthookConfig(text, 'lefthook.yml', ['pre-commit'], opts)!;
    expect((yaml.load(after) as any)['pre-commit']).toEqual({ commands: { 'codeai-hook': { run: lefthookRun('pre-commit', opts) } } });
    expect(restored(after)).toBe(text);
  });

  it('adds a command beside the existing ones, at their indentation, keeping parallel and the rest', () => {
    const text = 'pre-commit:\n    parallel: true\n    commands:\n        lint:\n            run: eslint {staged_files}\n\n# done\n';
    const after = planLefthookConfig(text, 'f', ['pre-commit', 'commit-msg'], opts)!;
    const config = yaml.load(after) as any;
    expect(config['pre-commit'].parallel).toBe(true);
    expect(Object.keys(config['pre-commit'].commands)).toEqual(['lint', 'codeai-hook']);
    expect(config['commit-msg'].commands['codeai-hook'].run).toMatch(/^sh -c '.*--commit-msg "\$msg".*' codeai-hook \{1\}$/);
    expect(restored(after)).toBe(text);
    expect(planLefthookConfig(after, 'f', ['pre-commit', 'commit-msg'], opts)).toBeNull();
  });

  it('adds a job to jobs: (lefthook 1.10+), and commands: to a section that has neither', () => {
    const jobs = 'pre-commit:\n  jobs:\n    - name: lint\n      run: eslint\n';
    expect((yaml.load(planLefthookConfig(jobs, 'f', ['pre-commit'], opts)!) as any)['pre-commit'].jobs.map((j: any) => j.name)).toEqual(['lint', 'codeai-hook']);
    const bare = 'pre-commit:\n  parallel: true\npre-push:\n  commands: {}\n';
    const after = planLefthookConfig(bare, 'f', ['pre-commit'], opts)!;
    expect((yaml.load(after) as any)['pre-commit']).toEqual({ parallel: true, commands: { 'codeai-hook': { run: lefthookRun('pre-commit', opts) } } });
    expect(restored(after)).toBe(bare);
  });

  it('refuses a flow-style section, saying what to add', () => {
    expect(() => planLefthookConfig('pre-commit: {commands: {}}\n', 'lefthook.yml', ['pre-commit'], opts)).toThrow(/flow style.*by hand:\npre-commit:\n  commands:\n    codeai-hook:/s);
  });
});

describe('simple-git-hooks config', () => {
  it("joins the hook's command after the team's own, and takes only ours back out", () => {
    const text = '{\n  "name": "app",\n  "simple-git-hooks": {\n    "pre-commit": "npx lint-staged"\n  }\n}\n';
    const plan = planSimpleGitHooks({ kind: 'simple-git-hooks', file: 'package.json', key: 'simple-git-hooks' }, text, ['pre-commit', 'commit-msg'], opts)!;
    const config = JSON.parse(plan.text)['simple-git-hooks'];
    expect(config['pre-commit']).toMatch(/^npx lint-staged && \(.*codeai-hook run.*\)$/);
    expect(config['commit-msg']).toContain('--commit-msg "$msg"');
    // Edited since (another hook added): ours come out, theirs stay.
    const edited = JSON.stringify({ ...JSON.parse(plan.text), 'simple-git-hooks': { ...config, 'pre-push': 'npm test' } }, null, 2) + '\n';
    const undone = undoSimpleGitHooks(edited, 'simple-git-hooks', plan.edits);
    expect(JSON.parse(undone.text)['simple-git-hooks']).toEqual({ 'pre-commit': 'npx lint-staged', 'pre-push': 'npm test' });
    expect(undone.left).toEqual([]);
  });
});
