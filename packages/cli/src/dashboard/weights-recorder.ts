import type { Logger, StepHistory, ValidatorObserver } from '@pretrain/core';

/** An observer appending each `set_weights` that landed to the step history (failures logged). */
export function weightsRecorder(history: StepHistory, logger: Logger): ValidatorObserver {
  return {
    onWeightsSet: (info) => {
      history
        .recordWeights(info)
        .catch((error: unknown) =>
          logger.warn('could not record the weights in the history', { error: String(error) }),
        );
    },
  };
}
