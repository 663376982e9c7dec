import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors/domain-errors.js';
import { compareUtf8 } from './compare-utf8.js';

/** `base64(sha256(file bytes))`, following symlinks to their target's content. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('base64');
}

/**
 * Split a directory's entries as Python's `os.walk` does: an entry is a directory when it
 * is one after following symlinks, so a symlink to a directory counts as a directory
 * (`dirnames`) and anything else, a broken symlink included, as a file (`filenames`).
 */
async function listEntries(
  dir: string,
): Promise<{ files: string[]; dirs: string[]; linkedDirs: Set<string> }> {
  const files: string[] = [];
  const dirs: string[] = [];
  const linkedDirs = new Set<string>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      dirs.push(entry.name);
    } else if (entry.isSymbolicLink()) {
      const target = await stat(join(dir, entry.name)).catch(() => undefined);
      if (target?.isDirectory()) {
        dirs.push(entry.name);
        linkedDirs.add(entry.name);
      } else {
        files.push(entry.name);
      }
    } else {
      files.push(entry.name);
    }
  }
  return { files: files.sort(compareUtf8), dirs: dirs.sort(compareUtf8), linkedDirs };
}

/**
 * The reference's directory hash (SUBNET9.md §3): a top-down walk that, in each
 * directory, feeds the base64 hash of every file in sorted name order into one running
 * sha256, then descends into the sub-directories in sorted order; `base64(digest)`.
 *
 * Symlinks follow `os.walk(path)` exactly (default `followlinks=False`): a symlinked file
 * is hashed by its target's content; a symlink to a directory is listed but never
 * entered, so its content does not count; a broken symlink makes hashing fail, as the
 * reference's `open` does. The top directory itself may be a symlink.
 *
 * Two deliberate differences, both on inputs where Python silently hashes less: a path
 * that is not a directory is an error (`os.walk` yields nothing, the hash of no files),
 * and so is an unreadable sub-directory (`os.walk` skips it). Names are assumed to be
 * valid UTF-8, where Python's code-point order equals byte order.
 *
 * @throws UsageError when `dir` is not a directory.
 */
export async function hashModelDirectory(dir: string): Promise<string> {
  const top = await stat(dir).catch(() => undefined);
  if (!top?.isDirectory()) {
    throw new UsageError(`'${dir}' is not a directory`, {
      hint: 'pass the model directory (with config.json)',
    });
  }
  const running = createHash('sha256');
  const visit = async (current: string): Promise<void> => {
    const { files, dirs, linkedDirs } = await listEntries(current);
    for (const file of files) running.update(await hashFile(join(current, file)), 'utf8');
    for (const sub of dirs) if (!linkedDirs.has(sub)) await visit(join(current, sub));
  };
  await visit(dir);
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
