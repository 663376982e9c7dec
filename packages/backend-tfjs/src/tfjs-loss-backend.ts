import * as tf from '@tensorflow/tfjs-core';
import {
  assertSupported,
  createLoadedModel,
  MODEL_FEATURES,
  SUPPORTED_DTYPES,
  type AdamWSettings,
  type BackendCapabilities,
  type LoadedModel,
  type LossBackend,
  type ModelSpec,
  type Trainer,
} from '@pretrain/backend-sdk';
import { assertFitsWasmHeap, assertTrainingFitsWasmHeap } from './memory-need.js';
import { loadModelTensors } from './model-tensors.js';
import { describeSelection, type RuntimeSelection } from './select-runtime.js';
import { TfjsLoadedModel } from './tfjs-loaded-model.js';
import { TfjsTrainer } from './tfjs-trainer.js';

/** What this backend runs on `selection`: every family and model feature core describes, fp32 compute. */
export function tfjsCapabilities(selection: RuntimeSelection): BackendCapabilities {
  const families = ['gpt2', 'llama', 'gpt-neox', 'gptj', 'phi', 'gemma', 'falcon', 'bart'] as const;
  return {
    families,
    trains: families,
    features: MODEL_FEATURES,
    dtypes: [...SUPPORTED_DTYPES],
    devices: selection.runtime === 'tfjs-node-gpu' ? ['cuda'] : ['cpu'],
    runtime: describeSelection(selection),
  };
}

/** The TensorFlow.js loss backend: weights as tfjs tensors, one forward pass per row. */
export class TfjsLossBackend implements LossBackend {
  readonly name = 'tfjs';
  readonly capabilities: BackendCapabilities;
  private readonly loaded = new Set<LoadedModel>();
  private readonly trainers = new Set<TfjsTrainer>();

  /** @param selection the runtime made active by `selectRuntime`, re-activated before each load and call. */
  constructor(readonly selection: RuntimeSelection) {
    this.capabilities = tfjsCapabilities(selection);
  }

  async load(spec: ModelSpec): Promise<LoadedModel> {
    assertSupported('tfjs', this.capabilities, spec);
    if (this.selection.runtime === 'wasm') assertFitsWasmHeap(spec);
    await this.activate();
    const handler = new TfjsLoadedModel(spec, await loadModelTensors(spec), () => this.activate());
    const model = createLoadedModel(spec, handler, {
      backend: this.name,
      onDispose: () => this.loaded.delete(model),
    });
    this.loaded.add(model);
    return model;
  }

  /**
   * A trainer for `spec` on this backend's runtime.
   * @throws UnsupportedModelError for a model outside {@link capabilities}; on tfjs-wasm,
   *   a step rejects with it when the training state of its rows cannot fit the heap.
   */
  async createTrainer(spec: ModelSpec, settings: AdamWSettings): Promise<Trainer> {
    assertSupported('tfjs', this.capabilities, spec);
    const wasm = this.selection.runtime === 'wasm';
    const trainer = await TfjsTrainer.create(
      spec,
      settings,
      () => this.activate(),
      (T) => {
        if (wasm) assertTrainingFitsWasmHeap(spec, T);
      },
    );
    this.trainers.add(trainer);
    return trainer;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.loaded].map((m) => m.dispose()));
    await Promise.all([...this.trainers].map((t) => t.dispose()));
  }

  /** tfjs has one active backend per process: make it ours again if someone switched it. */
  private async activate(): Promise<void> {
    if (tf.getBackend() !== this.selection.engineBackend) await tf.setBackend(this.selection.engineBackend);
  }
}
