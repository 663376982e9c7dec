import {
  assertSupported,
  createLoadedModel,
  SUPPORTED_DTYPES,
  type BackendCapabilities,
  type CheckedBatch,
  type CheckedGreedyRequest,
  type LoadedModel,
  type LoadedModelHandler,
  type LossBackend,
  type LossSum,
  type ModelSpec,
} from '@pretrain/backend-sdk';
import { ReferenceGpt2 } from './reference-gpt2.js';

/**
 * The backend: what it can run (the conformance suite selects its cases from these
 * capabilities and lists the others as skipped) and how a model is loaded.
 */
export class ReferenceBackend implements LossBackend {
  readonly capabilities: BackendCapabilities = {
    families: ['gpt2'],
    features: [],
    dtypes: [...SUPPORTED_DTYPES],
    devices: ['cpu'],
    runtime: 'plain TypeScript reference: fp32 weights, float64 sums, one thread',
  };
  private readonly loaded = new Set<LoadedModel>();

  constructor(readonly name: string) {}

  async load(spec: ModelSpec): Promise<LoadedModel> {
    assertSupported(this.name, this.capabilities, spec);
    const handler = new ReferenceModel(await ReferenceGpt2.load(spec));
    // The SDK's facade checks every input and result, runs one call at a time and
    // disposes once: the handler only computes.
    const model = createLoadedModel(spec, handler, {
      backend: this.name,
      onDispose: () => this.loaded.delete(model),
    });
    this.loaded.add(model);
    return model;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.loaded].map((model) => model.dispose()));
  }
}

/** A loaded model's thin handler: inputs arrive checked (ids inside the vocabulary, lengths). */
class ReferenceModel implements LoadedModelHandler {
  constructor(private gpt2: ReferenceGpt2 | undefined) {}

  async lossSum({ tokens, rows, length }: CheckedBatch, signal: AbortSignal): Promise<LossSum> {
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      signal.throwIfAborted();
      sum += this.model().rowLossSum(tokens.subarray(r * length, (r + 1) * length));
    }
    return { sum, count: rows * (length - 1) };
  }

  async greedy({ prompts, count, selectors }: CheckedGreedyRequest): Promise<number[][]> {
    return prompts.map((prompt, i) => {
      const sequence = [...prompt];
      for (let step = 0; step < count; step++) {
        const hidden = this.model().hidden(sequence);
        sequence.push(selectors[i]!.next(this.model().logits(hidden[hidden.length - 1]!)));
      }
      return sequence.slice(prompt.length);
    });
  }

  release(): void {
    this.gpt2 = undefined; // the arrays go with it
  }

  private model(): ReferenceGpt2 {
    return this.gpt2 as ReferenceGpt2;
  }
}
