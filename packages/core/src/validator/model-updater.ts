import { rm } from 'node:fs/promises';
import { openModelSpec } from '@pretrain/backend-sdk';
import type { ChainClient, LocalModelStore, Logger, ModelStore } from '../contracts/index.js';
import { criteriaForBlock, type CompetitionSchedule, type ModelCriteria } from '../criteria/index.js';
import { ModelRejectedError, type RejectionReason } from '@pretrain/backend-sdk';
import {
  formatModelId,
  hashMatches,
  hashPretrainedFileSet,
  parseModelId,
  type ModelId,
  type ModelMetadata,
} from '../model/index.js';
import type { ModelTracker } from '../tracker/index.js';
import type { ModelContentHashes } from './model-content-hashes.js';
import { errorMessage, isMachineError, isTransientRejection, rejectionReasonOf } from './rejection-reason.js';

const UNCHANGED: SyncResult = { kind: 'unchanged' };

/** What {@link ModelUpdater.sync} did for one hotkey. */
export type SyncResult =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'updated'; readonly metadata: ModelMetadata; readonly path: string }
  | { readonly kind: 'rejected'; readonly reason: RejectionReason; readonly message: string };

/** Collaborators of a {@link ModelUpdater}. */
export interface ModelUpdaterDeps {
  readonly chain: ChainClient;
  readonly netuid: number;
  readonly store: ModelStore;
  readonly local: LocalModelStore;
  readonly tracker: ModelTracker;
  readonly logger: Logger;
  /** Criteria schedule (default: the subnet's). */
  readonly schedule?: CompetitionSchedule;
  /**
   * Where an accepted model's unsalted hash is computed and remembered right after its
   * download, so the eval step that finds its copies reads it from memory: in a running
   * validator the updater works beside the steps, and hashing leaves the step's path.
   */
  readonly contentHashes?: ModelContentHashes;
  /** Called once per refused commitment (each attempt for transient failures), for logs and metrics. */
  readonly onRejection?: (info: { reason: RejectionReason; hotkey: string; message: string }) => void;
  /** Called when a download starts and when it ends (`ok` false when it failed), for live views. */
  readonly onDownload?: (info: DownloadEvent) => void;
}

/** A model download starting (`phase: 'start'`) or ending. */
export interface DownloadEvent {
  readonly phase: 'start' | 'end';
  readonly hotkey: string;
  readonly id: ModelId;
  /** Set when `phase` is `end`. */
  readonly ok?: boolean;
}

/**
 * Brings one hotkey's model up to date with its commitment (docs/SUBNET.md §7): parse it,
 * download it into the local store under the size limit of its block's criteria,
 * verify hash, architecture and parameter count, then track it. Never throws for bad
 * network input: every refusal is a `rejected` result with a reason.
 *
 * A refused commitment never costs the hotkey its last good model: the tracker keeps
 * it, and it goes on being evaluated (only leaving the metagraph drops it). A verdict
 * on the commitment itself or on the files of its (immutable) commit is remembered
 * until the commitment changes, so a bad repo is neither fetched nor hashed again; a
 * failure to reach the files ({@link isTransientRejection}) is retried at the next sync.
 */
export class ModelUpdater {
  /** hotkey → the commitment (block and raw text) last refused for good. */
  private readonly rejected = new Map<string, string>();

  constructor(private readonly deps: ModelUpdaterDeps) {}

  /**
   * Sync `hotkey`; `force` re-checks even an unchanged commitment (top-miner resync),
   * but not one already refused for good.
   */
  async sync(
    hotkey: string,
    options: { readonly force?: boolean; readonly signal?: AbortSignal } = {},
  ): Promise<SyncResult> {
    const { chain, netuid, tracker } = this.deps;
    const commitment = await chain.commitment(netuid, hotkey);
    // No commitment (none yet, or no longer readable): whatever model was verified stays.
    if (commitment === undefined) return UNCHANGED;
    const key = `${commitment.block}:${commitment.data ?? '\u0000non-text'}`;
    if (this.rejected.get(hotkey) === key) return UNCHANGED;
    const id = commitment.data === undefined ? undefined : parseModelId(commitment.data);
    if (id === undefined) {
      const shown = commitment.data === undefined ? 'a non-text commitment' : JSON.stringify(commitment.data);
      return this.reject(hotkey, key, 'no-metadata', `cannot parse ${shown} as a model id`);
    }
    const metadata: ModelMetadata = { id, block: commitment.block };
    const tracked = tracker.get(hotkey);
    const same =
      tracked !== undefined &&
      formatModelId(tracked.id) === formatModelId(id) &&
      tracked.block === metadata.block;
    if (!options.force && same) return UNCHANGED;
    let criteria: ModelCriteria;
    try {
      criteria = criteriaForBlock(metadata.block, this.deps.schedule, id.competitionId);
    } catch (error) {
      return this.reject(hotkey, key, 'no-metadata', errorMessage(error));
    }
    let path: string;
    try {
      path = await this.obtain(hotkey, metadata, criteria, options.signal);
    } catch (error) {
      options.signal?.throwIfAborted();
      return this.reject(hotkey, key, rejectionReasonOf(error, 'download-failed'), errorMessage(error));
    }
    try {
      await this.verify(path, metadata, criteria);
    } catch (error) {
      // The files are here: an untyped failure to read them is a verdict on them, unless
      // this machine failed (disk full, too many open files).
      const fallback = isMachineError(error) ? 'download-failed' : 'corrupt';
      return this.reject(hotkey, key, rejectionReasonOf(error, fallback), errorMessage(error));
    }
    tracker.set(hotkey, metadata);
    this.rejected.delete(hotkey);
    await this.deps.contentHashes?.hashOf(path);
    return { kind: 'updated', metadata, path };
  }

  /** Forget the refusals of hotkeys that left the metagraph. */
  retainHotkeys(hotkeys: ReadonlySet<string>): void {
    for (const hotkey of [...this.rejected.keys()]) if (!hotkeys.has(hotkey)) this.rejected.delete(hotkey);
  }

  /** The local directory of the commitment's files, downloaded when not there yet. */
  private async obtain(
    hotkey: string,
    metadata: ModelMetadata,
    criteria: ModelCriteria,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const { store, local } = this.deps;
    let path = await local.retrieve(hotkey, metadata.id);
    if (path === undefined) {
      const dest = local.pathFor(hotkey, metadata.id);
      // A directory left by an interrupted download is not a model: start over.
      await rm(dest, { recursive: true, force: true });
      const { id } = metadata;
      this.deps.onDownload?.({ phase: 'start', hotkey, id });
      let ok = false;
      try {
        path = (await store.download(id, dest, { maxBytes: criteria.maxBytes, hotkey, signal })).path;
        ok = true;
      } finally {
        this.deps.onDownload?.({ phase: 'end', hotkey, id, ok });
      }
    } else if (!hashMatches(metadata.id.hash ?? '', await hashPretrainedFileSet(path), hotkey)) {
      throw new ModelRejectedError(
        'hash-mismatch',
        `local copy ${path} does not hash to ${metadata.id.hash}`,
      );
    }
    return path;
  }

  /** Check the architecture and parameter count of the model in `path` against `criteria`. */
  private async verify(path: string, metadata: ModelMetadata, criteria: ModelCriteria): Promise<void> {
    const spec = await openModelSpec(path);
    if (!criteria.allowedArchitectures.includes(spec.architecture)) {
      throw new ModelRejectedError(
        'unsupported-architecture',
        `${spec.architecture} is not allowed at block ${metadata.block} (allowed: ${criteria.allowedArchitectures.join(', ')})`,
      );
    }
    if (spec.parameterCount > criteria.maxParameters) {
      throw new ModelRejectedError(
        'too-many-parameters',
        `${spec.parameterCount} parameters exceed the limit of ${criteria.maxParameters} at block ${metadata.block}`,
      );
    }
  }

  private reject(hotkey: string, key: string, reason: RejectionReason, message: string): SyncResult {
    if (this.rejected.get(hotkey) !== key) {
      if (!isTransientRejection(reason)) this.rejected.set(hotkey, key);
      this.deps.logger.warn('model rejected', { hotkey, reason, message });
      this.deps.onRejection?.({ reason, hotkey, message });
    }
    return { kind: 'rejected', reason, message };
  }
}
