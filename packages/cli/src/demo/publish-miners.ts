import { join } from 'node:path';
import {
  downloadCompetitor,
  pushModel,
  type ChainClient,
  type ChainSigner,
  type Logger,
  type ModelStore,
  type PushResult,
} from '@pretrain/core';
import type { DemoModel } from './demo-models.js';

/** A demo miner once its model is committed. */
export interface PublishedMiner {
  readonly label: string;
  readonly description: string;
  readonly hotkey: string;
  readonly push: PushResult;
}

/** Options of {@link publishMiners}. */
export interface PublishMinersOptions {
  readonly chain: ChainClient;
  readonly netuid: number;
  readonly store: ModelStore;
  /** The original models, best first; the copier copies the first. */
  readonly models: readonly DemoModel[];
  /** One registered hotkey per model, then one for the copier. */
  readonly signers: readonly ChainSigner[];
  /** Scratch directory for the copier's download. */
  readonly workDir: string;
  readonly logger: Logger;
  /** Called after each commitment, for progress output. */
  readonly onPublished?: (miner: PublishedMiner) => void;
}

/**
 * Push every original model from its own hotkey (upload, commit, read back), then play
 * the copier: download the best miner's model with the validator's checks, as
 * `pretrain download` does, and push the identical files from another hotkey. The copy
 * lands at a later block, which is what the epsilon advantage of docs/SUBNET.md §6 is for.
 */
export async function publishMiners(options: PublishMinersOptions): Promise<PublishedMiner[]> {
  const { chain, netuid, store, models, signers, logger } = options;
  const published: PublishedMiner[] = [];
  const publish = async (
    label: string,
    description: string,
    dir: string,
    signer: ChainSigner,
  ): Promise<PublishedMiner> => {
    const push = await pushModel({
      dir,
      repo: `demo-${label}/${label}-lm`,
      chain,
      store,
      netuid,
      signer,
      logger,
      retryDelayMs: 1000,
      pollMs: 500,
    });
    const miner = { label, description, hotkey: signer.address, push };
    published.push(miner);
    options.onPublished?.(miner);
    return miner;
  };
  for (const [i, model] of models.entries())
    await publish(model.label, model.description, model.dir, signerAt(signers, i));
  const best = published[0]!;
  const copy = await downloadCompetitor({
    chain,
    netuid,
    store,
    hotkey: best.hotkey,
    dest: join(options.workDir, 'copied'),
    logger,
  });
  await publish(
    'copier',
    `a byte-identical copy of ${best.label}, committed later`,
    copy.path,
    signerAt(signers, models.length),
  );
  return published;
}

function signerAt(signers: readonly ChainSigner[], index: number): ChainSigner {
  const signer = signers[index];
  if (signer === undefined)
    throw new RangeError(`the demo needs ${index + 1} miner hotkeys, got ${signers.length}`);
  return signer;
}
