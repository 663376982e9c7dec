import { UnsupportedModelError, type ModelSpec } from '@pretrain/backend-sdk';
import { HEAD_CHUNK } from './model-tensors.js';

/** The largest heap tfjs-backend-wasm can grow to: 4 GiB less one 64 KiB page (wasm32). */
export const WASM_HEAP_LIMIT_BYTES = 4294901760;

/**
 * Bytes the wasm heap needs for `spec`: the fp32 weights (the transposed head is a second
 * copy when tied), XNNPACK's packed copy of every matMul weight (tfjs-wasm caches one per
 * weight tensor: measured, GPT-2 small's heap holds 622 MiB of tensors and 1254 MiB in
 * all after one 1024-token pass), the largest weight twice while it is read and
 * transposed, and the activations of one `maxPositions`-long sequence (residual, q/k/v,
 * the MLP's intermediates, one head's scores, one chunk of logits).
 */
export function wasmBytesNeeded(spec: ModelSpec): number {
  const {
    vocabSize: V,
    hiddenSize: d,
    maxPositions: T,
    intermediateSize: I,
    numHeads: H,
    numKvHeads: KV,
    headDim: hd,
  } = spec;
  const weights = spec.parameterCount + (spec.tiedEmbeddings ? V * d : 0);
  const packed = spec.parameterCount + (spec.tiedEmbeddings ? V * d : 0);
  const largestWeight = Math.max(V * d, d * I, d * (H + 2 * KV) * hd);
  const activations =
    T * (6 * d + 6 * I + 2 * (H + 2 * KV) * hd) + 3 * T * T + 4 * T * Math.min(V, HEAD_CHUNK);
  return 4 * (weights + packed + 2 * largestWeight + activations);
}

/**
 * Reject `spec` before anything is allocated when it cannot fit the wasm heap.
 * @throws UnsupportedModelError naming the need, the limit and the alternatives.
 */
export function assertFitsWasmHeap(spec: ModelSpec): void {
  const need = wasmBytesNeeded(spec);
  if (need <= WASM_HEAP_LIMIT_BYTES) return;
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  throw new UnsupportedModelError(
    `"${spec.dir}" needs about ${gib(need)} of memory in fp32 (${spec.parameterCount.toLocaleString('en')} parameters, ` +
      `${spec.maxPositions} positions), more than the ${gib(WASM_HEAP_LIMIT_BYTES)} wasm heap limit of tfjs-backend-wasm`,
    {
      hint:
        'install @tensorflow/tfjs-node (or tfjs-node-gpu) so backend tfjs runs on libtensorflow without that limit, ' +
        'or use --backend onnx or --backend native',
    },
  );
}

/**
 * Bytes the wasm heap needs to train `spec` on one row of `T` tokens: parameters,
 * gradients (two while micro-batches accumulate), both AdamW moments and the update's
 * temporaries (≈ 7 fp32 copies), the full-vocabulary logits with their gradient and
 * softmax, and the forward pass's activations kept for backpropagation (≈ 4 per layer
 * of {@link wasmBytesNeeded}'s).
 */
export function wasmTrainingBytesNeeded(spec: ModelSpec, T: number): number {
  const { vocabSize: V, hiddenSize: d, intermediateSize: I, numLayers: L } = spec;
  const params = spec.parameterCount + (spec.tiedEmbeddings ? V * d : 0);
  const perLayer = T * (12 * d + 4 * I) + 3 * spec.numHeads * T * T;
  return 4 * (7 * params + 4 * T * V + L * perLayer);
}

/**
 * Reject training `spec` on tfjs-wasm before anything is allocated when its training state
 * cannot fit the wasm heap.
 * @throws UnsupportedModelError naming the need, the limit and the alternatives.
 */
export function assertTrainingFitsWasmHeap(spec: ModelSpec, T: number): void {
  const need = wasmTrainingBytesNeeded(spec, T);
  if (need <= WASM_HEAP_LIMIT_BYTES) return;
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  throw new UnsupportedModelError(
    `training "${spec.dir}" needs about ${gib(need)} in fp32 (${spec.parameterCount.toLocaleString('en')} parameters, ` +
      `their gradients and AdamW moments, ${T} positions), more than the ` +
      `${gib(WASM_HEAP_LIMIT_BYTES)} wasm heap limit of tfjs-backend-wasm`,
    {
      hint: 'install @tensorflow/tfjs-node (or tfjs-node-gpu) so backend tfjs trains on libtensorflow without that limit, or train with a shorter --seq-len',
    },
  );
}
