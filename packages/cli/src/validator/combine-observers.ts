import type { ValidatorObserver } from '@pretrain/core';

type Callbacks = Required<ValidatorObserver>;

/** One observer that forwards every event to each of `observers`, in order. */
export function combineObservers(...observers: readonly ValidatorObserver[]): ValidatorObserver {
  const forward =
    <K extends keyof Callbacks>(key: K) =>
    (info: Parameters<Callbacks[K]>[0]): void => {
      for (const observer of observers) (observer[key] as ((value: typeof info) => void) | undefined)?.(info);
    };
  return {
    onStepStart: forward('onStepStart'),
    onModelStart: forward('onModelStart'),
    onModelProgress: forward('onModelProgress'),
    onModelDone: forward('onModelDone'),
    onStepDone: forward('onStepDone'),
    onRejection: forward('onRejection'),
    onWeightsSet: forward('onWeightsSet'),
    onWeightsFailed: forward('onWeightsFailed'),
    onDownload: forward('onDownload'),
  };
}
