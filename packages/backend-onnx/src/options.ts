import { backendOptionsSchema, parseBackendOptions, z, type RawBackendOptions } from '@pretrain/backend-sdk';

/** The options the onnx backend declares (`pretrain backends onnx` prints them). */
export const ONNX_OPTIONS = backendOptionsSchema(
  z.object({
    device: z
      .enum(['cpu', 'cuda'])
      .default('cpu')
      .describe('cpu, or cuda (needs onnxruntime-node with the CUDA EP)'),
    threads: z.int().min(1).max(1024).optional().describe('onnxruntime intra-op threads; unset: every core'),
  }),
);

/** Options of the onnx backend, validated. */
export interface OnnxBackendOptions {
  /** `cpu` (default) or `cuda` (needs onnxruntime-node's CUDA EP installed). */
  readonly device: 'cpu' | 'cuda';
  /** onnxruntime intra-op threads; undefined lets onnxruntime use every core. */
  readonly threads: number | undefined;
}

/**
 * Check the options given to `createLossBackend` against {@link ONNX_OPTIONS}.
 * @throws UsageError naming the bad option, what it expects and the option list.
 */
export function parseOnnxOptions(options: RawBackendOptions = {}): OnnxBackendOptions {
  const { device, threads } = parseBackendOptions(ONNX_OPTIONS, options, 'onnx') as z.output<
    typeof ONNX_OPTIONS
  >;
  return { device, threads };
}
