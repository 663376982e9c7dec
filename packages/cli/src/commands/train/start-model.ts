import { rm } from 'node:fs/promises';
import {
  downloadCompetitor,
  TOKENS,
  UsageError,
  type Container,
  type DownloadedCompetitor,
  type Metagraph,
} from '@pretrain/core';
import type { CommandContext } from '../cli-command.js';
import { openChainSession } from '../push/chain-session.js';

/**
 * The uid with the highest incentive, the lowest uid on a tie: the reference miner's
 * `--load_best` (`pretrain/graph.py` `best_uid`: Python's `max` keeps the first maximum).
 */
export function bestUid(metagraph: Metagraph): number {
  const [first, ...rest] = metagraph.neurons;
  if (first === undefined) {
    throw new UsageError(`subnet ${metagraph.netuid} has no neurons to take the best model from`, {
      hint: 'start from --model, --init or --from-uid instead',
    });
  }
  let best = first;
  for (const neuron of rest) if (neuron.incentive > best.incentive) best = neuron;
  return best.uid;
}

/** Which committed model to fetch: a given uid, or the best one by incentive. */
export type CompetitorChoice = { readonly uid: number } | 'best';

/**
 * Download a competitor's committed model into `dest` (replaced if there) with every
 * check `pretrain download` makes: its `downloadCompetitor`, on the composition root's
 * chain client and model store.
 */
export async function downloadChosenModel(
  choice: CompetitorChoice,
  dest: string,
  context: CommandContext,
  container: Container,
  what = 'the starting model',
): Promise<DownloadedCompetitor & { readonly uid: number }> {
  const { config, io, logger } = context;
  const store = await container.resolve(TOKENS.ModelStore);
  const session = await openChainSession(config, { signer: false, io }, container);
  const uid = choice === 'best' ? bestUid(await session.chain.metagraph(config.netuid)) : choice.uid;
  // `dest` is this run's own directory (`<out>.init` or a scratch one): a stale copy goes.
  await rm(dest, { recursive: true, force: true });
  const got = await downloadCompetitor({
    chain: session.chain,
    netuid: config.netuid,
    store,
    dest,
    uid,
    logger,
  });
  logger.info(`downloaded ${what}`, { uid, hotkey: got.hotkey, block: got.metadata.block });
  return { ...got, uid };
}
