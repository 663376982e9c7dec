export { checkModelCriteria, type CriteriaCheck } from './check-model-criteria.js';
export { waitForBlock, type WaitForBlockOptions } from './wait-for-block.js';
export {
  commitWithRetry,
  retryAtBlockOf,
  type CommitOutcome,
  type CommitRetryOptions,
} from './commit-with-retry.js';
export { pushModel, type PushModelOptions, type PushResult } from './push-model.js';
export {
  downloadCompetitor,
  type DownloadCompetitorOptions,
  type DownloadedCompetitor,
} from './download-competitor.js';
