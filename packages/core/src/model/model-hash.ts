import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { UsageError } from '../errors/domain-errors.js';
import { walkModelFiles } from './walk-model-files.js';

/** `base64(sha256(file bytes))`, following symlinks to their target's content. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('base64');
}

/**
 * The reference's directory hash (SUBNET9.md §3): the base64 hash of every file, in the
 * order {@link walkModelFiles} gives (a top-down walk, sorted names, files before
 * sub-directories), fed as UTF-8 text into one running sha256; `base64(digest)`.
 *
 * Symlinks follow `os.walk(path)` exactly: a symlinked file counts by its target's
 * content, a symlink to a directory is never entered, and a broken symlink makes hashing
 * fail as the reference's `open` does. Where Python silently hashes less (a path that is
 * not a directory, an unreadable sub-directory) this is an error instead. Names are
 * assumed to be valid UTF-8, where Python's code-point order equals byte order.
 *
 * @throws UsageError when `dir` is not a directory or one of its files cannot be read.
 */
export async function hashModelDirectory(dir: string): Promise<string> {
  const running = createHash('sha256');
  for await (const file of walkModelFiles(dir)) {
    const hash = await hashFile(file).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new UsageError(`cannot read '${file}' of model directory '${dir}': ${code}`, {
        hint: 'a model directory holds readable files: fix or remove broken symlinks',
        cause: error,
      });
    });
    running.update(hash, 'utf8');
  }
  return running.digest('base64');
}

/**
 * The hotkey-salted hash a miner may commit to stop same-block copying:
 * `base64(sha256(utf8(dirHash + hotkey)))`.
 */
export function saltHash(hash: string, hotkey: string): string {
  return createHash('sha256')
    .update(hash + hotkey, 'utf8')
    .digest('base64');
}

/**
 * Whether a downloaded model is the committed one: the chain hash equals the directory
 * hash, or the directory hash salted with `hotkey` when one is given.
 */
export function hashMatches(expected: string, dirHash: string, hotkey?: string): boolean {
  if (expected === dirHash) return true;
  return hotkey !== undefined && expected === saltHash(dirHash, hotkey);
}
