import { SUBNET9_CONSTANTS, type ChainClient, type Logger, type StepHistory } from '@pretrain/core';
import { WandbApi } from './wandb-api.js';
import type { WandbSettings } from './wandb-options.js';
import { WandbStepLogger } from './wandb-step-logger.js';

/** The validator a W&B run describes. */
export interface WandbValidatorInfo {
  /** Its steps: every step appended is sent. */
  readonly history: Pick<StepHistory, 'subscribe'>;
  readonly chain: Pick<ChainClient, 'metagraph'>;
  readonly netuid: number;
  /** Its hotkey (SS58); absent offline without a wallet. */
  readonly hotkey: string | undefined;
  readonly backend: string;
  readonly device: string;
  /** `@pretrain/cli`'s version. */
  readonly version: string;
  readonly logger: Logger;
}

/** Timings of the W&B logging (tests shorten them). */
export interface WandbTimings {
  /** Per request (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** The wait for the run's end at shutdown (default 10 s). */
  readonly finishTimeoutMs?: number;
}

/** Logging in progress; {@link close} ends the run within its deadline. */
export interface WandbLogging {
  close(): Promise<void>;
}

/**
 * Log every step the validator appends to its history to W&B, as the reference validator
 * does: runs named `validator-<uid>-<time>` with its uid, hotkey, validator version and
 * `type: validator` (plus netuid, backend, device and our version) as config.
 */
export async function startWandbLogging(
  settings: WandbSettings,
  validator: WandbValidatorInfo,
  timings: WandbTimings = {},
): Promise<WandbLogging> {
  const uid = await validatorUid(validator);
  const logger = validator.logger.child({ component: 'wandb' });
  const steps = new WandbStepLogger({
    api: new WandbApi({
      baseUrl: settings.baseUrl,
      apiKey: settings.apiKey,
      timeoutMs: timings.requestTimeoutMs ?? 30_000,
      userAgent: `pretrain/${validator.version}`,
    }),
    project: settings.project,
    entity: settings.entity,
    config: {
      uid,
      hotkey: validator.hotkey ?? null,
      version: SUBNET9_CONSTANTS.validatorVersion,
      type: 'validator',
      netuid: validator.netuid,
      backend: validator.backend,
      device: validator.device,
      pretrain_version: validator.version,
    },
    namePrefix: `validator-${uid ?? 'unregistered'}`,
    logger,
  });
  const unsubscribe = validator.history.subscribe((record) => {
    if (record.type === 'step') steps.log(record);
  });
  return {
    close: async () => {
      unsubscribe();
      await steps.finish(timings.finishTimeoutMs ?? 10_000);
    },
  };
}

/** The validator's uid, or null when it has none or the chain cannot say now. */
async function validatorUid(validator: WandbValidatorInfo): Promise<number | null> {
  if (validator.hotkey === undefined) return null;
  try {
    const metagraph = await validator.chain.metagraph(validator.netuid);
    return metagraph.neurons.find((neuron) => neuron.hotkey === validator.hotkey)?.uid ?? null;
  } catch {
    return null;
  }
}
