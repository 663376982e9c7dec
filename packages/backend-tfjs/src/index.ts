/**
 * @pretrain/backend-tfjs: a loss backend on TensorFlow.js. It runs on
 * `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` where the user installed them,
 * else on the wasm (SIMD) or plain-JS cpu runtime that ship with it.
 */
import { tfjsPlugin } from './plugin.js';

export { tfjsPlugin } from './plugin.js';
export { TfjsLossBackend, tfjsCapabilities } from './tfjs-loss-backend.js';
export { TfjsLoadedModel } from './tfjs-loaded-model.js';
export { parseTfjsOptions, TFJS_RUNTIMES, type TfjsBackendOptions, type TfjsRuntimeName } from './options.js';
export {
  selectRuntime,
  runtimeCandidates,
  describeSelection,
  type RuntimeSelection,
  type RuntimeAttempt,
} from './select-runtime.js';
export {
  wasmBytesNeeded,
  assertFitsWasmHeap,
  wasmTrainingBytesNeeded,
  assertTrainingFitsWasmHeap,
  wasmHeapBytes,
  WASM_HEAP_LIMIT_BYTES,
} from './memory-need.js';

export default tfjsPlugin;
