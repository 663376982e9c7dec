import type { HfConfig } from './hf-config.js';

/**
 * Header bytes allowed per tensor the config implies. A real entry
 * (`"model.layers.17.self_attn.q_proj.weight":{"dtype":"BF16","shape":[4096,4096],"data_offsets":[…,…]}`)
 * takes about 100 bytes (93–109 in every fixture and hub model checked); 256 leaves room
 * for long names, 4-d shapes and 12-digit offsets.
 */
export const HEADER_BYTES_PER_TENSOR = 256;

/**
 * Tensors allowed per declared layer: more than any supported family stores (14 for
 * GPT-2 with its buffers, 15 for GPT-NeoX, 26 for a Bart decoder layer).
 */
export const TENSORS_PER_LAYER = 32;

/** Tensors allowed besides the layers: embeddings, final norms, heads, buffers. */
export const TENSORS_OUTSIDE_LAYERS = 64;

/** Fixed allowance on top, for `__metadata__`, padding and formatting. */
export const HEADER_BYTES_CONSTANT = 64 * 1024;

/**
 * Layers counted at most. The largest public decoders have 126; a config declaring
 * more gains no further allowance (at the cap the budget is about 2.2 MB, which parses
 * in under a second even when filled with the smallest possible entries, measured on a
 * heavily loaded 2-core machine).
 */
export const MAX_COUNTED_LAYERS = 256;

/** The config keys that declare a layer count, across the supported families. */
const LAYER_KEYS = [
  'num_hidden_layers',
  'n_layer',
  'num_layers',
  'n_layers',
  'encoder_layers',
  'decoder_layers',
];

/** How many header bytes a model may spend, and why (for the rejection message). */
export interface HeaderBudget {
  /** Most bytes all safetensors headers of the model may hold together (and its index file). */
  readonly bytes: number;
  /** The layer count the budget was computed from. */
  readonly layers: number;
}

/**
 * The header budget of a model from its config.json, fixed before any weight file is
 * parsed: {@link HEADER_BYTES_CONSTANT} + {@link HEADER_BYTES_PER_TENSOR} ×
 * ({@link TENSORS_OUTSIDE_LAYERS} + {@link TENSORS_PER_LAYER} × layers), with the layers
 * summed over the keys that declare them and capped at {@link MAX_COUNTED_LAYERS}.
 *
 * A hostile header (millions of tiny entries in up to 100 MB) would otherwise cost a
 * validator minutes and gigabytes before any check could refuse it; an honest model
 * uses well under half of its budget. Values that are not positive integers count as 0:
 * the architecture builder names them later.
 */
export function headerBudget(config: HfConfig): HeaderBudget {
  let layers = 0;
  for (const key of LAYER_KEYS) {
    const value = Object.hasOwn(config.raw, key) ? config.raw[key] : undefined;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) layers += value;
  }
  layers = Math.min(layers, MAX_COUNTED_LAYERS);
  const tensors = TENSORS_OUTSIDE_LAYERS + TENSORS_PER_LAYER * layers;
  return { bytes: HEADER_BYTES_CONSTANT + HEADER_BYTES_PER_TENSOR * tensors, layers };
}
