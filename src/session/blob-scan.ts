// Reads, for the built-in rules, the content of every changed file that git's diff calls binary. Git's own answer
// depends on attributes and config the change itself can set (`*.js -diff` in .gitattributes), so the rules read
// the blobs instead: the staged or committed bytes, never the work tree.

import { blobText, looksLikeText, readAsBinary, utf16Of, type BlobText } from '../diff/blob-text.js';
import { changedObjects, type DiffSource } from '../git/diff.js';
import { blobHead, blobSizes, readBlobs } from '../git/objects.js';
import type { Repo } from '../git/repo.js';
import type { DiffFile } from '../types.js';

/**
 * Larger blobs are read only when their first bytes are text. A real binary that size (a video, a model's weights)
 * is left unread: reading it would cost the commit more than it finds. A text file is read whatever its size, as
 * git's diff would have shown it: a dump or a log that one NUL byte or a `-diff` attribute (which the change itself
 * can set) makes "binary" must not hide a key by being large.
 */
const MAX_BLOB_BYTES = 32 * 1024 * 1024;
/** How much of a larger blob tells text from binary (git itself looks at the first 8000 bytes). */
const HEAD_BYTES = 8192;

/** What the rules read instead of the diff, by path, for the binary files of `files` (none: an empty map, no git run). */
export async function binaryContentForScan(repo: Repo, files: DiffFile[], source: DiffSource): Promise<Map<string, BlobText>> {
  const content = new Map<string, BlobText>();
  const binaries = files.filter((f) => readAsBinary(f) && !f.submodule && f.status !== 'deleted');
  if (binaries.length === 0) return content;
  const objects = new Map((await changedObjects(repo, source)).map((o) => [o.path, o]));
  const oids = binaries.flatMap((f) => {
    const o = objects.get(f.path);
    return o ? [o.oldOid, o.newOid].filter(Boolean) : [];
  });
  const sizes = await blobSizes(repo, oids);
  const readable = await Promise.all(
    oids.map(async (oid) => {
      const size = sizes.get(oid);
      if (size === undefined) return false;
      if (size <= MAX_BLOB_BYTES) return true;
      const head = await blobHead(repo, oid, HEAD_BYTES);
      return head.length > 0 && (utf16Of(head) !== null || looksLikeText(head));
    }),
  );
  const blobs = await readBlobs(
    repo,
    oids.filter((_, i) => readable[i]),
  );
  for (const file of binaries) {
    const o = objects.get(file.path);
    const newBlob = o ? blobs.get(o.newOid) : undefined;
    if (!o || !newBlob) continue;
    content.set(file.path, blobText(file, o.oldOid ? (blobs.get(o.oldOid) ?? null) : null, newBlob));
  }
  return content;
}
