import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_HELP, MAIN_HELP } from '../../src/commands/help.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('help texts', () => {
  it('the README holds --help and every command help word for word', () => {
    expect(readme).toContain('```\n' + MAIN_HELP + '```');
    for (const [name, text] of Object.entries(COMMAND_HELP)) {
      expect(readme, name).toContain('```\n' + text + '```');
    }
  });

  it('every command in the main help has its own help, and no more', () => {
    const listed = [...MAIN_HELP.matchAll(/^  ([a-z]+) {2,}/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(COMMAND_HELP).sort());
  });
});
