import { stat } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import { CorruptModelError, PretrainError, type ModelSpec } from '@pretrain/backend-sdk';
import { CUDA_INSTALL_HINT, cudaProvider } from './cuda.js';
import type { OnnxBackendOptions } from './options.js';
import { specViews } from './spec-views.js';

/** The onnxruntime session type (re-exported so callers need no direct import). */
export type OrtSession = ort.InferenceSession;

/**
 * Open an onnxruntime session on `modelBytes`, whose external data is resolved inside
 * `spec.dir`. The model is given as bytes, so nothing is written next to the weights and
 * no temporary files are needed.
 *
 * @throws PretrainError (`PRETRAIN_DEVICE_UNAVAILABLE`) for `cuda` without the CUDA EP.
 * @throws CorruptModelError when a weight file is shorter than its header says.
 */
export async function createSession(
  spec: ModelSpec,
  modelBytes: Uint8Array,
  options: OnnxBackendOptions,
): Promise<OrtSession> {
  if (options.device === 'cuda' && !cudaProvider().installed) {
    throw new PretrainError(
      'PRETRAIN_DEVICE_UNAVAILABLE',
      `device "cuda" requested, but onnxruntime-node has no CUDA execution provider (${cudaProvider().path} is missing)`,
      { hint: CUDA_INSTALL_HINT },
    );
  }
  await assertWeightFilesComplete(spec);
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: [options.device],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    enableCpuMemArena: true,
    // A memory pattern packs every intermediate of a run into one planned block, which
    // came out ~45 MiB above what the arena needs when it serves them as they come
    // (GPT-2 small, 1 × 1024), at the same speed (docs/BENCHMARKS.md).
    enableMemPattern: false,
    extra: {
      session: {
        model_external_initializers_file_folder_path: spec.dir,
        // Packed copies would double resident weight memory; packing per call costs
        // O(k·n) against the O(m·k·n) GEMM (measured in docs/BENCHMARKS.md).
        disable_prepacking: '1',
        // Idle threads sleep instead of spinning: equal speed on an idle machine, and
        // markedly faster beside other work (e.g. 3.8 s vs 4.9 s per GPT-2 batch here).
        intra_op: { allow_spinning: '0' },
      },
    },
    ...(options.threads === undefined ? {} : { intraOpNumThreads: options.threads, interOpNumThreads: 1 }),
  };
  try {
    return await ort.InferenceSession.create(modelBytes, sessionOptions);
  } catch (cause) {
    const message = (cause as Error).message;
    if (options.device === 'cuda') {
      throw new PretrainError(
        'PRETRAIN_DEVICE_UNAVAILABLE',
        `onnxruntime could not start the CUDA EP: ${message}`,
        {
          hint: CUDA_INSTALL_HINT,
          cause,
        },
      );
    }
    throw new CorruptModelError(`onnxruntime could not load "${spec.dir}": ${message}`, {
      hint: 'check that the weight files are complete and match config.json',
      cause,
    });
  }
}

/** Every view must lie inside its file: a truncated file is a typed error, not a runtime crash. */
async function assertWeightFilesComplete(spec: ModelSpec): Promise<void> {
  const sizes = new Map<string, number>();
  for (const view of specViews(spec)) {
    let size = sizes.get(view.file);
    if (size === undefined) {
      size = (await stat(view.file).catch(() => ({ size: -1 }))).size;
      sizes.set(view.file, size);
    }
    if (view.offset + view.length > size) {
      throw new CorruptModelError(
        `weight "${view.name}" needs bytes ${view.offset}…${view.offset + view.length} of "${view.file}", ` +
          `which has ${Math.max(size, 0)} bytes`,
        { hint: 'the file is truncated or missing: download the model again' },
      );
    }
  }
}
