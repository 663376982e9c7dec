import {
  assertSupported,
  createLoadedModel,
  MODEL_FEATURES,
  type BackendCapabilities,
  type LoadedModel,
  type LossBackend,
  type ModelSpec,
} from '@pretrain/backend-sdk';
import type { NativeAddon, NativeModelHandle } from './addon.js';
import { buildNativePlan } from './model-plan.js';
import { fromAddonError } from './native-errors.js';
import { NativeLoadedModel } from './native-loaded-model.js';
import type { NativeBackendOptions } from './options.js';

/**
 * What this backend runs: every family core describes (GPT-2, the Llama family with Gemma,
 * GPT-NeoX, GPT-J, Phi, Falcon in its three layouts, Bart) with every model feature, on
 * both engines; fp32 compute on the CPU, on CUDA the GEMMs in the weights' own precision
 * (bf16/f16 when all matrices share it).
 */
export function nativeCapabilities(addon: NativeAddon, options: NativeBackendOptions): BackendCapabilities {
  const cuda = addon.cudaBuilt && addon.cudaDevices().devices > 0;
  return {
    families: ['gpt2', 'llama', 'gpt-neox', 'gptj', 'phi', 'gemma', 'falcon', 'bart'],
    dtypes: ['F32', 'F16', 'BF16'],
    features: MODEL_FEATURES,
    devices: cuda ? ['cpu', 'cuda'] : ['cpu'],
    runtime:
      options.device === 'cuda'
        ? "C++ addon on CUDA: cuBLAS GEMMs in the weights' precision, fp32 accumulation and kernels"
        : `C++ addon, fp32, ${options.threads} threads, ${addon.blasConfig.trim()}`,
  };
}

/** The C++ addon backend: fp32 OpenBLAS GEMMs on the CPU, or cuBLAS on a GPU. */
export class NativeLossBackend implements LossBackend {
  readonly name = 'native';
  readonly capabilities: BackendCapabilities;
  private readonly loaded = new Set<LoadedModel>();

  constructor(
    private readonly addon: NativeAddon,
    private readonly options: NativeBackendOptions,
  ) {
    this.capabilities = nativeCapabilities(addon, options);
  }

  async load(spec: ModelSpec): Promise<LoadedModel> {
    assertSupported('native', this.capabilities, spec);
    const plan = buildNativePlan(spec, this.options.threads, this.options.device);
    let handle: NativeModelHandle;
    try {
      handle = new this.addon.NativeModel(plan);
    } catch (cause) {
      throw fromAddonError(cause, spec.dir);
    }
    try {
      await handle.load();
    } catch (cause) {
      handle.release();
      throw fromAddonError(cause, spec.dir);
    }
    const model = createLoadedModel(spec, new NativeLoadedModel(spec, handle), {
      backend: this.name,
      onDispose: () => this.loaded.delete(model),
    });
    this.loaded.add(model);
    return model;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.loaded].map((m) => m.dispose()));
  }
}
