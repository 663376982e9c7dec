import { UsageError } from '@pretrain/backend-sdk';
import type { ModelId, ModelMetadata } from '../model/model-id.js';

/** The JSON form of a {@link ModelTracker}: hotkey → metadata. */
export type ModelTrackerJson = Record<string, ModelMetadata>;

const ID_FIELDS = ['namespace', 'name', 'commit', 'hash', 'competitionId'] as const;

/** A metadata record read back from disk, or undefined when it is not one. */
function readMetadata(value: unknown): ModelMetadata | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, block } = value as { id?: unknown; block?: unknown };
  if (typeof block !== 'number' || !Number.isFinite(block) || typeof id !== 'object' || id === null)
    return undefined;
  const fields = id as Record<string, unknown>;
  if (typeof fields.namespace !== 'string' || typeof fields.name !== 'string') return undefined;
  const out: Record<string, string> = {};
  for (const key of ID_FIELDS) {
    const field = fields[key];
    if (field === undefined || field === null) continue;
    if (typeof field !== 'string') return undefined;
    out[key] = field;
  }
  return { id: out as unknown as ModelId, block };
}

/**
 * The model each miner hotkey currently has, as verified by the update loop
 * (hotkey → {@link ModelMetadata}). Persisted with the validator state via
 * {@link toJSON} / {@link fromJSON}.
 */
export class ModelTracker {
  private readonly models = new Map<string, ModelMetadata>();

  /** The tracked metadata of `hotkey`, if any. */
  get(hotkey: string): ModelMetadata | undefined {
    return this.models.get(hotkey);
  }

  /** Record that `hotkey` now has the model `metadata` describes. */
  set(hotkey: string, metadata: ModelMetadata): void {
    this.models.set(hotkey, metadata);
  }

  /** Forget `hotkey`; true when it was tracked. */
  delete(hotkey: string): boolean {
    return this.models.delete(hotkey);
  }

  /** How many hotkeys are tracked. */
  get size(): number {
    return this.models.size;
  }

  /** A snapshot of every tracked hotkey and its metadata. */
  entries(): [string, ModelMetadata][] {
    return [...this.models.entries()];
  }

  /**
   * Drop every hotkey not in `hotkeys` (those that left the metagraph); returns the
   * dropped ones.
   */
  retainHotkeys(hotkeys: ReadonlySet<string>): string[] {
    const dropped = [...this.models.keys()].filter((hotkey) => !hotkeys.has(hotkey));
    for (const hotkey of dropped) this.models.delete(hotkey);
    return dropped;
  }

  /** A plain object for `JSON.stringify` (absent id fields are left out). */
  toJSON(): ModelTrackerJson {
    // fromEntries defines own properties: a hotkey named `__proto__` stays a key.
    return Object.fromEntries(
      [...this.models].map(([hotkey, { id, block }]) => {
        const fields: Record<string, string> = {};
        for (const key of ID_FIELDS) if (id[key] !== undefined) fields[key] = id[key];
        return [hotkey, { id: fields as unknown as ModelId, block }];
      }),
    );
  }

  /**
   * Rebuild a tracker from {@link toJSON}'s output. Malformed entries are dropped (the
   * update loop re-syncs those hotkeys); a value that is not an object is an error.
   *
   * @throws UsageError when `json` is not an object.
   */
  static fromJSON(json: unknown): ModelTracker {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new UsageError(
        `model tracker state must be an object of hotkey → metadata, got ${JSON.stringify(json)}`,
        {
          hint: 'delete the validator state file to start afresh',
        },
      );
    }
    const tracker = new ModelTracker();
    for (const [hotkey, value] of Object.entries(json)) {
      const metadata = readMetadata(value);
      if (metadata !== undefined) tracker.set(hotkey, metadata);
    }
    return tracker;
  }
}
