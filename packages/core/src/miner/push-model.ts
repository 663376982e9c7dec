import type { ChainClient, ChainSigner, Logger, ModelStore } from '../contracts/index.js';
import { silentLogger } from '../contracts/index.js';
import { criteriaForBlock, type CompetitionSchedule } from '../criteria/index.js';
import { UsageError } from '@pretrain/backend-sdk';
import { validateCommitment, validateRepoId, type ModelId } from '../model/index.js';
import { checkModelCriteria } from './check-model-criteria.js';
import { commitWithRetry } from './commit-with-retry.js';

/** Options of {@link pushModel}. */
export interface PushModelOptions {
  /** The model directory (config.json + *.safetensors). */
  readonly dir: string;
  /** Target repo id, `namespace/name`. */
  readonly repo: string;
  readonly chain: ChainClient;
  readonly store: ModelStore;
  readonly netuid: number;
  /** The miner's hotkey. */
  readonly signer: ChainSigner;
  /** Salt the hash with the hotkey, so a same-block copy by another hotkey fails (docs/SUBNET.md §3). */
  readonly useHotkeyInHash?: boolean;
  /** Competition to enter (5th field of later subnet versions); absent in schema 2.2.2. */
  readonly competitionId?: string;
  readonly schedule?: CompetitionSchedule;
  readonly logger?: Logger;
  /** Commit attempts for failures other than the rate limit (default 3). */
  readonly maxAttempts?: number;
  /** Pause between those attempts (default 30 s). */
  readonly retryDelayMs?: number;
  /** Block polling period while waiting out the rate limit (default 2 s). */
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
}

/** What {@link pushModel} published. */
export interface PushResult {
  /** The uploaded model's id, commit and (maybe salted) hash included. */
  readonly id: ModelId;
  /** The compressed string now on chain. */
  readonly commitment: string;
  /** Block of the commitment as read back. */
  readonly block: number;
  readonly txHash: string;
  readonly bytes: number;
  readonly parameters: number;
  readonly attempts: number;
}

/**
 * The miner's push (docs/SUBNET.md §9): check the model against the criteria in force now,
 * check the hotkey's registration, upload, commit the compressed id, read it back.
 * Rate limits are waited out (see `commitWithRetry`).
 *
 * @throws UsageError for a bad repo id or an unregistered hotkey; ModelRejectedError for
 *   a model validators would refuse; ModelStoreError / ChainError from the adapters.
 */
export async function pushModel(options: PushModelOptions): Promise<PushResult> {
  const { chain, store, netuid, signer, signal } = options;
  const logger = options.logger ?? silentLogger;
  const repo = validateRepoId(options.repo);
  const block = await chain.currentBlock();
  const criteria = criteriaForBlock(block, options.schedule, options.competitionId);
  const { spec, bytes } = await checkModelCriteria(options.dir, criteria);
  logger.info('model meets the criteria', {
    block,
    architecture: spec.architecture,
    parameters: spec.parameterCount,
    bytes,
  });
  if (!(await chain.isRegistered(netuid, signer.address))) {
    throw new UsageError(`hotkey ${signer.address} is not registered on subnet ${netuid}`, {
      hint: `register it first (e.g. \`btcli subnets register --netuid ${netuid}\`); only registered hotkeys can commit`,
    });
  }
  const uploaded = await store.upload(options.dir, repo, {
    hotkey: options.useHotkeyInHash === true ? signer.address : undefined,
    message: 'pretrain push',
    signal,
  });
  const id: ModelId =
    options.competitionId === undefined ? uploaded : { ...uploaded, competitionId: options.competitionId };
  const commitment = validateCommitment(id);
  logger.info('uploaded', { repo: `${id.namespace}/${id.name}`, commit: id.commit, hash: id.hash });
  const outcome = await commitWithRetry({
    chain,
    netuid,
    signer,
    data: commitment,
    logger,
    maxAttempts: options.maxAttempts,
    retryDelayMs: options.retryDelayMs,
    pollMs: options.pollMs,
    signal,
  });
  logger.info('committed and read back', { block: outcome.block, commitment });
  return { id, commitment, ...outcome, bytes, parameters: spec.parameterCount };
}
