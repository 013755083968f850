// Reads, for the built-in rules, the content of every changed file that git's diff calls binary. Git's own answer
// depends on attributes and config the change itself can set (`*.js -diff` in .gitattributes), so the rules read
// the blobs instead: the staged or committed bytes, never the work tree.

import { blobText, type BlobText } from '../diff/blob-text.js';
import { changedObjects, type DiffSource } from '../git/diff.js';
import { blobSizes, readBlobs } from '../git/objects.js';
import type { Repo } from '../git/repo.js';
import type { DiffFile } from '../types.js';

/** Larger blobs are left unread (a video, a model's weights): reading them would cost the commit more than it finds. */
const MAX_BLOB_BYTES = 32 * 1024 * 1024;

/** What the rules read instead of the diff, by path, for the binary files of `files` (none: an empty map, no git run). */
export async function binaryContentForScan(repo: Repo, files: DiffFile[], source: DiffSource): Promise<Map<string, BlobText>> {
  const content = new Map<string, BlobText>();
  const binaries = files.filter((f) => f.binary && !f.submodule && f.status !== 'deleted');
  if (binaries.length === 0) return content;
  const objects = new Map((await changedObjects(repo, source)).map((o) => [o.path, o]));
  const oids = binaries.flatMap((f) => {
    const o = objects.get(f.path);
    return o ? [o.oldOid, o.newOid].filter(Boolean) : [];
  });
  const sizes = await blobSizes(repo, oids);
  const blobs = await readBlobs(
    repo,
    oids.filter((oid) => (sizes.get(oid) ?? Infinity) <= MAX_BLOB_BYTES),
  );
  for (const file of binaries) {
    const o = objects.get(file.path);
    const newBlob = o ? blobs.get(o.newOid) : undefined;
    if (!o || !newBlob) continue;
    content.set(file.path, blobText(file, o.oldOid ? (blobs.get(o.oldOid) ?? null) : null, newBlob));
  }
  return content;
}
