// The language server's source: an editor's buffer, unsaved edits and all, as one diff against what HEAD holds of the
// file, so the editor sees what the next commit of that file would be reviewed for. Read the hook's way: a file
// reached through a symbolic link, one git ignores, one outside the repository, a submodule or a binary is not
// reviewed, and the committed side comes from git's objects, never from the work tree.

import { nodeBuiltin } from '../node-builtin.js';
import os from 'node:os';
import path from 'node:path';
import { widenFile } from '../diff/context.js';
import { parseDiff } from '../diff/parse.js';
import { AbortedError } from '../errors.js';
import { bufferDiff, isIgnored } from '../git/buffer-diff.js';
import { functionContextSettings } from '../git/function-context.js';
import { commitOf, GITLINK_MODE, readBlobs, SYMLINK_MODE, treeEntries } from '../git/objects.js';
import type { Repo } from '../git/repo.js';
import type { DiffFile } from '../types.js';
import { mayHoldKeyLines, withKeyLinesOf } from './diffs.js';
import { MAX_DECLARATION_SOURCE } from './scope-context.js';
import type { Session } from './session.js';
import type { Change } from './source.js';

export interface BufferSource {
  kind: 'buffer';
  /** The file's absolute path. */
  path: string;
  /** The buffer's text as the editor holds it. */
  text: string;
  /** Where the committed sides of open files are kept between reviews. */
  committed: CommittedSides;
}

/** What HEAD holds of one file, or why its buffer is not reviewed. */
type Committed = { skip: string } | { rel: string; file: string; text: string | null };

/**
 * What HEAD holds of the files an editor has open, each kept as a file in one private temporary folder that git can
 * diff a buffer against, so typing costs one git call. `forget` drops what a commit, a checkout or a reset may have
 * changed; `dispose` removes the folder.
 */
export class CommittedSides {
  private dir: Promise<string> | null = null;
  private readonly known = new Map<string, Promise<Committed>>();
  private readonly settings = new Map<string, Promise<string[]>>();
  private next = 0;

  of(repo: Repo, file: string): Promise<Committed> {
    const key = `${repo.top}\0${file}`;
    let found = this.known.get(key);
    if (!found) {
      found = this.read(repo, file);
      this.known.set(key, found);
      // A failed read is not remembered: the next review tries again.
      found.catch(() => this.known.delete(key));
    }
    return found;
  }

  /** The funcname settings for --function-context, written once per repository. */
  functionContext(repo: Repo): Promise<string[]> {
    let found = this.settings.get(repo.top);
    if (!found) {
      found = this.folder().then(async (dir) => {
        const own = path.join(dir, `attributes-${this.next++}`);
        await nodeBuiltin('node:fs/promises').mkdir(own, { mode: 0o700 });
        return functionContextSettings(repo, own);
      });
      this.settings.set(repo.top, found);
    }
    return found;
  }

  /** Forget the committed sides of one repository (or all): HEAD or the index moved. */
  forget(top?: string): void {
    for (const key of this.known.keys()) if (top === undefined || key.startsWith(`${top}\0`)) this.known.delete(key);
  }

  async dispose(): Promise<void> {
    this.known.clear();
    const dir = this.dir;
    this.dir = null;
    if (dir) await nodeBuiltin('node:fs/promises').rm(await dir, { recursive: true, force: true });
  }

  private folder(): Promise<string> {
    this.dir ??= nodeBuiltin('node:fs/promises').mkdtemp(path.join(os.tmpdir(), 'codeai-lsp-'));
    return this.dir;
  }

  private async read(repo: Repo, file: string): Promise<Committed> {
    const rel = await repoPath(repo, file);
    if (rel === null) return { skip: 'outside the repository' };
    const fs = nodeBuiltin('node:fs/promises');
    const info = await fs.lstat(file).catch(() => null);
    if (info?.isSymbolicLink()) return { skip: 'a symbolic link: not followed' };
    if (info && !info.isFile()) return { skip: 'not a regular file' };
    const entry = (await commitOf(repo, 'HEAD')) === null ? undefined : (await treeEntries(repo, 'HEAD', [rel])).find((e) => e.path === rel);
    if (entry?.mode === SYMLINK_MODE) return { skip: 'a symbolic link in git: not followed' };
    if (entry?.mode === GITLINK_MODE) return { skip: 'a submodule' };
    if (!entry && (await isIgnored(repo, rel))) return { skip: 'ignored by git' };
    const bytes = entry ? (await readBlobs(repo, [entry.oid])).get(entry.oid) : undefined;
    // Named like the real file, in a folder of its own, so git picks the file's funcname driver by its extension.
    const own = path.join(await this.folder(), String(this.next++));
    await fs.mkdir(own, { mode: 0o700 });
    const side = path.join(own, path.posix.basename(rel));
    await fs.writeFile(side, bytes ?? '', { mode: 0o600 });
    return { rel, file: side, text: bytes === undefined ? null : bytes.toString('utf8') };
  }
}

/**
 * `file` relative to the work tree's top, through the real path of the nearest of its folders that exists (a new
 * file's folders may not yet); null when it is outside.
 */
async function repoPath(repo: Repo, file: string): Promise<string | null> {
  let dir = path.dirname(file);
  let rest = path.basename(file);
  let real: string | null = null;
  while ((real = await nodeBuiltin('node:fs/promises').realpath(dir).catch(() => null)) === null && path.dirname(dir) !== dir) {
    rest = path.join(path.basename(dir), rest);
    dir = path.dirname(dir);
  }
  const rel = path.relative(repo.top, path.join(real ?? dir, rest));
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return null;
  return rel.split(path.sep).join('/');
}

export async function readBuffer(session: Session, source: BufferSource): Promise<Change> {
  const { repo, policy } = session;
  const committed = await source.committed.of(repo, source.path);
  const nothing = (skipped: string): Change => ({ repo, files: [], summarize: false, skipped });
  if ('skip' in committed) return nothing(committed.skip);
  if (source.text.includes('\0')) return nothing('binary');
  const { rel, text: oldText } = committed;
  const asFile = (f: DiffFile): DiffFile => {
    const { oldPath: _oldPath, similarity: _similarity, oldMode: _oldMode, newMode: _newMode, ...rest } = f;
    const named: DiffFile = { ...rest, path: rel, status: oldText === null ? 'added' : 'modified' };
    return mayHoldKeyLines(named) ? withKeyLinesOf(named, oldText ?? undefined, source.text) : named;
  };
  const diff = (functionContext?: { settings: string[] }) =>
    bufferDiff(repo, committed.file, source.text, { contextLines: policy.contextLines, ...(functionContext ? { functionContext } : {}) }).then((raw) =>
      parseDiff(raw).slice(0, 1).map(asFile),
    );
  const files = await diff();
  return {
    repo,
    files,
    summarize: false,
    // Fixes are checked against the buffer itself: it is what the editor will change.
    readNewSide: async (paths) => new Map(paths.includes(rel) ? [[rel, Buffer.from(source.text, 'utf8')]] : []),
    widenForModel: async (selected) => {
      try {
        const [wide] = await diff({ settings: await source.committed.functionContext(repo) });
        const newText = source.text.length <= MAX_DECLARATION_SOURCE ? source.text : undefined;
        return selected.map((file) => (file.path === rel ? asFile(widenFile({ file, wide, newText, contextLines: policy.contextLines })) : file));
      } catch (error) {
        // Wider context is a help, never a gate: the review goes on with the diff's own context.
        if (error instanceof AbortedError) throw error;
        return selected;
      }
    },
  };
}
