import type { ChainClient, ChainSigner, Logger } from '../contracts/index.js';
import { toU16Weights } from '../scoring/index.js';
import { errorMessage } from './rejection-reason.js';
import { sleep } from './sleep.js';
import type { ValidatorObserver } from './validator-events.js';

/** Collaborators and settings of a {@link WeightSetter}. */
export interface WeightSetterDeps {
  readonly chain: ChainClient;
  readonly netuid: number;
  readonly signer: ChainSigner;
  readonly versionKey: number;
  readonly blocksPerEpoch: number;
  readonly logger: Logger;
  readonly observer?: ValidatorObserver | undefined;
}

/**
 * Sets the validator's weights once per epoch (docs/SUBNET.md §7): at most one attempt per
 * `blocksPerEpoch` blocks; a failure is logged and retried at the next epoch.
 */
export class WeightSetter {
  private lastAttemptBlock: number | undefined;
  /** Block at which weights last landed on chain. */
  lastSetBlock: number | undefined;

  constructor(private readonly deps: WeightSetterDeps) {}

  /**
   * Set `weights` (index = uid) when an epoch has passed since the last attempt.
   * Returns true when weights were set. All-zero weights (no step yet) are not set.
   * Never throws: chain failures are logged and retried at the next chance.
   */
  async maybeSet(weights: readonly number[]): Promise<boolean> {
    const { chain, logger } = this.deps;
    if (!weights.some((w) => w > 0)) return false;
    let block: number;
    try {
      block = await chain.currentBlock();
    } catch (error) {
      logger.warn('could not read the block for the weights epoch', { error: errorMessage(error) });
      return false;
    }
    if (this.lastAttemptBlock !== undefined && block - this.lastAttemptBlock < this.deps.blocksPerEpoch)
      return false;
    this.lastAttemptBlock = block;
    const u16 = toU16Weights(
      weights.map((_, uid) => uid),
      [...weights],
    );
    try {
      const inclusion = await chain.setWeights(this.deps.netuid, this.deps.signer, u16, this.deps.versionKey);
      this.lastSetBlock = inclusion.block;
      logger.info('weights set', { block: inclusion.block, uids: u16.uids.length });
      this.deps.observer?.onWeightsSet?.({ block: inclusion.block, uids: u16.uids, values: u16.values });
      return true;
    } catch (error) {
      const message = errorMessage(error);
      logger.error('setting weights failed; retrying next epoch', { block, error: message });
      this.deps.observer?.onWeightsFailed?.({ message });
      return false;
    }
  }

  /** Call {@link maybeSet} with the current `weights()` every `pollMs` until `signal` aborts. */
  async run(weights: () => readonly number[], pollMs: number, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.maybeSet(weights());
      await sleep(pollMs, signal);
    }
  }
}
