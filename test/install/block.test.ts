import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendBlock, BLOCK_BEGIN, BLOCK_END, hasBlock, hookCommandLine, isShellScript, removeBlocks, renderBlock, shellQuote } from '../../src/install/block.js';
import { formatLike, huskyCommand, prepareWithHusky, type PackageJson } from '../../src/install/package-json.js';

// The pure parts: the block's text, adding and removing it byte for byte, and package.json edits.

const block = renderBlock('pre-commit', { packageDir: '', runPrevious: false });

describe('the hook block', () => {
  it('is the shipped template: marked, calls codeai-hook run directly, never npx', () => {
    const lines = block.split('\n');
    expect(lines[0]?.startsWith(BLOCK_BEGIN)).toBe(true);
    expect(lines.at(-1)).toBe(BLOCK_END);
    expect(block).toContain('exec codeai-hook run;');
    expect(block).not.toMatch(/npx|&&.*\|\|/);
  });

  it('is valid sh in every form', () => {
    for (const hook of ['pre-commit', 'commit-msg'] as const) {
      for (const runPrevious of [false, true]) {
        const text = renderBlock(hook, { packageDir: "packages/it's app", runPrevious });
        expect(() => execFileSync('sh', ['-n'], { input: text })).not.toThrow();
      }
    }
  });

  it('runs the previous hook first and cds into the package before looking for the binary', () => {
    const text = renderBlock('pre-commit', { packageDir: 'packages/app', runPrevious: true });
    const lines = text.split('\n');
    const previous = lines.findIndex((l) => l.includes('/hooks/pre-commit"; if [ -x "$h" ]; then exec "$h" "$@"; fi) || exit $?'));
    const cd = lines.findIndex((l) => l.startsWith('  cd packages/app 2>/dev/null ||'));
    const lookup = lines.findIndex((l) => l.includes('command -v codeai-hook'));
    expect(previous).toBe(2);
    expect(cd).toBeGreaterThan(previous);
    expect(lookup).toBe(cd + 2);
  });

  it('ends before Node starts when nothing is staged: plumbing that no diff config or submodule setting hides a change from', () => {
    const nothingStaged = 'git --no-replace-objects diff-index --quiet --cached --ignore-submodules=none HEAD -- 2>/dev/null && exit 0';
    const lines = renderBlock('pre-commit', { packageDir: 'packages/app', runPrevious: false }).split('\n');
    expect(lines.indexOf(`  ${nothingStaged}`)).toBeGreaterThan(0);
    expect(lines.indexOf(`  ${nothingStaged}`)).toBeLessThan(lines.findIndex((l) => l.includes('command -v codeai-hook')));
    // The hook managers' one-line form has it too; commit-msg checks a message even when nothing is staged.
    // Asked before node_modules/.bin goes on PATH: no `git` a dependency ships there answers it.
    expect(lines.indexOf(`  ${nothingStaged}`)).toBeLessThan(lines.findIndex((l) => l.includes('node_modules/.bin')));
    expect(hookCommandLine('pre-commit', { packageDir: '' })).toMatch(new RegExp(`^${nothingStaged.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}; PATH=.*; if command -v codeai-hook`));
    expect(renderBlock('commit-msg', { packageDir: '', runPrevious: false })).not.toContain('diff-index');
  });

  it('quotes words for sh so nothing in them expands', () => {
    expect(shellQuote('packages/app')).toBe('packages/app');
    const word = `it's $(rm -rf x) "app"`;
    expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(word)}`]).toString()).toBe(word);
  });

  it('comes off again leaving the exact text it was added to', () => {
    const line = fc.stringMatching(/^[^\n]*$/).filter((l) => !l.startsWith('# >>> codeai-hook'));
    const file = fc.tuple(fc.array(line, { maxLength: 6 }), fc.boolean()).map(([ls, nl]) => ls.join('\n') + (nl && ls.length ? '\n' : ''));
    fc.assert(
      fc.property(file, (text) => {
        const added = appendBlock(text, block);
        expect(hasBlock(added)).toBe(true);
        expect(added.endsWith('\n')).toBe(text === '' || text.endsWith('\n'));
        expect(removeBlocks(added)).toEqual({ text });
      }),
    );
  });

  it('is left alone when its end line is gone, and reported absent when there is none', () => {
    expect(removeBlocks(`a\n${BLOCK_BEGIN}\nx\n`)).toEqual({ error: 'no-end' });
    expect(removeBlocks('a\nb\n')).toEqual({ error: 'no-block' });
    expect(removeBlocks(`a\n${block}\nb\n`)).toEqual({ text: 'a\nb\n' });
  });

  it('is only appended to sh-family scripts', () => {
    expect(isShellScript('npm test\n')).toBe(true);
    expect(isShellScript('#!/bin/sh\n')).toBe(true);
    expect(isShellScript('#!/usr/bin/env bash\n')).toBe(true);
    expect(isShellScript('#!/usr/bin/env python3\n')).toBe(false);
    expect(isShellScript('#!/usr/bin/node\n')).toBe(false);
  });
});

describe('package.json edits', () => {
  const pkg = (text: string): PackageJson => ({ file: '/p/package.json', text, data: JSON.parse(text) });

  it('keeps indent, line endings, BOM and the final newline', () => {
    expect(formatLike('{\n    "a": 1\n}', { a: 1, b: 2 })).toBe('{\n    "a": 1,\n    "b": 2\n}');
    expect(formatLike('\uFEFF{\r\n\t"a": 1\r\n}\r\n', { a: 2 })).toBe('\uFEFF{\r\n\t"a": 2\r\n}\r\n');
  });

  it('gives husky the folder relative to the top, from where .git is', () => {
    expect(huskyCommand('/r', '/r', '/r/.husky')).toBe('husky');
    expect(huskyCommand('/r', '/r', '/r/tools/hooks')).toBe('husky tools/hooks');
    expect(huskyCommand('/r/frontend', '/r', '/r/frontend/.husky')).toBe('cd .. && husky frontend/.husky');
  });

  it('adds husky to prepare once', () => {
    expect(prepareWithHusky(pkg('{}'), 'husky')).toBe('husky');
    expect(prepareWithHusky(pkg('{"scripts":{"prepare":"tsc"}}'), 'husky')).toBe('tsc && husky');
    expect(prepareWithHusky(pkg('{"scripts":{"prepare":"husky install"}}'), 'husky')).toBeNull();
    expect(() => prepareWithHusky(pkg('{"scripts":{"prepare":1}}'), 'husky')).toThrow(/"scripts.prepare" in \/p\/package.json is not a string/);
  });
});
