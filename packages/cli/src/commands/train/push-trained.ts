import {
  pushModel,
  TOKENS,
  UsageError,
  validateRepoId,
  type Container,
  type PushResult,
} from '@pretrain/core';
import type { CommandContext } from '../cli-command.js';
import { openChainSession } from '../push/chain-session.js';
import { requireHubToken } from '../push/model-store-option.js';

/** Where and how a trained model is pushed (`--repo`, `--model-store`, `--use-hotkey-in-hash`). */
export interface PushTarget {
  readonly repo: string | undefined;
  readonly modelStore: string;
  readonly useHotkeyInHash: boolean;
}

/** What `--push-below` needs besides the trained model. */
export interface PushBelowOptions extends PushTarget {
  /** `--push-below`: push when the best epoch average loss is below it (the reference's rule). */
  readonly threshold: number;
}

/** How the push connects: `pretrain push`'s chain session unless a caller (a test) gives its own. */
export type OpenSession = typeof openChainSession;

/**
 * Refuse a push flag (`--push-below`, `--push-if-better`) without what a push needs, or with
 * a `--repo` that `pretrain push` would refuse, before training: not after hours of it.
 */
export function checkPushTarget(flag: string, target: PushTarget, context: CommandContext): void {
  if (target.repo === undefined) {
    throw new UsageError(`${flag} needs --repo <namespace/name> and the wallet flags`, {
      hint: 'e.g. --repo my-org/my-model --wallet my-wallet --hotkey my-hotkey',
    });
  }
  validateRepoId(target.repo);
  requireHubToken(target.modelStore, context.config.hfToken);
}

/** Refuse `--push-below` without what a push needs, before training starts. */
export function checkPushBelow(options: PushBelowOptions, context: CommandContext): void {
  if (!Number.isFinite(options.threshold) || options.threshold <= 0) {
    throw new UsageError(`--push-below ${options.threshold} must be a loss > 0`, {
      hint: 'the reference miner pushes when the best average loss is below --avg_loss_upload_threshold',
    });
  }
  checkPushTarget('--push-below', options, context);
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
  open: OpenSession = openChainSession,
): Promise<(PushResult & { readonly hotkey: string }) | undefined> {
  if (bestLoss === undefined || !(bestLoss < options.threshold)) {
    context.logger.info('not pushing: the best loss is not below --push-below', {
      best: bestLoss ?? null,
      threshold: options.threshold,
    });
    return undefined;
  }
  return pushTrained(dir, options, context, container, open);
}

/** Push the model in `dir` with `pretrain push`'s code: upload, commit from the hotkey, read back. */
export async function pushTrained(
  dir: string,
  target: PushTarget,
  context: CommandContext,
  container: Container,
  open: OpenSession = openChainSession,
): Promise<PushResult & { readonly hotkey: string }> {
  const { logger, config, io } = context;
  const store = await container.resolve(TOKENS.ModelStore);
  const session = await open(config, { signer: true, io }, container);
  const signer = session.signer;
  if (signer === undefined) throw new UsageError('pushing needs a hotkey to sign with');
  const result = await pushModel({
    dir,
    repo: target.repo as string,
    chain: session.chain,
    store,
    netuid: config.netuid,
    signer,
    useHotkeyInHash: target.useHotkeyInHash,
    logger,
  });
  return { ...result, hotkey: signer.address };
}
