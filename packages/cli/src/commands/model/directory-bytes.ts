import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Total size of the files under `dir`, symlinked files counted by their target's size
 * and symlinked directories not entered: the same files the directory hash covers.
 */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await directoryBytes(path);
    else if (entry.isFile()) total += (await stat(path)).size;
    else if (entry.isSymbolicLink()) {
      const target = await stat(path).catch(() => undefined);
      if (target?.isFile()) total += target.size;
    }
  }
  return total;
}
