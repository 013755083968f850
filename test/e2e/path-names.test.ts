// A staged key is found whatever bytes its file's name holds: line terminators, quotes, backslashes, glob
// characters, a leading dash, escape characters and bytes that are not UTF-8, in a text file or in one git's
// attributes call binary. Real git, real index, the same steps `run` takes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryContentForScan } from '../../src/session/blob-scan.js';
import { stagedDiff } from '../../src/git/diff.js';
import { openRepo, type Repo } from '../../src/git/repo.js';
import { reviewDiff } from '../../src/pipeline.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';

const KEY = 'AKIA' + 'QYLPMN5HFIQR7BLZ';
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
let dir: string;
let repo: Repo;
const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { ...env, HOME: dir }, stdio: 'pipe' });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'codeai-names-'));
  git('init', '-q', '-b', 'main');
  git('commit', '-q', '--allow-empty', '-m', 'start');
  repo = await openRepo(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bytes a file name may hold on Linux and in git (anything but NUL and '/'), weighted towards the awkward ones. */
const nameByte = fc.oneof(
  fc.constantFrom(...[...'aZ9-_. "\'\\*?[]{}!$`#%&()+,;=@^~|<>'].map((c) => [c.charCodeAt(0)])),
  fc.constantFrom([0x0a], [0x0d], [0x09], [0x1b], [0x7f], [0xe2, 0x80, 0xa8], [0xe2, 0x80, 0xa9], [0xc3, 0xa9], [0xff], [0xfe, 0x80], [0xc3]),
  fc.integer({ min: 1, max: 255 }).filter((b) => b !== 0x2f).map((b) => [b]),
);
const segment = fc
  .array(nameByte, { minLength: 1, maxLength: 6 })
  .map((parts) => Buffer.from(parts.flat()))
  .filter((b) => !['.', '..'].includes(b.toString('latin1')) && b.toString('latin1').toLowerCase() !== '.git');
const name = fc.array(segment, { minLength: 1, maxLength: 3 });

describe('a staged key is found under any file name', () => {
  it('in text files and in files git calls binary', async () => {
    await fc.assert(
      fc.asyncProperty(name, fc.boolean(), async (segments, binary) => {
        const file = Buffer.concat(segments.flatMap((s, i) => (i === 0 ? [s] : [Buffer.from('/'), s])));
        const abs = Buffer.concat([Buffer.from(`${dir}/`), file]);
        git('read-tree', '--empty');
        for (let i = 1; i < segments.length; i++) mkdirSync(Buffer.concat([Buffer.from(`${dir}/`), ...segments.slice(0, i).flatMap((s, j) => (j === 0 ? [s] : [Buffer.from('/'), s]))]), { recursive: true });
        writeFileSync(abs, `const k = "${KEY}";\n`);
        if (binary) writeFileSync(path.join(dir, '.gitattributes'), '* -diff\n');
        try {
          git('add', '-A');
          const files = await stagedDiff(repo, 3);
          const scanContent = await binaryContentForScan(repo, files, { kind: 'staged' });
          const result = await reviewDiff(files, {
            policy: DEFAULT_POLICY,
            chooseProvider: async () => ({ provider: null, reason: 'test' }),
            cache: null,
            userSignal: new AbortController().signal,
            baseline: null,
            suppress: true,
            scanContent,
          });
          const expected = new TextDecoder('utf-8').decode(file);
          const found = result.findings.filter((f) => f.rule === 'aws-access-key-id').map((f) => f.file);
          expect(found, `name ${JSON.stringify(expected)} (${file.toString('hex')}), binary ${binary}`).toEqual([expected]);
          expect(result.verdict.blocked).toBe(true);
        } finally {
          rmSync(Buffer.concat([Buffer.from(`${dir}/`), segments[0]!]), { recursive: true, force: true });
          rmSync(path.join(dir, '.gitattributes'), { force: true });
        }
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
