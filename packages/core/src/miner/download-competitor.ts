import { access, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ChainClient, LocalModelStore, Logger, ModelStore } from '../contracts/index.js';
import { silentLogger } from '../contracts/index.js';
import type { CompetitionSchedule } from '../criteria/index.js';
import { ModelRejectedError, UsageError } from '@pretrain/backend-sdk';
import type { ModelMetadata } from '../model/index.js';
import { ModelTracker } from '../tracker/index.js';
import { ModelUpdater } from '../validator/model-updater.js';

/** Options of {@link downloadCompetitor}: exactly one of `uid` and `hotkey`. */
export interface DownloadCompetitorOptions {
  readonly chain: ChainClient;
  readonly netuid: number;
  readonly store: ModelStore;
  /** Directory to create for the model; must not exist yet. */
  readonly dest: string;
  readonly uid?: number;
  readonly hotkey?: string;
  readonly schedule?: CompetitionSchedule;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

/** A competitor's model, downloaded and accepted. */
export interface DownloadedCompetitor {
  readonly hotkey: string;
  readonly metadata: ModelMetadata;
  /** Where the verified files are (`dest`). */
  readonly path: string;
}

/**
 * Fetch the model a competitor committed, with exactly the validator's checks: it runs
 * the validator's own `ModelUpdater` (commitment parsing, size limit before download,
 * hash, architecture, parameter count) with a local store that has one slot, `dest`.
 *
 * @throws UsageError for a bad uid, an existing `dest` or a hotkey without commitment;
 *   ModelRejectedError (with the validator's reason) for a model validators refuse.
 */
export async function downloadCompetitor(options: DownloadCompetitorOptions): Promise<DownloadedCompetitor> {
  const { chain, netuid } = options;
  const logger = options.logger ?? silentLogger;
  const dest = resolve(options.dest);
  if ((options.uid === undefined) === (options.hotkey === undefined)) {
    throw new UsageError('give exactly one of a uid and a hotkey', {
      hint: 'e.g. --uid 3 or --hotkey 5F...',
    });
  }
  if (
    await access(dest).then(
      () => true,
      () => false,
    )
  ) {
    throw new UsageError(`'${dest}' already exists`, {
      hint: 'name a new directory; a download never overwrites files',
    });
  }
  const hotkey = options.hotkey ?? (await hotkeyOfUid(chain, netuid, options.uid!));
  const oneSlot: LocalModelStore = {
    root: dirname(dest),
    pathFor: () => dest,
    retrieve: async () => undefined,
    deleteUnreferenced: async () => [],
  };
  const updater = new ModelUpdater({
    chain,
    netuid,
    store: options.store,
    local: oneSlot,
    tracker: new ModelTracker(),
    logger,
    schedule: options.schedule,
  });
  const result = await updater.sync(hotkey, { signal: options.signal });
  if (result.kind === 'updated') return { hotkey, metadata: result.metadata, path: result.path };
  // Checks after the download (architecture, parameters) leave refused files behind.
  await rm(dest, { recursive: true, force: true });
  if (result.kind === 'rejected') {
    throw new ModelRejectedError(
      result.reason,
      `the model committed by ${hotkey} is refused: ${result.message}`,
      {
        hint: 'validators refuse it the same way; nothing was kept',
      },
    );
  }
  throw new UsageError(`hotkey ${hotkey} has no commitment on subnet ${netuid}`, {
    hint: 'check the hotkey or uid; a miner appears once it commits a model',
  });
}

async function hotkeyOfUid(chain: ChainClient, netuid: number, uid: number): Promise<string> {
  const { neurons } = await chain.metagraph(netuid);
  const neuron = Number.isInteger(uid) ? neurons[uid] : undefined;
  if (neuron === undefined) {
    throw new UsageError(`uid ${uid} is not on subnet ${netuid}, which has uids 0 to ${neurons.length - 1}`, {
      hint: 'uids are dense: pick one below the count',
    });
  }
  return neuron.hotkey;
}
