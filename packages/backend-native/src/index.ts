/**
 * @pretrain/backend-native: a loss backend in C++ (N-API addon): the ModelSpec forward
 * pass with the cross-entropy fused in, on the CPU (OpenBLAS GEMMs, OpenMP kernels) or,
 * where it was built with nvcc, on CUDA (cuBLAS GEMMs, our kernels).
 */
import { nativePlugin } from './plugin.js';

export { nativePlugin, nativePluginFor } from './plugin.js';
export { NativeLossBackend, nativeCapabilities } from './native-loss-backend.js';
export { NativeLoadedModel } from './native-loaded-model.js';
export { buildNativePlan, type NativePlan } from './model-plan.js';
export {
  parseNativeOptions,
  assertCudaUsable,
  NO_CUDA_HINT,
  NO_GPU_HINT,
  type NativeBackendOptions,
} from './options.js';
export {
  loadAddon,
  requireAddon,
  ADDON_PATH,
  NATIVE_BUILD_HINT,
  type NativeAddon,
  type CudaStatus,
} from './addon.js';

export default nativePlugin;
