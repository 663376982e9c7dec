import { rm } from 'node:fs/promises';
import { openModelSpec, TOKENS, type Container, type TokenBatch } from '@pretrain/core';
import type { CommandContext } from '../cli-command.js';
import { scoreEvaluations, type EvalReportEntry } from '../eval/eval-report.js';
import { evaluateModels } from '../eval/evaluate-models.js';
import { openChainSession } from '../push/chain-session.js';
import { pushTrained, type OpenSession, type PushTarget } from './push-trained.js';
import { downloadChosenModel } from './start-model.js';

/** The trained model against the top miner's, scored as a validator scores them. */
export interface HeadToHead {
  readonly trained: EvalReportEntry & { readonly block: number };
  readonly top: EvalReportEntry & { readonly uid: number; readonly hotkey: string; readonly block: number };
  /** Whether the trained model wins (the higher win rate, under the top's epsilon advantage). */
  readonly wins: boolean;
  /** Why the trained model scored +inf (failed sanity check, load or runtime error), when it did. */
  readonly failure?: string;
}

/** Options of {@link pushIfBetter}. */
export interface PushIfBetterOptions {
  /** The trained model to judge and push. */
  readonly dir: string;
  /** A scratch directory for the top miner's model (replaced, removed after). */
  readonly scratch: string;
  /** Fresh pages the trained model did not train on, batched as validators batch them. */
  readonly batches: readonly TokenBatch[];
  readonly target: PushTarget;
  readonly open?: OpenSession;
}

/**
 * `--push-if-better`: download the top miner's model (highest incentive) with download's
 * checks, evaluate both with `pretrain eval`'s code (sanity check, per-batch losses) on
 * fresh pages, score them head to head with the top's commitment block and the trained
 * model's later one (so the top keeps its epsilon advantage), and push the trained model
 * with `--push-below`'s code only when it would win.
 */
export async function pushIfBetter(
  options: PushIfBetterOptions,
  context: CommandContext,
  container: Container,
): Promise<{
  readonly match: HeadToHead;
  readonly pushed: Awaited<ReturnType<typeof pushTrained>> | undefined;
}> {
  const { logger, config, io } = context;
  const open = options.open ?? openChainSession;
  let match: HeadToHead;
  try {
    const top = await downloadChosenModel(
      'best',
      options.scratch,
      context,
      container,
      "the top miner's model",
    );
    const session = await open(config, { signer: false, io }, container);
    // The trained model would commit now or later: after the top, so it carries the epsilon.
    const block = Math.max(await session.chain.currentBlock(), top.metadata.block + 1);
    const specs = [await openModelSpec(options.dir), await openModelSpec(top.path)];
    const evaluations = await evaluateModels({
      backend: await container.resolve(TOKENS.LossBackend),
      specs,
      batches: options.batches,
      sanityCheck: true,
    });
    const [trained, best] = scoreEvaluations([options.dir, top.path], evaluations, [
      block,
      top.metadata.block,
    ]) as [EvalReportEntry, EvalReportEntry];
    match = {
      trained: { ...trained, block },
      top: { ...best, uid: top.uid, hotkey: top.hotkey, block: top.metadata.block },
      wins: trained.winRate > best.winRate,
      ...(evaluations[0]?.failure === undefined ? {} : { failure: evaluations[0].failure }),
    };
  } finally {
    await rm(options.scratch, { recursive: true, force: true });
  }
  const summary = {
    trainedLoss: match.trained.averageLoss,
    trainedWinRate: match.trained.winRate,
    topUid: match.top.uid,
    topLoss: match.top.averageLoss,
    topWinRate: match.top.winRate,
    batches: options.batches.length,
    ...(match.failure === undefined ? {} : { trainedFailure: match.failure }),
  };
  if (!match.wins) {
    logger.info('not pushing: the trained model would not beat the top miner under epsilon', summary);
    return { match, pushed: undefined };
  }
  logger.info('the trained model beats the top miner: pushing', summary);
  const pushed = await pushTrained(options.dir, options.target, context, container, open);
  return { match, pushed };
}
