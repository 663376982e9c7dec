import { UnsupportedModelError } from '../../errors/index.js';
import type { HfConfig } from '../hf-config.js';
import type { ModelSpec } from '../model-spec.js';
import type { WeightTable } from '../weight-table.js';

/** What an architecture builder derives from config.json and the weights. */
export type ArchitectureParts = Omit<
  ModelSpec,
  'architecture' | 'dir' | 'eosTokenIds' | 'parameterCount' | 'dtypes' | 'weightBytes'
> & {
  /**
   * Parameters the model has that the checkpoint may lack (transformers initialises them):
   * counted in `parameterCount` as the reference counts `model.parameters()`.
   */
  readonly absentParameters?: number;
};

/** The spec fields of a plain pre-norm model: unscaled embeddings, no embedding norm, no head bias. */
export const PLAIN_EMBEDDING_PRE_NORM = {
  normPlacement: 'pre',
  embeddingScale: 1,
  embeddingNorm: undefined,
  lmHeadBias: undefined,
} as const;

/** Builds the family-specific part of a {@link ModelSpec}. */
export interface ArchitectureBuilder {
  build(config: HfConfig, weights: WeightTable): ArchitectureParts;
  /** Tensor names that are buffers, not parameters (ignored, never counted). */
  readonly buffers: readonly RegExp[];
  /**
   * A prefix each weight name may carry or not (`transformer.`: checkpoints of the base
   * model and of the causal LM both load into the causal LM).
   */
  readonly optionalPrefix?: string;
}

/** Map an HF activation name to the {@link ModelSpec} activation. */
export function activationOf(config: HfConfig, key: string, fallback: string): ModelSpec['activation'] {
  const name = config.string(key, fallback);
  switch (name) {
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
    case 'gelu_fast':
      return 'gelu_tanh';
    case 'gelu':
      return 'gelu';
    case 'silu':
    case 'swish':
      return 'silu';
    default:
      throw new UnsupportedModelError(`"${config.path}": ${key} "${name}" is not supported`, {
        hint: 'supported activations: gelu, gelu_new (tanh), silu',
      });
  }
}

/** Reject RoPE scaling variants (linear, dynamic, yarn, llama3...) the backends do not implement. */
export function rejectRopeScaling(config: HfConfig): void {
  const scaling = config.raw['rope_scaling'] as { rope_type?: unknown; type?: unknown } | null | undefined;
  if (scaling === undefined || scaling === null) return;
  const kind = scaling.rope_type ?? scaling.type;
  if (kind === 'default') return;
  throw new UnsupportedModelError(
    `"${config.path}": rope_scaling ${JSON.stringify(scaling)} is not supported`,
    {
      hint: 'only plain rotary embeddings (rope_scaling null) are supported',
    },
  );
}

/** `a / b` when it divides exactly, else an UnsupportedModelError naming both keys. */
export function divide(config: HfConfig, a: string, b: string): number {
  const x = config.int(a);
  const y = config.int(b);
  if (x % y !== 0)
    throw new UnsupportedModelError(`"${config.path}": ${a} ${x} is not a multiple of ${b} ${y}`);
  return x / y;
}

/**
 * `nn.Embedding`'s `padding_idx` from `pad_token_id` (`fallback` when absent, as the config
 * class defaults it): negative ids count from the end, as torch does; out of range: none.
 */
export function paddingIdxOf(config: HfConfig, vocab: number, fallback?: number): number | undefined {
  const raw = Object.hasOwn(config.raw, 'pad_token_id') ? config.raw['pad_token_id'] : fallback;
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw)) return undefined;
  const index = raw < 0 ? vocab + raw : raw;
  return index >= 0 && index < vocab ? index : undefined;
}
