/**
 * @pretrain/backend-sdk: what a loss backend needs and nothing else. The backend contract
 * (`LossBackend`, `LoadedModel`, `LossBackendPlugin`), `ModelSpec` and the artifact readers
 * it references, the backend kit (token-row and greedy checks, the greedy selector, the
 * model resource), plugin definition (`defineBackendPlugin`, zod as `z`) and the error
 * classes. `@pretrain/core` re-exports all of it for the host.
 */

// The contract.
export {
  LOSS_BACKEND_API_VERSION,
  type BackendCapabilities,
  type GreedyOptions,
  type GreedyProcessors,
  type LoadedModel,
  type LossBackend,
  type LossBackendOptions,
  type LossBackendPlugin,
  type PluginMeta,
  type TokenBatch,
} from './contracts/loss-backend.js';
export {
  DEFAULT_ADAMW,
  type AdamWSettings,
  type SaveModelOptions,
  type Trainer,
  type TrainStepOptions,
  type TrainStepResult,
} from './contracts/trainer.js';

// The model a backend builds, and the files it is read from.
export type {
  ArchitectureFamily,
  AttentionProjections,
  Dtype,
  LayerSpec,
  LinearWeights,
  MlpWeights,
  ModelSpec,
  NormWeights,
  PositionSpec,
  TensorView,
} from './artifacts/model-spec.js';
export { openModelSpec } from './artifacts/open-model-spec.js';
export { SUPPORTED_ARCHITECTURES } from './artifacts/supported-architectures.js';
export { causalLmClassOf } from './artifacts/causal-lm-classes.js';
export { countParameters } from './artifacts/count-parameters.js';
export { DTYPE_SIZES, SUPPORTED_DTYPES, isDtype } from './artifacts/dtype.js';
export {
  MODEL_FEATURES,
  describeLayout,
  modelFeatures,
  type ModelFeature,
} from './artifacts/model-features.js';
export { alibiBias, alibiSlopes, alibiTable, bf16Round } from './artifacts/alibi.js';
export { halfToFloat, readTensorBytes, readTensorF32, toFloat32 } from './artifacts/tensor-read.js';
export {
  MAX_SAFETENSORS_HEADER_BYTES,
  readSafetensorsHeader,
  type HeaderLimit,
  type SafetensorsHeader,
} from './artifacts/safetensors.js';
export {
  encodeSafetensors,
  encodeValues,
  floatToBf16,
  floatToHalf,
  writeSafetensors,
  type TensorData,
} from './artifacts/safetensors-writer.js';
export { readWeightFiles, type WeightFiles } from './artifacts/weight-files.js';
export { writeTrainedModel } from './artifacts/write-trained-model.js';
export { readInitConfig, writeInitialModel } from './artifacts/init-model.js';
export { SAFETENSORS_FILE, SAFETENSORS_INDEX_FILE } from './artifacts/weight-file-names.js';
export { describeFileKind } from './artifacts/file-kind.js';
export {
  HEADER_BYTES_CONSTANT,
  HEADER_BYTES_PER_TENSOR,
  MAX_COUNTED_LAYERS,
  TENSORS_OUTSIDE_LAYERS,
  TENSORS_PER_LAYER,
  headerBudget,
  type HeaderBudget,
} from './artifacts/header-budget.js';
export {
  MAX_MODEL_JSON_BYTES,
  readModelJson,
  readModelJsonFile,
  type ModelJsonFile,
} from './artifacts/model-json.js';
export { topLevelNumberLiterals, type NumberLiterals } from './artifacts/json-number-literals.js';
export {
  generationSettings,
  readGenerationSettings,
  type GenerationSettings,
} from './artifacts/generation-settings.js';

// The backend kit.
export { checkGreedyRequest, checkTokenRows, type TokenRowsShape } from './backend-kit/token-rows.js';
export { argmaxExcluding } from './backend-kit/argmax-excluding.js';
export { MAX_PROCESSOR_TOKEN_IDS, checkGreedyProcessors } from './backend-kit/check-greedy-processors.js';
export {
  applyGreedyProcessors,
  hasGreedyProcessors,
  ngramCompletions,
  type GreedyStepContext,
} from './backend-kit/greedy-processors.js';
export { GreedySelector } from './backend-kit/greedy-selector.js';
export { assertSupported, unsupportedReason } from './backend-kit/assert-supported.js';
export { ModelResource, disposedError, reportedMean } from './backend-kit/model-resource.js';
export {
  checkedLoadedModel,
  checkedLossBackend,
  createLoadedModel,
  type LoadedModelFacadeOptions,
} from './backend-kit/checked-model.js';
export type {
  CheckedBatch,
  CheckedGreedyRequest,
  LoadedModelHandler,
  LossSum,
} from './backend-kit/loaded-model-handler.js';

// Plugin definition and options.
export {
  COMMON_BACKEND_OPTIONS,
  backendOptionsSchema,
  describeBackendOptions,
  listBackendOptions,
  parseBackendOptions,
  parsePluginOptions,
  validateBackendOptions,
  z,
  type BackendOptionDoc,
  type BackendOptionsSchema,
  type RawBackendOptions,
} from './plugins/backend-options.js';
export {
  defineBackendPlugin,
  type BackendPluginDefinition,
  type DefinedOptionsSchema,
} from './plugins/define-backend-plugin.js';
export { validateBackendPlugin } from './plugins/validate-backend-plugin.js';
export { isBackendPath } from './plugins/is-backend-path.js';
export { resolveModuleFrom, type ModuleResolution } from './plugins/resolve-module-from.js';

// Errors.
export { PretrainError, isPretrainError, type PretrainErrorOptions } from './errors/pretrain-error.js';
export {
  BackendNotFoundError,
  ChainError,
  CorruptModelError,
  DatasetError,
  ModelRejectedError,
  ModelStoreError,
  PluginContractError,
  PluginNotFoundError,
  TimeoutError,
  UnsupportedModelError,
  UsageError,
  WalletError,
  type RejectionReason,
} from './errors/domain-errors.js';
