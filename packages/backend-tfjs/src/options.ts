import {
  backendOptionsSchema,
  parseBackendOptions,
  UsageError,
  z,
  type RawBackendOptions,
} from '@pretrain/backend-sdk';

/** The tfjs runtimes this backend can run on, in the order it prefers them. */
export const TFJS_RUNTIMES = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;

/** One of {@link TFJS_RUNTIMES}. */
export type TfjsRuntimeName = (typeof TFJS_RUNTIMES)[number];

/** The options the tfjs backend declares (`pretrain backends tfjs` prints them). */
export const TFJS_OPTIONS = backendOptionsSchema(
  z.object({
    device: z
      .enum(['cpu', 'cuda'])
      .optional()
      .describe('cuda: only tfjs-node-gpu; cpu: the runtimes without it; unset: every runtime in order'),
    threads: z
      .int()
      .min(1)
      .max(1024)
      .optional()
      .describe('accepted for the common contract; no tfjs runtime under Node uses it'),
    runtime: z
      .enum(TFJS_RUNTIMES)
      .optional()
      .describe('force one runtime (an unavailable one is an error); unset: the best available'),
    tfjsBackend: z.enum(TFJS_RUNTIMES).optional().describe('deprecated name of runtime'),
    cwd: z
      .string()
      .min(1)
      .optional()
      .describe('where the optional tfjs-node packages are looked up first (default: the working directory)'),
  }),
);

/** Options of the tfjs backend, validated. */
export interface TfjsBackendOptions {
  /** `cuda` needs tfjs-node-gpu; `cpu` skips it; undefined tries every runtime in order. */
  readonly device: 'cpu' | 'cuda' | undefined;
  /** Accepted for the common contract; see the README for what each runtime does with it. */
  readonly threads: number | undefined;
  /** A forced runtime (the `runtime` option); undefined picks the best available one. */
  readonly tfjsBackend: TfjsRuntimeName | undefined;
  /** Where the optional tfjs-node packages are looked up first (the package's own location second). */
  readonly cwd: string;
}

/**
 * Check the options given to `createLossBackend` against {@link TFJS_OPTIONS}, and that
 * the forced runtime runs on the device asked for.
 * @throws UsageError naming the bad option and what is accepted.
 */
export function parseTfjsOptions(options: RawBackendOptions = {}, defaultCwd: string): TfjsBackendOptions {
  const parsed = parseBackendOptions(TFJS_OPTIONS, options, 'tfjs') as z.output<typeof TFJS_OPTIONS>;
  const { device, threads, runtime, tfjsBackend, cwd = defaultCwd } = parsed;
  if (runtime !== undefined && tfjsBackend !== undefined && runtime !== tfjsBackend) {
    throw new UsageError(`backend tfjs got runtime "${runtime}" and tfjsBackend "${tfjsBackend}"`, {
      hint: 'tfjsBackend is the old name of runtime: give runtime only',
    });
  }
  const forced = runtime ?? tfjsBackend;
  if (forced !== undefined && device !== undefined && (forced === 'tfjs-node-gpu') !== (device === 'cuda')) {
    throw new UsageError(`tfjs runtime "${forced}" does not run on device "${device}"`, {
      hint: 'tfjs-node-gpu is the only CUDA runtime: pair it with --device cuda, the others with --device cpu',
    });
  }
  return { device, threads, tfjsBackend: forced, cwd };
}
