// The terminal report as a real terminal draws it: a script prints renderTerminal() inside an 80-column tmux pane
// and the screen is read back. A line the terminal had to wrap would show up as two screen lines.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderTerminal } from '../../src/report/terminal.js';
import { sampleResult } from './sample.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('tmux is absent from PATH: the real-terminal layout test of renderTerminal is skipped');

const ROOT = process.cwd();
const OPTS = { color: true, width: 80, command: 'run' } as const;

describe('renderTerminal in a real 80-column terminal', () => {
  it.skipIf(!hasTmux)('is drawn without terminal wrapping, grouped by file, verdict last', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codeai-tmux-'));
    const script = join(dir, 'print.mts');
    const url = (path: string) => pathToFileURL(resolve(ROOT, path)).href;
    writeFileSync(
      script,
      [
        `import { renderTerminal } from ${JSON.stringify(url('src/report/terminal.ts'))};`,
        `import { sampleResult } from ${JSON.stringify(url('test/report/sample.ts'))};`,
        `process.stdout.write(renderTerminal(sampleResult(), ${JSON.stringify(OPTS)}));`,
      ].join('\n'),
    );
    // A socket of its own, inside the temporary folder: no clash with other tmux servers, nothing left behind.
    const socket = join(dir, 'tmux.sock');
    const env: NodeJS.ProcessEnv = { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TERM: 'xterm-256color' };
    delete env.TMUX;
    const tmux = (...args: string[]) =>
      execFileSync('tmux', ['-u', '-S', socket, '-f', '/dev/null', ...args], { env, encoding: 'utf8', timeout: 20_000 });
    try {
      // The pane signals when the script is done, and stays open so its screen can be read.
      const run = `node --import tsx ${JSON.stringify(script)}; tmux -S ${JSON.stringify(socket)} wait-for -S printed; sleep 60`;
      tmux('new-session', '-d', '-x', '80', '-y', '50', '-c', ROOT, run);
      tmux('wait-for', 'printed');
      // Plain -p (not -J): a line the terminal wrapped stays two lines.
      const screen = tmux('capture-pane', '-p', '-S', '-').replace(/\n+$/, '').split('\n');

      const expected = renderTerminal(sampleResult(), OPTS)
        .replace(/\x1b\[[0-9;]*m/g, '')
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => l.trimEnd());
      expect(screen).toEqual(expected);

      expect(screen.filter((l) => /^src\//.test(l))).toEqual(['src/config.ts', 'src/api/users.ts', 'src/util/retry.ts']);
      const lines = screen.filter((l) => / line \d+/.test(l)).map((l) => Number(l.match(/ line (\d+)/)?.[1]));
      expect(lines).toEqual([3, 9, 42, 57, 12, 30]);
      expect(screen.at(-4)).toMatch(/^✖ commit blocked: /);
      expect(screen.at(-2)).toMatch(/^fix the findings above/);
    } finally {
      spawnSync('tmux', ['-S', socket, 'kill-server'], { env });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
