import { describe, expect, it } from 'vitest';
import { renderTerminal, type TerminalOptions } from '../../src/report/terminal.js';
import type { ReviewResult } from '../../src/types.js';
import { finding, result } from '../report/sample.js';

const FIX = { startLine: 10, endLine: 10, replacement: '  if (err) return done(err);\n', original: '  done();\n' };

function render(r: ReviewResult, over: Partial<TerminalOptions> = {}): string {
  return renderTerminal(r, { color: false, width: 100, command: 'run', ...over });
}

describe('terminal: fixes', () => {
  it('marks a fixable finding; --verbose shows the lines the fix removes and writes', () => {
    const r = result([finding({ fix: FIX, title: 'Error ignored' }), finding({ line: 30, title: 'No fix here' })]);
    const plain = render(r);
    expect(plain).toMatch(/Error ignored fixable/);
    expect(plain).not.toMatch(/No fix here fixable/);
    expect(plain).not.toContain('+   if (err)');
    const verbose = render(r, { verbose: true });
    expect(verbose).toContain('fix, line 10:');
    expect(verbose).toMatch(/- {3}done\(\);/);
    expect(verbose).toMatch(/\+ {3}if \(err\) return done\(err\);/);
  });

  it('a blocked commit names codeai-hook fix when a blocking finding is fixable, and only then', () => {
    const fixable = render(result([finding({ fix: FIX, severity: 'high' }), finding({ line: 30, severity: 'high' })], { blocking: [0, 1] }));
    expect(fixable).toMatch(/codeai-hook fix applies 1 suggested fix to your work tree \(not the index\), to review and stage with\s+git add -p/);
    const notBlocking = render(result([finding({ severity: 'high' }), finding({ line: 30, fix: FIX, severity: 'low' })], { blocking: [0] }));
    expect(notBlocking).not.toContain('codeai-hook fix');
    expect(render(result([finding({ fix: FIX })], { blocking: [0] }), { command: 'ci' })).not.toContain('codeai-hook fix');
  });

  it('counts dropped fixes, and --verbose says why each was dropped', () => {
    const r = result([finding()], { droppedFixes: [{ file: 'src/app.ts', line: 10, reason: 'line 10 no longer matches the staged content' }] });
    expect(render(r)).toContain('1 suggested fix dropped; --verbose says why');
    expect(render(r, { verbose: true })).toContain('fix dropped: src/app.ts:10 — line 10 no longer matches the staged content');
    expect(render(r, { quiet: true })).not.toContain('dropped');
  });

  it('shows replacement text inert: control characters as symbols', () => {
    const out = render(result([finding({ fix: { ...FIX, replacement: 'x\u0007y\n' } })]), { verbose: true });
    expect(out).not.toContain('\u0007');
  });
});

describe('agent report: fixes', () => {
  it('tells a coding agent the command that applies a finding’s fix', async () => {
    const { renderAgent } = await import('../../src/report/agent.js');
    const out = renderAgent(result([finding({ file: 'src/my app.ts', fix: FIX })], { blocking: [0] }), { command: 'run' });
    expect(out).toContain("autofix: codeai-hook fix 'src/my app.ts:10' --yes writes the suggested change to the work tree (not the index)");
    expect(renderAgent(result([finding()]), { command: 'run' })).not.toContain('autofix:');
  });
});
