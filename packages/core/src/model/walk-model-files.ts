import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '@pretrain/backend-sdk';
import { compareUtf8 } from './compare-utf8.js';

/**
 * Split a directory's entries as Python's `os.walk` does: an entry is a directory when it
 * is one after following symlinks, and anything else, a broken symlink included, is a
 * file. Symlinked directories are left out: `os.walk` lists them but never enters them.
 */
async function listEntries(dir: string): Promise<{ files: string[]; dirs: string[] }> {
  const files: string[] = [];
  const dirs: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      dirs.push(entry.name);
    } else if (!entry.isSymbolicLink()) {
      files.push(entry.name);
    } else if (!(await stat(join(dir, entry.name)).catch(() => undefined))?.isDirectory()) {
      files.push(entry.name);
    }
  }
  return { files: files.sort(compareUtf8), dirs: dirs.sort(compareUtf8) };
}

/**
 * The paths of a model directory's files in the order the reference hash reads them
 * (docs/SUBNET.md §3), as `os.walk(dir)` with Python's defaults gives them: top-down, in each
 * directory its files in sorted (UTF-8 byte) order, then its sub-directories in that order.
 *
 * A symlinked file is yielded by its own path (its target's content is what counts); a
 * symlink to a directory is never entered (`followlinks=False`); a broken symlink is
 * yielded, so that reading it fails as Python's `open` does. The top directory itself may
 * be a symlink. Unlike `os.walk`, a path that is not a directory and an unreadable
 * sub-directory are errors rather than silently nothing.
 *
 * @throws UsageError when `dir` is not a directory.
 */
export async function* walkModelFiles(dir: string): AsyncGenerator<string> {
  const top = await stat(dir).catch(() => undefined);
  if (!top?.isDirectory()) {
    throw new UsageError(`'${dir}' is not a directory`, {
      hint: 'pass the model directory (with config.json)',
    });
  }
  const pending = [dir];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    const { files, dirs } = await listEntries(current);
    for (const file of files) yield join(current, file);
    // Depth-first, first sub-directory first: pushed in reverse so that it is popped first.
    for (const sub of dirs.reverse()) pending.push(join(current, sub));
  }
}
