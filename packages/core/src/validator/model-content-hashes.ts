import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hashPretrainedFileSet } from '../model/index.js';

/**
 * The unsalted subnet hash of each local model directory an eval step evaluates
 * (`hashPretrainedFileSet`: exactly the files a model load reads), the key on which
 * uids share one evaluation. It is computed from the bytes on this machine, never
 * taken from a commitment: two hotkeys' salted hashes of one model differ, and a
 * commitment's text alone proves nothing about the files evaluated.
 *
 * A hash is remembered per directory with the size, inode and nanosecond mtime of every
 * file at its top (where the hashed files live), and computed again when any of them
 * changes, so a step re-reads only models that were (re)downloaded since the last one.
 */
export class ModelContentHashes {
  private readonly known = new Map<string, { readonly signature: string; readonly hash: string }>();

  /** The directory's unsalted subnet hash, or undefined when it cannot be hashed. */
  async hashOf(dir: string): Promise<string | undefined> {
    try {
      const signature = await filesSignature(dir);
      const cached = this.known.get(dir);
      if (cached !== undefined && cached.signature === signature) return cached.hash;
      const hash = await hashPretrainedFileSet(dir);
      // A file replaced while it was hashed leaves a signature that no longer matches: not kept.
      if ((await filesSignature(dir)) === signature) this.known.set(dir, { signature, hash });
      return hash;
    } catch {
      // The evaluation of these files reports what is wrong with them; they share nothing.
      this.known.delete(dir);
      return undefined;
    }
  }

  /** Whether a hash of `dir` is remembered (it may still be recomputed if its files changed). */
  remembers(dir: string): boolean {
    return this.known.has(dir);
  }

  /** Forget directories not in `dirs` (models no longer evaluated). */
  retain(dirs: ReadonlySet<string>): void {
    for (const dir of [...this.known.keys()]) if (!dirs.has(dir)) this.known.delete(dir);
  }
}

async function filesSignature(dir: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  const parts: string[] = [];
  for (const entry of entries.filter((e) => !e.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    // Symlinks are followed, as hashing follows them.
    const info = await stat(join(dir, entry.name), { bigint: true });
    parts.push(`${entry.name}\u0000${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`);
  }
  return parts.join('\n');
}
