import { rm } from 'node:fs/promises';
import { openModelSpec } from '../artifacts/index.js';
import type { ChainClient, LocalModelStore, Logger, ModelStore } from '../contracts/index.js';
import { criteriaForBlock, type CompetitionSchedule, type ModelCriteria } from '../criteria/index.js';
import { ModelRejectedError, type RejectionReason } from '../errors/index.js';
import {
  formatModelId,
  hashMatches,
  hashPretrainedFileSet,
  parseModelId,
  type ModelMetadata,
} from '../model/index.js';
import type { ModelTracker } from '../tracker/index.js';
import { errorMessage, rejectionReasonOf } from './rejection-reason.js';

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
  /** Called once per refused commitment (each attempt for failed downloads), for logs and metrics. */
  readonly onRejection?: (info: { reason: RejectionReason; hotkey: string; message: string }) => void;
}

/**
 * Brings one hotkey's model up to date with its commitment (SUBNET9.md §7): parse it,
 * download it into the local store under the size limit of its block's criteria,
 * verify hash, architecture and parameter count, then track it. Never throws for bad
 * network input: every refusal is a `rejected` result with a reason.
 */
export class ModelUpdater {
  /** hotkey → the commitment last refused for good, so a bad repo is not fetched every cycle. */
  private readonly rejected = new Map<string, string>();

  constructor(private readonly deps: ModelUpdaterDeps) {}

  /** Sync `hotkey`; `force` re-checks even an unchanged commitment (top-miner resync). */
  async sync(
    hotkey: string,
    options: { readonly force?: boolean; readonly signal?: AbortSignal } = {},
  ): Promise<SyncResult> {
    const { chain, netuid, tracker } = this.deps;
    const commitment = await chain.commitment(netuid, hotkey);
    if (commitment === undefined) return this.dropped(hotkey);
    const id = commitment.data === undefined ? undefined : parseModelId(commitment.data);
    if (id === undefined) {
      tracker.delete(hotkey);
      const shown = commitment.data === undefined ? 'a non-text commitment' : JSON.stringify(commitment.data);
      return this.reject(hotkey, `${commitment.block}`, 'no-metadata', `cannot parse ${shown} as a model id`);
    }
    const metadata: ModelMetadata = { id, block: commitment.block };
    const key = `${formatModelId(id)}@${commitment.block}`;
    const tracked = tracker.get(hotkey);
    const same =
      tracked !== undefined &&
      formatModelId(tracked.id) === formatModelId(id) &&
      tracked.block === metadata.block;
    if (!options.force && (same || this.rejected.get(hotkey) === key)) return { kind: 'unchanged' };
    let criteria: ModelCriteria;
    try {
      criteria = criteriaForBlock(metadata.block, this.deps.schedule, id.competitionId);
    } catch (error) {
      tracker.delete(hotkey);
      return this.reject(hotkey, key, 'no-metadata', errorMessage(error));
    }
    try {
      const path = await this.fetch(hotkey, metadata, criteria, options.signal);
      tracker.set(hotkey, metadata);
      this.rejected.delete(hotkey);
      return { kind: 'updated', metadata, path };
    } catch (error) {
      options.signal?.throwIfAborted();
      // The miner's current claim is this bad model; an older tracked one no longer counts.
      tracker.delete(hotkey);
      return this.reject(hotkey, key, rejectionReasonOf(error, 'download-failed'), errorMessage(error));
    }
  }

  private async fetch(
    hotkey: string,
    metadata: ModelMetadata,
    criteria: ModelCriteria,
    signal?: AbortSignal,
  ): Promise<string> {
    const { store, local } = this.deps;
    let path = await local.retrieve(hotkey, metadata.id);
    if (path === undefined) {
      const dest = local.pathFor(hotkey, metadata.id);
      // A directory left by an interrupted download is not a model: start over.
      await rm(dest, { recursive: true, force: true });
      path = (await store.download(metadata.id, dest, { maxBytes: criteria.maxBytes, hotkey, signal })).path;
    } else if (!hashMatches(metadata.id.hash ?? '', await hashPretrainedFileSet(path), hotkey)) {
      throw new ModelRejectedError(
        'hash-mismatch',
        `local copy ${path} does not hash to ${metadata.id.hash}`,
      );
    }
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
    return path;
  }

  private dropped(hotkey: string): SyncResult {
    this.deps.tracker.delete(hotkey);
    return { kind: 'unchanged' };
  }

  private reject(hotkey: string, key: string, reason: RejectionReason, message: string): SyncResult {
    if (this.rejected.get(hotkey) !== key) {
      // A failed download may succeed next time round; every other verdict is final.
      if (reason !== 'download-failed') this.rejected.set(hotkey, key);
      this.deps.logger.warn('model rejected', { hotkey, reason, message });
      this.deps.onRejection?.({ reason, hotkey, message });
    }
    return { kind: 'rejected', reason, message };
  }
}
