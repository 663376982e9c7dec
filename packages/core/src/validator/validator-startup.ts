import { randomUUID } from 'node:crypto';
import { UsageError } from '@pretrain/backend-sdk';
import { ModelTracker } from '../tracker/index.js';
import { loadValidatorState } from './state-file.js';
import { UidQueue } from './uid-queue.js';
import type { ValidatorDeps } from './validator-deps.js';
import type { ValidatorOptions } from './validator-options.js';

/** What a validator starts from: the saved state, or a fresh one. */
export interface ResumedState {
  readonly tracker: ModelTracker;
  readonly queue: UidQueue;
  readonly step: number;
  readonly weights: number[];
  /** The run id of the saved state, or a new one for a fresh start (see `ValidatorState.run`). */
  readonly run: string;
}

/**
 * Unless offline, make sure the validator has a hotkey registered on the subnet.
 *
 * @throws UsageError without a hotkey, or for one that is not registered.
 */
export async function assertCanValidate(deps: ValidatorDeps, options: ValidatorOptions): Promise<void> {
  if (options.offline) return;
  if (deps.signer === undefined) {
    throw new UsageError('a validator needs a hotkey', { hint: 'pass --wallet and --hotkey, or --offline' });
  }
  if (!(await deps.chain.isRegistered(options.netuid, deps.signer.address))) {
    throw new UsageError(`hotkey ${deps.signer.address} is not registered on netuid ${options.netuid}`, {
      hint: 'register the hotkey first, or run with --offline',
    });
  }
}

/** The saved state at `options.statePath`, or a fresh one when missing, damaged or of another version. */
export async function resumeState(deps: ValidatorDeps, options: ValidatorOptions): Promise<ResumedState> {
  const saved = await loadValidatorState(options.statePath, options.versionKey, deps.logger);
  if (saved === undefined)
    return { tracker: new ModelTracker(), queue: new UidQueue(), step: 0, weights: [], run: randomUUID() };
  const queue = new UidQueue(saved.uidsToEval, saved.pendingUids);
  deps.logger.info('resumed validator state', { step: saved.step, uids: queue.all() });
  return {
    tracker: ModelTracker.fromJSON(saved.tracker),
    queue,
    step: saved.step,
    weights: [...saved.weights],
    // A state saved before runs had ids continues its steps under a new one.
    run: saved.run ?? randomUUID(),
  };
}
