export {
  startWandbLogging,
  type WandbLogging,
  type WandbTimings,
  type WandbValidatorInfo,
} from './start-wandb.js';
export {
  WandbApi,
  WandbError,
  type FileStreamBody,
  type WandbApiOptions,
  type WandbRunInput,
  type WandbRunPath,
} from './wandb-api.js';
export {
  WANDB_DEFAULT_BASE_URL,
  WANDB_OPTIONS,
  wandbSettings,
  type WandbArgs,
  type WandbSettings,
} from './wandb-options.js';
export { WandbStepLogger, type WandbStepLoggerOptions } from './wandb-step-logger.js';
export { perfSummary, wandbStepRow, type WandbStepRow } from './wandb-step-row.js';
