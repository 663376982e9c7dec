/**
 * @pretrain/core: contracts, DI, the subnet-9 rules and embedded implementations that need
 * nothing external, and the backend SDK re-exported for the host. Every export is listed
 * here by name (no `export *`), so what the package offers is what this file says; test
 * doubles are in `@pretrain/core/testing`.
 */
export {
  type AdamWSettings,
  alibiBias,
  alibiSlopes,
  alibiTable,
  applyGreedyProcessors,
  type ArchitectureFamily,
  argmaxExcluding,
  assertSupported,
  type AttentionProjections,
  type BackendCapabilities,
  BackendNotFoundError,
  type BackendOptionDoc,
  backendOptionsSchema,
  type BackendOptionsSchema,
  type BackendPluginDefinition,
  bf16Round,
  causalLmClassOf,
  ChainError,
  type CheckedBatch,
  type CheckedGreedyRequest,
  checkedLoadedModel,
  checkedLossBackend,
  checkGreedyProcessors,
  checkGreedyRequest,
  checkTokenRows,
  COMMON_BACKEND_OPTIONS,
  CorruptModelError,
  countParameters,
  createLoadedModel,
  DatasetError,
  DEFAULT_ADAMW,
  defineBackendPlugin,
  type DefinedOptionsSchema,
  describeBackendOptions,
  describeFileKind,
  describeLayout,
  disposedError,
  type Dtype,
  DTYPE_SIZES,
  encodeSafetensors,
  encodeValues,
  floatToBf16,
  floatToHalf,
  generationSettings,
  type GenerationSettings,
  type GreedyOptions,
  type GreedyProcessors,
  GreedySelector,
  type GreedyStepContext,
  halfToFloat,
  hasGreedyProcessors,
  HEADER_BYTES_CONSTANT,
  HEADER_BYTES_PER_TENSOR,
  headerBudget,
  type HeaderBudget,
  type HeaderLimit,
  isBackendPath,
  isDtype,
  isPretrainError,
  type LayerSpec,
  type LinearWeights,
  listBackendOptions,
  type LoadedModel,
  type LoadedModelFacadeOptions,
  type LoadedModelHandler,
  LOSS_BACKEND_API_VERSION,
  type LossBackend,
  type LossBackendOptions,
  type LossBackendPlugin,
  type LossSum,
  MAX_COUNTED_LAYERS,
  MAX_MODEL_JSON_BYTES,
  MAX_PROCESSOR_TOKEN_IDS,
  MAX_SAFETENSORS_HEADER_BYTES,
  type MlpWeights,
  MODEL_FEATURES,
  type ModelFeature,
  modelFeatures,
  type ModelJsonFile,
  ModelRejectedError,
  ModelResource,
  type ModelSpec,
  ModelStoreError,
  type ModuleResolution,
  ngramCompletions,
  type NormWeights,
  type NumberLiterals,
  openModelSpec,
  parseBackendOptions,
  parsePluginOptions,
  PluginContractError,
  type PluginMeta,
  PluginNotFoundError,
  type PositionSpec,
  PretrainError,
  type PretrainErrorOptions,
  type RawBackendOptions,
  readGenerationSettings,
  readInitConfig,
  readModelJson,
  readModelJsonFile,
  readSafetensorsHeader,
  readTensorBytes,
  readTensorF32,
  readWeightFiles,
  type RejectionReason,
  reportedMean,
  resolveModuleFrom,
  SAFETENSORS_FILE,
  SAFETENSORS_INDEX_FILE,
  type SafetensorsHeader,
  type SaveModelOptions,
  SUPPORTED_ARCHITECTURES,
  SUPPORTED_DTYPES,
  type TensorData,
  TENSORS_OUTSIDE_LAYERS,
  TENSORS_PER_LAYER,
  type TensorView,
  TimeoutError,
  toFloat32,
  type TokenBatch,
  type TokenRowsShape,
  topLevelNumberLiterals,
  type Trainer,
  type TrainStepOptions,
  type TrainStepResult,
  UnsupportedModelError,
  unsupportedReason,
  UsageError,
  validateBackendOptions,
  validateBackendPlugin,
  WalletError,
  type WeightFiles,
  writeInitialModel,
  writeSafetensors,
  writeTrainedModel,
  z,
} from '@pretrain/backend-sdk';
export {
  type ChainClient,
  type ChainSigner,
  type Commitment,
  type Inclusion,
  type Metagraph,
  type Neuron,
} from './contracts/chain-client.js';
export { type Dataset, type Page, type PageRef, type SampleOptions } from './contracts/dataset.js';
export { type LocalModelStore } from './contracts/local-model-store.js';
export { type LogFields, type Logger, silentLogger } from './contracts/logger.js';
export {
  type DownloadedModel,
  type DownloadOptions,
  type ModelStore,
  type UploadOptions,
} from './contracts/model-store.js';
export {
  type ChainPlugin,
  type DatasetPlugin,
  type ModelStorePlugin,
  type PluginContext,
  PORT_PLUGIN_API_VERSION,
  type PortPlugin,
  type PortPluginKind,
  type PortPluginMeta,
  type PortPluginOf,
  type PortPluginOptions,
} from './contracts/port-plugin.js';
export { type EncodeOptions, type Tokenizer } from './contracts/tokenizer.js';
export {
  ARCHITECTURES_BEFORE_7B,
  ARCHITECTURES_FROM_7B,
  COMPETITION_SCHEDULE,
} from './criteria/competition-schedule.js';
export {
  type Competition,
  type CompetitionSchedule,
  DATASET_NAMES,
  type DatasetName,
  type EvalTask,
  type ModelCriteria,
  type ScheduleEntry,
  TOKENIZER_NAMES,
  type TokenizerName,
} from './criteria/competition.js';
export {
  competitionsForBlock,
  criteriaForBlock,
  findCompetition,
  scheduleEntryForBlock,
} from './criteria/criteria-for-block.js';
export { SUBNET9_CONSTANTS } from './criteria/subnet9-constants.js';
export { validateSchedule } from './criteria/validate-schedule.js';
export { batchStream, buildBatches } from './dataset/build-batches.js';
export { MAX_EVAL_PAGES, MAX_EVAL_TOKENS, MAX_TEXT_BYTES } from './dataset/eval-limits.js';
export { localTextDatasetPlugin } from './dataset/local-text-dataset-plugin.js';
export { LocalTextDataset, type LocalTextDatasetOptions } from './dataset/local-text-dataset.js';
export { DOCUMENT_EXTENSIONS, readDocuments } from './dataset/read-documents.js';
export {
  counterModeScheme,
  domainScheme,
  SeededRandom,
  type SeededRandomScheme,
} from './dataset/seeded-random.js';
export { bind, type Binding, Container, type Registration } from './di/container.js';
export { token, type Token, TOKENS } from './di/tokens.js';
export { checkModelCriteria, type CriteriaCheck } from './miner/check-model-criteria.js';
export {
  type CommitOutcome,
  type CommitRetryOptions,
  commitWithRetry,
  retryAtBlockOf,
} from './miner/commit-with-retry.js';
export {
  downloadCompetitor,
  type DownloadCompetitorOptions,
  type DownloadedCompetitor,
} from './miner/download-competitor.js';
export { pushModel, type PushModelOptions, type PushResult } from './miner/push-model.js';
export { waitForBlock, type WaitForBlockOptions } from './miner/wait-for-block.js';
export {
  hashFile,
  hashMatches,
  hashModelDirectory,
  hashPretrainedFileSet,
  saltHash,
} from './model/model-hash.js';
export {
  formatModelId,
  GIT_COMMIT_LENGTH,
  MAX_COMMITMENT_BYTES,
  MAX_REPO_ID_LENGTH,
  parseModelId,
  SHA256_BASE64_LENGTH,
  utf8Length,
  validateCommitment,
  validateRepoId,
} from './model/model-id-codec.js';
export { type ModelId, type ModelMetadata } from './model/model-id.js';
export {
  CONFIG_FILE,
  GENERATION_CONFIG_FILE,
  MAX_SAFETENSORS_INDEX_BYTES,
  planPretrainedFiles,
  type PretrainedFilePlan,
  type PretrainedFileSet,
  resolvePretrainedFiles,
  shardsOfIndex,
} from './model/pretrained-files.js';
export { walkModelFiles } from './model/walk-model-files.js';
export { KNOWN_BACKENDS, resolveBackendCandidates } from './plugins/backend-names.js';
export {
  COMMON_PORT_OPTIONS,
  defineChainPlugin,
  defineDatasetPlugin,
  defineStorePlugin,
  PORT_FACTORIES,
  type PortOptionsSchema,
  type PortPluginDefinition,
} from './plugins/define-port-plugin.js';
export {
  loadBackendPlugin,
  type LoadBackendPluginOptions,
  type LoadedBackendPlugin,
  locateBackendPlugin,
} from './plugins/load-backend-plugin.js';
export {
  createFromPortPlugin,
  loadPortPlugin,
  type LoadPortPluginOptions,
  parsePluginChoice,
  type PluginChoice,
  type PortOf,
} from './plugins/load-port-plugin.js';
export { type LocatedPlugin, locatePlugin, type LocatePluginOptions } from './plugins/locate-plugin.js';
export {
  isPluginPath,
  type PluginKind,
  PUBLISHED_PLUGINS,
  resolvePluginCandidates,
} from './plugins/plugin-names.js';
export { validatePortPlugin } from './plugins/validate-port-plugin.js';
export { computeWins, type WinsResult } from './scoring/compute-wins.js';
export { emaWeights } from './scoring/ema-weights.js';
export { isWin, lossOrInfinity, orInfinity } from './scoring/is-win.js';
export { hasRoomForPending, type NextStepInput, nextStepUids } from './scoring/next-step-uids.js';
export { passesSanityCheck, sanityPrompts } from './scoring/sanity-check.js';
export { softmax } from './scoring/softmax.js';
export { stepWeights } from './scoring/step-weights.js';
export { findTopMiners, topValidators } from './scoring/top-miners.js';
export { roundHalfEven, toU16Weights, U16_MAX } from './scoring/u16-weights.js';
export { type ConfinedFile, resolveConfinedFile } from './storage/confined-file.js';
export { DirectoryModelStore } from './storage/directory-model-store.js';
export { directoryStorePlugin } from './storage/directory-store-plugin.js';
export { DiskLocalModelStore } from './storage/disk-local-model-store.js';
export {
  finishDownload,
  listLocalFiles,
  type LocalModelFile,
  selectUploadFiles,
  stageDownload,
} from './storage/download-guards-files.js';
export {
  assertSafeRepoPath,
  type CheckedListing,
  checkRepoListing,
  classifyModelFile,
  type ModelFileKind,
  PICKLE_EXTENSIONS,
  type RepoFileEntry,
  repoNameProblem,
  repoPathProblem,
  verifyModelHash,
} from './storage/download-guards.js';
export { hotkeyDirectory, MODELS_DIR, snapshotDirectory } from './storage/local-model-store-layout.js';
export { selectLoadedFiles } from './storage/select-loaded-files.js';
export { CyclicUidIterator, type RandomSource } from './tracker/cyclic-uid-iterator.js';
export { ModelTracker, type ModelTrackerJson } from './tracker/model-tracker.js';
export { type BatchShape, readBatchFile, writeBatchFile } from './validator/batch-file.js';
export {
  type ChildEvalCall,
  type ChildEvaluatorOptions,
  ChildProcessEvaluator,
  DEFAULT_LOAD_TIMEOUT_MS,
  resolveEvalWorker,
} from './validator/child-evaluator.js';
export { type CleanDeps, cleanOnce, runCleanLoop } from './validator/clean-loop.js';
export { type EvalLoopInput, runEvalLoop } from './validator/eval-loop.js';
export {
  type BatchErrors,
  type EvalFailure,
  type EvalOutcome,
  type EvalProgress,
  failedOutcome,
  type ModelTimings,
} from './validator/eval-outcome.js';
export {
  type EvalChildMessage,
  type EvalGoMessage,
  type EvalLoadedMessage,
  type EvalParentMessage,
  type EvalProgressMessage,
  type EvalReadyMessage,
  type EvalRequestMessage,
  type EvalResultMessage,
} from './validator/eval-protocol.js';
export { type EvalStepInput, runEvalStep } from './validator/eval-step.js';
export { evaluateModel, type EvaluateModelOptions } from './validator/evaluate-model.js';
export { ModelContentHashes } from './validator/model-content-hashes.js';
export { type ModelEvaluator, type PreparedEvaluation } from './validator/model-evaluator.js';
export {
  type DownloadEvent,
  ModelUpdater,
  type ModelUpdaterDeps,
  type SyncResult,
} from './validator/model-updater.js';
export {
  errorMessage,
  isMachineError,
  isTransientRejection,
  rejectionReasonOf,
} from './validator/rejection-reason.js';
export { scoreStep, type ScoreStepInput, type StepScore } from './validator/score-step.js';
export { loadValidatorState, saveValidatorState, type ValidatorState } from './validator/state-file.js';
export { UidQueue } from './validator/uid-queue.js';
export { UpdateLoop, type UpdateLoopDeps, type UpdateLoopOptions } from './validator/update-loop.js';
export { type StepHistorySink, type ValidatorDeps } from './validator/validator-deps.js';
export {
  type StepResult,
  type StepRow,
  type StepTimings,
  type ValidatorObserver,
} from './validator/validator-events.js';
export { DEFAULT_VALIDATOR_OPTIONS, type ValidatorOptions } from './validator/validator-options.js';
export { assertCanValidate, type ResumedState, resumeState } from './validator/validator-startup.js';
export { Validator } from './validator/validator.js';
export { WeightSetter, type WeightSetterDeps } from './validator/weight-setter.js';
export {
  HISTORY_FILE,
  type HistoryContents,
  readStepHistory,
  StepHistory,
  type StepHistoryLimits,
} from './history/step-history.js';
export {
  type JsonNumber,
  jsonNumber,
  type LossSummary,
  type StepRecord,
  stepRecordOf,
  type StepRecordRow,
  summariseLosses,
  type WeightsRecord,
} from './history/step-record.js';
