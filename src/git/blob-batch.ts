// Blobs by name for a review read in groups (session/scope-context.ts), from one `git cat-file --batch` for all of
// them: one git spawned per review however many groups, each spawn blocking Node's main thread for 2-5 ms. The
// groups still bound memory: git's output is parsed as it comes, and read no further than one group ahead of the
// caller (the pipe's backpressure holds git meanwhile).

import { spawn } from 'node:child_process';
import { GitError } from '../errors.js';
import { gitEnvironment, type Repo } from './repo.js';

export interface BlobGroups {
  /** The next group's blobs by name, in the order the groups were given; a name git does not have is absent. */
  next(): Promise<Map<string, Buffer>>;
  /** Stops reading (a review that ends early, or done): git is left to end on its closed pipe. */
  close(): void;
}

interface Body {
  name: string;
  size: number;
  chunks: Buffer[];
  have: number;
}

/**
 * Starts one `git cat-file --batch` for every name of `groups` (object names as git takes them: an id, `:0:path`,
 * `rev:path`; none may hold a newline) and hands the blobs out a group at a time.
 */
export function readBlobGroups(repo: Repo, groups: readonly (readonly string[])[]): BlobGroups {
  const wanted = groups.map((names) => [...new Set(names)]);
  const order = wanted.flat();
  const ready: Map<string, Buffer>[] = [];
  const waiting: Array<{ resolve(blobs: Map<string, Buffer>): void; reject(error: unknown): void }> = [];
  let failure: unknown = null;
  let group = 0;
  let current = new Map<string, Buffer>();
  let left = 0; // names of the current group still to come
  let cursor = 0;

  const deliver = () => {
    while (waiting.length > 0 && (ready.length > 0 || failure !== null)) {
      const next = waiting.shift()!;
      if (ready.length > 0) next.resolve(ready.shift()!);
      else next.reject(failure);
    }
  };
  // A group is complete once its every name is answered; an empty one at once.
  const closeGroups = () => {
    while (group < wanted.length && left === 0) {
      ready.push(current);
      current = new Map();
      group++;
      left = wanted[group]?.length ?? 0;
    }
  };
  left = wanted[0]?.length ?? 0;
  closeGroups();
  if (order.length === 0) return { next: () => Promise.resolve(ready.shift() ?? new Map()), close: () => undefined };

  const child = spawn('git', ['cat-file', '--batch'], { cwd: repo.top, env: gitEnvironment(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let head: Buffer | null = null;
  let body: Body | null = null;
  const fail = (error: unknown) => {
    if (failure === null) failure = error;
    deliver();
  };
  const answered = (blob: Buffer | undefined) => {
    const name = order[cursor++]!;
    if (blob !== undefined) current.set(name, blob);
    left--;
    closeGroups();
  };
  const parse = (chunk: Buffer) => {
    let data = chunk;
    while (data.length > 0 && cursor < order.length && failure === null) {
      if (body) {
        const need = body.size + 1 - body.have; // the content, then a newline
        if (data.length < need) {
          body.chunks.push(data);
          body.have += data.length;
          return;
        }
        body.chunks.push(data.subarray(0, need));
        data = data.subarray(need);
        const whole = body.chunks.length === 1 ? body.chunks[0]! : Buffer.concat(body.chunks, body.size + 1);
        body = null;
        answered(whole.subarray(0, whole.length - 1));
        continue;
      }
      const joined: Buffer = head ? Buffer.concat([head, data]) : data;
      const eol = joined.indexOf(0x0a);
      if (eol < 0) {
        head = joined;
        return;
      }
      head = null;
      const header = joined.subarray(0, eol).toString('utf8');
      data = joined.subarray(eol + 1);
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        answered(undefined);
        continue;
      }
      // "<oid> <type> <size>"
      const size = Number(header.split(' ')[2]);
      if (!Number.isSafeInteger(size)) return fail(new GitError(`git cat-file --batch printed '${header}': is the repository damaged? try 'git fsck'`));
      body = { name: order[cursor]!, size, chunks: [], have: 0 };
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    parse(chunk);
    deliver();
    // Backpressure: a whole group ahead of the caller is enough.
    if (ready.length > 0) child.stdout.pause();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  child.on('error', (error) => fail(new GitError(`cannot run git: ${error.message}; is git installed and on PATH?`)));
  child.on('close', (code) => {
    if (cursor >= order.length) return;
    const why = code === 0 ? `ended early, before ${order[cursor]}: is the repository damaged? try 'git fsck'` : `failed (exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`;
    fail(new GitError(`git cat-file --batch ${why}`));
  });
  // A closed pipe is reported by 'close' with git's own exit status; do not let EPIPE escape as an exception.
  child.stdin.on('error', () => undefined);
  child.stdin.end(order.map((name) => `${name}\n`).join(''));

  return {
    next() {
      const promise = new Promise<Map<string, Buffer>>((resolve, reject) => waiting.push({ resolve, reject }));
      deliver();
      if (ready.length === 0 && child.stdout.isPaused()) child.stdout.resume();
      return promise;
    },
    close() {
      child.stdout.destroy();
    },
  };
}
