import { describe, expect, it } from 'vitest';
import {
  describeInstructions,
  instructionsFor,
  isInstructionFile,
  loadTeamInstructions,
  type InstructionReader,
} from '../../src/review/team-instructions.js';

const AWS_KEY = 'AKIA' + 'QYLPMN5HFIQR7BLZ';

function reader(files: Record<string, string>): InstructionReader {
  return {
    read: async (p) => files[p] ?? null,
    list: async (dir) => Object.keys(files).filter((p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/')),
  };
}

describe('loadTeamInstructions', () => {
  it('reads a listed file set several at a time, never more than eight at once, and uses them in the listed order', async () => {
    const paths = Array.from({ length: 20 }, (_, i) => `docs/rule-${String(i).padStart(2, '0')}.md`);
    let reading = 0;
    let most = 0;
    const slow: InstructionReader = {
      read: async (p) => {
        most = Math.max(most, ++reading);
        // Later files answer first: the order of use must not follow the order of answers.
        await new Promise((resolve) => setTimeout(resolve, 20 - Number(p.slice(10, 12))));
        reading--;
        return `Rule ${p.slice(10, 12)}.`;
      },
      list: async () => [],
    };
    const team = await loadTeamInstructions(slow, paths);
    expect(team.files.map((f) => f.path)).toEqual(paths);
    expect(most).toBe(8);
  });

  it('reads the known files, most general first, then Cursor and Copilot rule files in name order', async () => {
    const team = await loadTeamInstructions(
      reader({
        '.github/instructions/z.instructions.md': '---\napplyTo: "**/*.py"\n---\nUse type hints.',
        '.cursorrules': 'Prefer const.',
        'CLAUDE.md': 'Never throw in src/core.',
        'AGENTS.md': '# Conventions\nUse Result types.',
        '.cursor/rules/b.mdc': '---\nalwaysApply: true\n---\nNo default exports.',
        '.cursor/rules/a.mdc': '---\ndescription: React\nglobs: *.tsx, src/ui/**\nalwaysApply: false\n---\nHooks at the top.',
        '.github/copilot-instructions.md': 'Tests beside the code.',
        'docs/AGENTS.md': 'not read: only the top level',
      }),
      true,
    );
    expect(team.files.map((f) => [f.path, f.applyTo])).toEqual([
      ['AGENTS.md', undefined],
      ['CLAUDE.md', undefined],
      ['.github/copilot-instructions.md', undefined],
      ['.cursorrules', undefined],
      ['.cursor/rules/a.mdc', ['*.tsx', 'src/ui/**']],
      ['.cursor/rules/b.mdc', undefined],
      ['.github/instructions/z.instructions.md', ['**/*.py']],
    ]);
    expect(team.files.find((f) => f.path === '.cursor/rules/b.mdc')?.text).toBe('No default exports.');
  });

  it('leaves out rules only an agent picks (no globs, no alwaysApply; no applyTo), saying why', async () => {
    const team = await loadTeamInstructions(
      reader({ '.cursor/rules/x.mdc': '---\ndescription: when asked\n---\nbody', '.github/instructions/y.instructions.md': 'no frontmatter' }),
      true,
    );
    expect(team.files).toEqual([]);
    expect(team.skipped.map((s) => s.path)).toEqual(['.cursor/rules/x.mdc', '.github/instructions/y.instructions.md']);
  });

  it('holds the whole to the budget: a file is cut at a line, the next ones are skipped and listed', async () => {
    const long = Array.from({ length: 100 }, (_, i) => `rule ${i}: ${'x'.repeat(40)}`).join('\n');
    const team = await loadTeamInstructions(reader({ 'AGENTS.md': long, 'CLAUDE.md': 'short' }), true, 1000);
    expect(team.files).toHaveLength(1);
    expect(team.files[0]!.truncated).toBe(true);
    expect(team.files[0]!.text.length).toBeLessThanOrEqual(1000);
    expect(team.files[0]!.text.endsWith('x')).toBe(true);
    expect(team.skipped).toEqual([{ path: 'CLAUDE.md', reason: 'over the 1000-character budget for instruction files' }]);
    expect(describeInstructions(team)[0]).toMatch(/^AGENTS\.md \(\d+ of \d+ chars, cut to the budget\)$/);
  });

  it('masks a secret pasted into an instruction file, as in a diff', async () => {
    const team = await loadTeamInstructions(reader({ 'CLAUDE.md': `Deploy with key ${AWS_KEY} to staging.` }), true);
    expect(team.files[0]!.text).not.toContain(AWS_KEY);
    expect(team.files[0]!.text).toContain('[REDACTED:');
  });

  it('false reads nothing; a list reads exactly those files and names a missing one', async () => {
    const files = reader({ 'AGENTS.md': 'a', 'docs/review.md': 'Check SQL.' });
    expect(await loadTeamInstructions(files, false)).toEqual({ files: [], skipped: [] });
    const listed = await loadTeamInstructions(files, ['docs/review.md', 'NOPE.md']);
    expect(listed.files.map((f) => f.path)).toEqual(['docs/review.md']);
    expect(listed.skipped).toEqual([{ path: 'NOPE.md', reason: 'not found (instructionFiles lists it)' }]);
  });
});

describe('instructionsFor', () => {
  it('gives every unit the general files, and a scoped one only to units holding a matching file', async () => {
    const team = await loadTeamInstructions(
      reader({ 'AGENTS.md': 'General.', '.cursor/rules/ui.mdc': '---\nglobs: *.tsx\n---\nHooks at the top.' }),
      true,
    );
    const ts = instructionsFor(team, ['src/core/a.ts']);
    expect(ts).toHaveLength(1);
    expect(ts[0]).toMatch(/^From AGENTS\.md \(written for coding agents: apply what it says about the code; ignore steps about running tools, commits or workflow\):\nGeneral\.$/);
    const tsx = instructionsFor(team, ['src/core/a.ts', 'web/ui/Button.tsx']);
    expect(tsx[1]).toMatch(/^From \.cursor\/rules\/ui\.mdc, for files matching \*\.tsx \(/);
  });

  it('knows which paths are instruction files', () => {
    expect(['AGENTS.md', '.cursor/rules/a.mdc', '.github/instructions/x.instructions.md'].every(isInstructionFile)).toBe(true);
    expect(['docs/AGENTS.md', '.cursor/rules/sub/a.mdc', 'README.md'].some(isInstructionFile)).toBe(false);
  });
});
