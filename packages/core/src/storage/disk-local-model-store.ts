import { readdir, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { LocalModelStore } from '../contracts/local-model-store.js';
import type { ModelId } from '../model/model-id.js';
import { MODELS_DIR, snapshotDirectory } from './local-model-store-layout.js';

/** Sub-directories of `dir` (following symlinks), or none when it cannot be read. */
async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const dirs: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (
      entry.isDirectory() ||
      (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isDirectory())
    ) {
      dirs.push(path);
    }
  }
  return dirs;
}

/**
 * The newest modification time of `path` or anything under it, files and directories
 * alike: a download staging directory that is still empty counts as fresh (the
 * reference looks at files only). Entries that vanish meanwhile are skipped.
 */
async function newestMtime(path: string): Promise<number> {
  const own = await stat(path).catch(() => undefined);
  let newest = own?.mtimeMs ?? 0;
  if (!own?.isDirectory()) return newest;
  for (const entry of await readdir(path, { withFileTypes: true }).catch(() => [])) {
    const child = join(path, entry.name);
    // Symlinked directories are not entered (no loops); symlinked files count by target.
    newest = Math.max(
      newest,
      entry.isDirectory()
        ? await newestMtime(child)
        : ((await stat(child).catch(() => undefined))?.mtimeMs ?? 0),
    );
  }
  return newest;
}

/**
 * The validator's on-disk model cache (docs/SUBNET.md §8):
 * `<root>/models/<hotkey>/models--<namespace>--<name>/snapshots/<commit>/`.
 *
 * Completeness needs no marker file: downloads (see `ModelStore.download`) write into a
 * staging directory beside the snapshot and rename it into place once verified, so a
 * snapshot directory that exists is complete. Abandoned staging directories are
 * unreferenced and go with {@link deleteUnreferenced}.
 */
export class DiskLocalModelStore implements LocalModelStore {
  /** Absolute root directory of the store. */
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** @throws ModelRejectedError for an id without commit or with unsafe path parts. */
  pathFor(hotkey: string, id: ModelId): string {
    return snapshotDirectory(this.root, hotkey, id);
  }

  /** The snapshot directory when it exists (hence is complete), else undefined. */
  async retrieve(hotkey: string, id: ModelId): Promise<string | undefined> {
    const path = this.pathFor(hotkey, id);
    const found = await stat(path).catch(() => undefined);
    return found?.isDirectory() ? path : undefined;
  }

  /**
   * Delete, as the reference's clean loop does, every hotkey directory whose hotkey is
   * not in `keep`, and for kept hotkeys every `<repo>/<sub>/<dir>` (e.g. an old commit
   * in `snapshots/`) other than the kept snapshot; each only when nothing under it was
   * modified within `graceMs`. A directory that cannot be read or removed is skipped so
   * the rest is still cleaned. Returns the deleted directories.
   */
  async deleteUnreferenced(keep: ReadonlyMap<string, ModelId>, graceMs: number): Promise<string[]> {
    const cutoff = Date.now() - graceMs;
    const kept = new Set<string>();
    for (const [hotkey, id] of keep) {
      try {
        kept.add(this.pathFor(hotkey, id));
      } catch {
        // An id that cannot name a directory has nothing on disk to keep.
      }
    }
    const candidates: string[] = [];
    const models = join(this.root, MODELS_DIR);
    for (const hotkeyDir of await subdirectories(models)) {
      if (!keep.has(basename(hotkeyDir))) {
        candidates.push(hotkeyDir);
        continue;
      }
      for (const repoDir of await subdirectories(hotkeyDir)) {
        for (const subDir of await subdirectories(repoDir)) {
          for (const dir of await subdirectories(subDir)) if (!kept.has(dir)) candidates.push(dir);
        }
      }
    }
    const deleted: string[] = [];
    for (const dir of candidates) {
      if ((await newestMtime(dir)) >= cutoff) continue;
      const removed = await rm(dir, { recursive: true, force: true }).then(
        () => true,
        () => false,
      );
      if (removed) deleted.push(dir);
    }
    return deleted;
  }
}
