// The same change as git/diff.ts prints it, with each hunk widened to its enclosing function (`--function-context`),
// for the reviewer's wider context. Git finds a function's first line with its funcname rules; its built-in drivers
// (python, golang, java, rust, cpp, ...) apply only to files an attribute assigns them, so they are assigned here by
// extension in a attributes file of lowest precedence: the repository's .gitattributes and .git/info/attributes still
// win, and the user's own global attributes file is copied in after ours, so it wins too. JavaScript and TypeScript
// have no built-in driver; ours below knows classes, methods, functions and arrow functions bound to a name.

import { mkdtempSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GitError } from '../errors.js';
import { nodeBuiltin } from '../node-builtin.js';
import { readRegularFileSync } from '../regular-file.js';
import { diffFlags } from './diff.js';
import { gitAnswer, runGit } from './objects.js';
import { PINNED_FLAGS, type GitRun, type Repo } from './repo.js';
import type { DiffSource } from './diff.js';

/** The attributes files a diff is given: with the XDG file's rules, and with those of a configured core.attributesFile. */
const GUESS_FILE = 'attributes';
const CONFIGURED_FILE = 'attributes-configured';

/** Which two sides the change is between. */
export type ChangeSides = DiffSource;

const DRIVERS: Record<string, string[]> = {
  python: ['py', 'pyi', 'pyw'],
  golang: ['go'],
  java: ['java'],
  kotlin: ['kt', 'kts'],
  rust: ['rs'],
  cpp: ['c', 'h', 'cc', 'cpp', 'cxx', 'hh', 'hpp', 'hxx', 'ino'],
  csharp: ['cs'],
  objc: ['m', 'mm'],
  php: ['php'],
  ruby: ['rb', 'rake', 'gemspec'],
  perl: ['pl', 'pm'],
  bash: ['sh', 'bash', 'zsh'],
  elixir: ['ex', 'exs'],
  css: ['css', 'scss', 'less'],
  html: ['html', 'htm'],
  markdown: ['md', 'mdx'],
  fortran: ['f', 'f90', 'f95'],
  pascal: ['pas'],
  scheme: ['scm', 'ss'],
  tex: ['tex'],
  'codeai-js': ['js', 'jsx', 'mjs', 'cjs', 'ts', 'tsx', 'mts', 'cts', 'vue', 'svelte'],
};

// POSIX extended regular expressions, one per line; a line starting with '!' says what is never a function line.
// The last line is git's own default (a line starting with a letter, '_' or '$'), so top-level code still counts.
const JS_FUNCNAME = [
  '![ \t]*(if|for|while|switch|catch|with|return|else|do)([ \t(]|$)',
  '^[ \t]*((export[ \t]+)?(default[ \t]+)?(async[ \t]+)?function[ \t*].*' +
    '|(export[ \t]+)?(default[ \t]+)?(abstract[ \t]+)?class[ \t].*' +
    '|((public|private|protected|static|async|get|set|readonly|override)[ \t]+)*[A-Za-z_$#][A-Za-z0-9_$]*[ \t]*\\(.*\\)[ \t]*(:[^;={]*)?\\{[ \t]*' +
    '|(export[ \t]+)?(const|let|var)[ \t]+[A-Za-z_$][A-Za-z0-9_$]*[ \t]*=[ \t]*(async[ \t]+)?(function.*|\\(.*\\)[ \t]*(:[^=;]*)?=>.*|[A-Za-z_$][A-Za-z0-9_$]*[ \t]*=>.*))$',
  '^([A-Za-z_$].*)$',
].join('\n');

export function defaultAttributes(): string {
  return Object.entries(DRIVERS)
    .flatMap(([driver, extensions]) => extensions.map((ext) => `*.${ext} diff=${driver}`))
    .join('\n');
}

/** The function-context diffs of one review, a group of paths at a time, with one lookup of the user's attributes. */
export interface FunctionContextDiffs {
  /** The diff between the review's sides with function context, for `paths` only; '' when no path is given. */
  diff(paths: readonly string[]): Promise<string>;
  /** Removes the attributes files: once every diff asked has settled. */
  close(): void;
}

/**
 * Starts the function-context diffs of a review: `git config` for the user's attributes file runs from here, once
 * however many groups the review reads. The first diff's git starts before its first await, so that a caller's
 * synchronous work (the built-in rules) runs beside these gits instead of before them: it runs with the attributes
 * file git reads when no core.attributesFile is set (the XDG one, read now). When config names a file, the diff runs
 * again with that one and nothing of the first run is used: the answer is always the diff with the user's own
 * attributes file, as before. Later diffs use the file the first one settled on.
 */
export function openFunctionContext(repo: Repo, sides: ChangeSides, contextLines: number): FunctionContextDiffs {
  const configured = configuredAttributesFile(repo);
  configured.catch(() => undefined); // awaited by the first diff; a review with none asks nothing
  // The folder, its small files and their removal are synchronous calls: on the path of every model commit, each
  // asynchronous one was a thread pool round trip more to wait for.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'codeai-attributes-'));
  // Only what was written is removed: a removal that fails builds an error with its stack (~0.5 ms, --cpu-prof).
  const written: string[] = [];
  const write = (name: string, own: string) => {
    written.push(writeAttributes(path.join(dir, name), own));
    return written.at(-1)!;
  };
  const range = sides.kind === 'staged' ? ['--cached'] : [sides.from, sides.to];
  // Spawned directly, with the pinned settings simple-git would add: simple-git's check of each argument against its
  // list of unsafe options cost ~3 ms of every model commit on the long funcname setting (--cpu-prof).
  const run = (file: string, paths: readonly string[]) => {
    // A long list of paths would outgrow the command line: past a few hundred, diff everything and let the caller pick.
    const spec = paths.length > 300 ? [] : ['--', ...new Set(paths)];
    return runGit(repo, [...PINNED_FLAGS, ...attributeSettings(file), '--literal-pathspecs', 'diff', ...diffFlags(contextLines), '--function-context', ...range, ...spec], '');
  };
  // The attributes file every diff after the first uses: the one the first settled on.
  let settled: string | null = null;
  let firstDone: Promise<unknown> | null = null;
  const first = async (paths: readonly string[]): Promise<GitRun> => {
    const xdg = xdgAttributesFile();
    const xdgText = readRegularFileNow(xdg);
    let guess: Promise<GitRun> | null = null;
    if (xdgText !== null) {
      guess = run(write(GUESS_FILE, xdgText), paths);
      guess.catch(() => undefined); // awaited below, or let finish when config names another file
    }
    try {
      const file = (await configured) || xdg;
      if (guess && file === xdg) {
        settled = path.join(dir, GUESS_FILE);
        return await guess;
      }
      const own = write(CONFIGURED_FILE, await readAttributes(file));
      settled = own;
      return await run(own, paths);
    } finally {
      // A guess not used may still be reading its file.
      await guess?.catch(() => undefined);
    }
  };
  return {
    async diff(paths) {
      if (paths.length === 0) return '';
      try {
        let answer: Promise<GitRun>;
        if (firstDone === null) {
          answer = first(paths);
          firstDone = answer.catch(() => undefined);
        } else {
          await firstDone;
          if (settled === null) throw new Error('the first diff of this review failed');
          answer = run(settled, paths);
        }
        const { code, stdout, stderr } = await answer;
        if (code !== 0) throw new Error(stderr.trim() || `git exited with ${code}`);
        return stdout.toString('utf8');
      } catch (err) {
        throw new GitError(`git diff --function-context failed: ${String(err instanceof Error ? err.message : err).trim().split('\n')[0]}`);
      }
    },
    close() {
      // The folder holds our files and nothing else: a few calls, not rm's recursive walk (and its module, ~2 ms).
      for (const file of written.splice(0)) removeIfThere(() => unlinkSync(file));
      removeIfThere(() => rmdirSync(dir));
    },
  };
}

/** A removal that finds nothing to remove is done; any other failure is thrown, as rm with force did. */
function removeIfThere(remove: () => void): void {
  try {
    remove();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * The `-c` settings that give `--function-context` its funcname drivers: an attributes file (written into `dir`,
 * a private temporary folder the caller removes) assigning them by extension, the user's own attributes after ours.
 */
export async function functionContextSettings(repo: Repo, dir: string): Promise<string[]> {
  const own = await readAttributes((await configuredAttributesFile(repo)) || xdgAttributesFile());
  return attributeSettings(writeAttributes(path.join(dir, GUESS_FILE), own));
}

/** Writes the attributes file at `file`: ours, then the user's `own` after them. Returns `file`. */
function writeAttributes(file: string, own: string): string {
  writeFileSync(file, `${defaultAttributes()}\n${own}\n`);
  return file;
}

/** The `-c` settings that have git read the attributes file at `file`, with our JavaScript funcname driver. */
function attributeSettings(file: string): string[] {
  return ['-c', `core.attributesFile=${file}`, '-c', `diff.codeai-js.xfuncname=${JS_FUNCNAME}`];
}

/**
 * core.attributesFile as git config gives it, '' when it is not set (or config fails: the XDG file then, as git
 * does). Spawned by the call itself (runGit), not queued behind simple-git's scheduler, so that it runs during the
 * caller's synchronous work.
 */
async function configuredAttributesFile(repo: Repo): Promise<string> {
  return ((await gitAnswer(repo, ['config', '--path', '--get', 'core.attributesFile'])) ?? '').trim();
}

/** Where git looks for the user's attributes when core.attributesFile is not set. */
function xdgAttributesFile(): string {
  return path.join(process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'git', 'attributes');
}

/** The user's attributes file's text, '' when it cannot be read. Asynchronous: a FIFO there must not stop a Ctrl-C. */
function readAttributes(file: string): Promise<string> {
  return nodeBuiltin('node:fs/promises').readFile(file, 'utf8').catch(() => '');
}

/**
 * What readAttributes would give, read at once; null for anything but a regular file (a FIFO, a device: opened
 * without blocking, and left to readAttributes).
 */
function readRegularFileNow(file: string): string | null {
  try {
    return readRegularFileSync(file);
  } catch {
    return '';
  }
}
