import type { ModelId } from '../model/model-id.js';

/**
 * The validator's on-disk cache of competitors' models, one HF-cache tree per hotkey:
 * `<dir>/models/<hotkey>/models--<namespace>--<name>/snapshots/<commit>/` (docs/SUBNET.md §8).
 */
export interface LocalModelStore {
  /** Root directory of the store. */
  readonly root: string;
  /** The snapshot directory where `id` of `hotkey` lives (whether present or not). */
  pathFor(hotkey: string, id: ModelId): string;
  /** The snapshot directory if a complete copy is present, else undefined. */
  retrieve(hotkey: string, id: ModelId): Promise<string | undefined>;
  /**
   * Delete every model not in `keep` (hotkey → the id to keep) whose files have been
   * untouched for at least `graceMs`; returns the deleted directories.
   */
  deleteUnreferenced(keep: ReadonlyMap<string, ModelId>, graceMs: number): Promise<string[]>;
}
