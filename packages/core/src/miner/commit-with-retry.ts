import type { ChainClient, ChainSigner, Logger } from '../contracts/index.js';
import { ChainError, isPretrainError } from '@pretrain/backend-sdk';
import { sleep, waitForBlock } from './wait-for-block.js';

/** Options of {@link commitWithRetry}. */
export interface CommitRetryOptions {
  readonly chain: ChainClient;
  readonly netuid: number;
  readonly signer: ChainSigner;
  /** The compressed model id to write. */
  readonly data: string;
  readonly logger: Logger;
  /** Attempts for failures other than the rate limit (default 3). */
  readonly maxAttempts?: number;
  /** Pause between those attempts (default 30 s). */
  readonly retryDelayMs?: number;
  /** How many times to wait out the rate limit before giving up (default 5). */
  readonly maxRateLimitWaits?: number;
  /** Block polling period while waiting out the rate limit (default 2 s). */
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
}

/** A commitment that was written and read back identical. */
export interface CommitOutcome {
  /** Block of the commitment as the chain stores it (what validators compare). */
  readonly block: number;
  readonly txHash: string;
  /** Commit attempts made, rate-limit waits included. */
  readonly attempts: number;
}

/** The block a rate-limited chain call may be retried at, if `error` says so. */
export function retryAtBlockOf(error: unknown): number | undefined {
  if (error instanceof ChainError) return error.retryAtBlock;
  // A ChainError from another copy of core (a plugin's own dependency) has the same shape.
  if (isPretrainError(error) && error.code === 'PRETRAIN_CHAIN') {
    const block = (error as { retryAtBlock?: unknown }).retryAtBlock;
    return typeof block === 'number' ? block : undefined;
  }
  return undefined;
}

/**
 * Write `data` as the signer's commitment, read it back and compare (docs/SUBNET.md §9).
 * When the chain refuses with a rate limit naming the block it allows, wait until that
 * block and retry; other failures are retried after a pause, up to `maxAttempts`.
 *
 * @throws ChainError when the attempts run out or the read-back never matches.
 */
export async function commitWithRetry(options: CommitRetryOptions): Promise<CommitOutcome> {
  const { chain, netuid, signer, data, logger, signal } = options;
  const maxAttempts = options.maxAttempts ?? 3;
  const maxWaits = options.maxRateLimitWaits ?? 5;
  let failures = 0;
  let waits = 0;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      const inclusion = await chain.commit(netuid, signer, data);
      const back = await chain.commitment(netuid, signer.address);
      if (back?.data !== data) {
        throw new ChainError(
          `the commitment read back for ${signer.address} is ${JSON.stringify(back?.data ?? null)}, not the ${JSON.stringify(data)} just written`,
          { hint: 'another process may be committing for this hotkey; check it and push again' },
        );
      }
      return { block: back.block, txHash: inclusion.txHash, attempts: attempt };
    } catch (error) {
      signal?.throwIfAborted();
      const retryAt = retryAtBlockOf(error);
      if (retryAt !== undefined && waits < maxWaits) {
        waits++;
        logger.info('commitment rate-limited; waiting for the block the chain allows', {
          retryAtBlock: retryAt,
        });
        await waitForBlock(chain, retryAt, { pollMs: options.pollMs, signal });
        continue;
      }
      failures++;
      if (failures >= maxAttempts || retryAt !== undefined) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn('commit failed; retrying', { attempt, reason, retryInMs: options.retryDelayMs ?? 30_000 });
      await sleep(options.retryDelayMs ?? 30_000, signal);
    }
  }
}
