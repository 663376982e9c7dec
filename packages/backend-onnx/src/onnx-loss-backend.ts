import ort from 'onnxruntime-node';
import {
  assertSupported,
  createLoadedModel,
  MODEL_FEATURES,
  type BackendCapabilities,
  type LoadedModel,
  type LossBackend,
  type ModelSpec,
} from '@pretrain/backend-sdk';
import { buildCausalLmGraph } from './graph/causal-lm-graph.js';
import { buildDecodeGraph } from './graph/decode-graph.js';
import { OnnxLoadedModel } from './onnx-loaded-model.js';
import type { OnnxBackendOptions } from './options.js';
import { createSession } from './session.js';

/** What this backend runs: every family and model feature core describes, in fp32 compute. */
export function onnxCapabilities(options: OnnxBackendOptions): BackendCapabilities {
  const threads = options.threads === undefined ? 'all cores' : `${options.threads} threads`;
  return {
    families: ['gpt2', 'llama', 'gpt-neox', 'gptj', 'phi', 'gemma', 'falcon', 'bart'],
    features: MODEL_FEATURES,
    dtypes: ['F32', 'F16', 'BF16'],
    devices: ['cpu', 'cuda'],
    runtime: `onnxruntime-node ${ort.env.versions.node ?? '?'}, ${options.device.toUpperCase()} EP, fp32, ${threads}`,
  };
}

/** The onnxruntime-node loss backend: one session per loaded model. */
export class OnnxLossBackend implements LossBackend {
  readonly name = 'onnx';
  readonly capabilities: BackendCapabilities;
  private readonly loaded = new Set<LoadedModel>();

  constructor(private readonly options: OnnxBackendOptions) {
    this.capabilities = onnxCapabilities(options);
  }

  async load(spec: ModelSpec): Promise<LoadedModel> {
    assertSupported('onnx', this.capabilities, spec);
    const session = await createSession(spec, buildCausalLmGraph(spec), this.options);
    const openDecoder = () => createSession(spec, buildDecodeGraph(spec), this.options);
    const model = createLoadedModel(spec, new OnnxLoadedModel(spec, session, openDecoder), {
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
