import {
  parsePluginChoice,
  pushModel,
  TOKENS,
  UsageError,
  type Container,
  type PushResult,
} from '@pretrain/core';
import type { CommandContext } from '../cli-command.js';
import { openChainSession } from '../push/chain-session.js';

/** What `--push-below` needs besides the trained model. */
export interface PushBelowOptions {
  /** `--push-below`: push when the best epoch average loss is below it (the reference's rule). */
  readonly threshold: number;
  readonly repo: string | undefined;
  readonly modelStore: string;
  readonly useHotkeyInHash: boolean;
}

/** Refuse `--push-below` without what a push needs, before training starts. */
export function checkPushBelow(options: PushBelowOptions, context: CommandContext): void {
  if (!Number.isFinite(options.threshold) || options.threshold <= 0) {
    throw new UsageError(`--push-below ${options.threshold} must be a loss > 0`, {
      hint: 'the reference miner pushes when the best average loss is below --avg_loss_upload_threshold',
    });
  }
  if (options.repo === undefined) {
    throw new UsageError('--push-below needs --repo <namespace/name> and the wallet flags', {
      hint: 'e.g. --repo my-org/my-model --wallet my-wallet --hotkey my-hotkey',
    });
  }
  if (parsePluginChoice(options.modelStore).name === 'hf' && context.config.hfToken === undefined) {
    throw new UsageError('pushing to the Hugging Face hub needs an access token', {
      hint: 'set PRETRAIN_HF_TOKEN, or use --model-store dir:<path>',
    });
  }
}

/**
 * Push the model in `dir` (upload, commit from the hotkey, read back) with `pretrain push`'s
 * code, when `bestLoss` is below the threshold; `undefined` when it is not.
 */
export async function pushIfBelow(
  dir: string,
  bestLoss: number | undefined,
  options: PushBelowOptions,
  context: CommandContext,
  container: Container,
): Promise<(PushResult & { readonly hotkey: string }) | undefined> {
  const { logger, config, io } = context;
  if (bestLoss === undefined || !(bestLoss < options.threshold)) {
    logger.info('not pushing: the best loss is not below --push-below', {
      best: bestLoss ?? null,
      threshold: options.threshold,
    });
    return undefined;
  }
  const store = await container.resolve(TOKENS.ModelStore);
  const session = await openChainSession(config, { signer: true, io }, container);
  const signer = session.signer;
  if (signer === undefined) throw new UsageError('--push-below needs a hotkey to sign with');
  const result = await pushModel({
    dir,
    repo: options.repo as string,
    chain: session.chain,
    store,
    netuid: config.netuid,
    signer,
    useHotkeyInHash: options.useHotkeyInHash,
    logger,
  });
  return { ...result, hotkey: signer.address };
}
