import * as tf from '@tensorflow/tfjs-core';
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
 * Bytes the wasm heap needs to train `spec` on one row of `T` tokens with the trainer's
 * layout: the fp32 parameters and XNNPACK's packed copy of each (tfjs-wasm keeps one per
 * matMul operand while it lives), one parameter twice while it is replaced after its
 * AdamW update, each block's input `[T, hidden]` (kept for the recomputing backward pass),
 * the logits of all `T × vocab` positions with one vocabulary chunk's temporaries, and one
 * block's activations under the tape while it is backpropagated. Gradients and AdamW's
 * moments live in host memory, outside the heap.
 */
export function wasmTrainingBytesNeeded(spec: ModelSpec, T: number): number {
  const {
    vocabSize: V,
    hiddenSize: d,
    intermediateSize: I,
    numLayers: L,
    numHeads: H,
    numKvHeads: KV,
    headDim: hd,
  } = spec;
  const largest = Math.max(V * d, d * I, d * (H + 2 * KV) * hd);
  const head = T * V + 8 * T * Math.min(V, HEAD_CHUNK) + 2 * V * d;
  const block =
    T * (16 * d + 16 * I + 4 * (H + 2 * KV) * hd) + 6 * H * T * T + 4 * d * (I + (H + 2 * KV) * hd);
  const floats = 2 * spec.parameterCount + 2 * largest + (L + 3) * T * d + head + block;
  // + 10% for the allocator's fragmentation: with it the estimate is 1.09× and 1.24× the
  // measured heap peaks of GPT-2 small and the Llama bench shape at 1024 tokens (memory.test.ts).
  return Math.ceil(4 * floats * 1.1);
}

/** How far the wasm heap has grown (it never shrinks: its peak), or undefined off tfjs-wasm. */
export function wasmHeapBytes(): number | undefined {
  const backend = tf.getBackend() === 'wasm' ? (tf.backend() as unknown as WasmBackendLike) : undefined;
  return backend?.wasm?.HEAPU8?.buffer.byteLength;
}

/** The part of tfjs-backend-wasm's backend object that exposes its heap. */
interface WasmBackendLike {
  readonly wasm?: { readonly HEAPU8?: Uint8Array };
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
      `one block's activations and the logits of ${T} positions), more than the ` +
      `${gib(WASM_HEAP_LIMIT_BYTES)} wasm heap limit of tfjs-backend-wasm`,
    {
      hint: 'install @tensorflow/tfjs-node (or tfjs-node-gpu) so backend tfjs trains on libtensorflow without that limit, or train with a shorter --seq-len',
    },
  );
}
