import type { z } from 'zod/v4';
import type { ModelFeature } from '../artifacts/model-features.js';
import type { ModelSpec, ArchitectureFamily, Dtype } from '../artifacts/model-spec.js';
import type { AdamWSettings, Trainer } from './trainer.js';

/** The version of this contract; plugins declare the one they implement. */
export const LOSS_BACKEND_API_VERSION = 1;

/** A batch of token ids: `rows × sequenceLength`, every row the same length. */
export type TokenBatch = readonly (readonly number[])[];

/** Options every backend understands; plugins may accept more and must validate them. */
export interface LossBackendOptions {
  /** `cpu` (default) or `cuda`; an unavailable device is an error, never a silent fallback. */
  readonly device?: 'cpu' | 'cuda';
  /** Worker threads; backends pick the machine's cores by default. */
  readonly threads?: number;
  /** Plugin-specific options, declared by the plugin's {@link LossBackendPlugin.options}. */
  readonly [option: string]: unknown;
}

/** What a backend can run, for `pretrain backends` and early rejection. */
export interface BackendCapabilities {
  /** Architecture families it can build (and has been held to the conformance cases of). */
  readonly families: readonly ArchitectureFamily[];
  /**
   * The {@link ModelFeature}s beyond the base transformer it implements; absent means none.
   * A model needing another is refused with an `UnsupportedModelError`, never run wrong.
   */
  readonly features?: readonly ModelFeature[];
  /** Weight dtypes it can read. */
  readonly dtypes: readonly Dtype[];
  /** Devices it can run on in this build. */
  readonly devices: readonly ('cpu' | 'cuda')[];
  /** Free text on how it runs, e.g. `onnxruntime 1.30 CPU EP, 2 threads`. */
  readonly runtime: string;
  /** The families its plugin's `createTrainer` trains; absent or empty: it does not train. */
  readonly trains?: readonly ArchitectureFamily[];
}

/**
 * The deterministic logits processors of Hugging Face `generate` for greedy decoding, as a
 * model's generation config sets them (docs/SUBNET.md, the sanity check). Each step's
 * logits go through them in `generate`'s order, in fp32: `encoderRepetitionPenalty`,
 * `repetitionPenalty`, `noRepeatNgramSize`, `badWordsIds`, then the EOS ids
 * ({@link GreedyOptions.excludeTokens}) set to -∞, `forcedBosTokenId`,
 * `forcedEosTokenIds`, `suppressTokens`, `beginSuppressTokens`; the largest logit left
 * wins (the first of equal maxima; NaN never). Every token id is inside the vocabulary
 * (`checkGreedyRequest` refuses the rest).
 */
export interface GreedyProcessors {
  /** `encoder_repetition_penalty` (> 0): the prompt's tokens are penalised by 1 / it. */
  readonly encoderRepetitionPenalty?: number;
  /**
   * `repetition_penalty` (> 0): the logit of every token of the sequence so far (prompt
   * included) is divided by it when positive and multiplied by it when negative.
   */
  readonly repetitionPenalty?: number;
  /** `no_repeat_ngram_size` (≥ 1): a token that would repeat an n-gram of the sequence gets -∞. */
  readonly noRepeatNgramSize?: number;
  /** `bad_words_ids`: the last token of each listed sequence gets -∞ where the rest of it was just generated. */
  readonly badWordsIds?: readonly (readonly number[])[];
  /** `forced_bos_token_id`: the only choice at the second position of the sequence. */
  readonly forcedBosTokenId?: number;
  /** `forced_eos_token_id`: the only choices for the last requested token. */
  readonly forcedEosTokenIds?: readonly number[];
  /** `suppress_tokens`: never chosen. */
  readonly suppressTokens?: readonly number[];
  /** `begin_suppress_tokens`: not chosen as the first new token. */
  readonly beginSuppressTokens?: readonly number[];
}

/** Options of {@link LoadedModel.greedy}. */
export interface GreedyOptions {
  /** Tokens never chosen (the model's EOS ids: HF `min_new_tokens`). */
  readonly excludeTokens?: readonly number[];
  /**
   * Logits processors applied to every step (the backend kit's `GreedySelector` applies
   * them; backends hand it each step's last-position logits and the sequence so far).
   */
  readonly processors?: GreedyProcessors;
}

/** A model loaded into a backend. */
export interface LoadedModel {
  /** The spec it was loaded from. */
  readonly spec: ModelSpec;
  /**
   * Mean next-token cross-entropy of each batch: logits[:, :-1] against tokens[:, 1:],
   * every position, no masking (docs/SUBNET.md §5), as PyTorch forms it: in the max-shifted
   * frame `log Σ exp(x − max) − (x_target − max)`, so a huge offset common to every logit
   * of a position (a gaming attempt) changes nothing; a log-sum-exp taken from absolute
   * float32 values rounds to the offset and the loss to ~0 (conformance: `logit-offset-uniform`
   * and the offset fixtures' goldens). Non-finite weights never crash: a loss that
   * PyTorch's `CrossEntropyLoss` gives as NaN is reported as `NaN` (not `Infinity`: a
   * NaN batch is a win for neither side), an infinite one as `+Infinity`; never
   * `-Infinity` (see `reportedMean`). Sequences longer than `spec.maxPositions` reject
   * with a `UsageError`.
   */
  losses(batches: readonly TokenBatch[], options?: { readonly signal?: AbortSignal }): Promise<number[]>;
  /**
   * For each prompt, `count` greedily generated tokens (argmax, `excludeTokens` skipped,
   * after `processors` when given).
   */
  greedy(
    prompts: readonly (readonly number[])[],
    count: number,
    options?: GreedyOptions,
  ): Promise<number[][]>;
  /** Free everything the model holds; idempotent. */
  dispose(): Promise<void>;
}

/** A compute backend instance (what `--backend` selects). */
export interface LossBackend {
  /** The plugin's `meta.name`, e.g. `onnx`. */
  readonly name: string;
  /** What it can run; checked before loading a model. */
  readonly capabilities: BackendCapabilities;
  /**
   * Build the runtime form of `spec`. Rejects with `UnsupportedModelError` for an
   * architecture or dtype outside {@link capabilities} and `CorruptModelError` for bad
   * weight files.
   */
  load(spec: ModelSpec): Promise<LoadedModel>;
  /** Release the runtime (sessions, threads, device memory); idempotent. */
  dispose(): Promise<void>;
}

/** Identity of a plugin. */
export interface PluginMeta {
  /** Short name, e.g. `onnx`. */
  readonly name: string;
  /** The plugin package's version. */
  readonly version: string;
  /** The {@link LOSS_BACKEND_API_VERSION} it was built for. */
  readonly apiVersion: number;
}

/**
 * What a backend package default-exports: a plain object, no decorators needed.
 * `defineBackendPlugin` builds one with a declared options schema:
 *
 * ```ts
 * export default defineBackendPlugin({
 *   meta: { name: 'mine', version: '0.1.0', apiVersion: LOSS_BACKEND_API_VERSION },
 *   options: z.object({ tile: z.int().min(1).default(64).describe('GEMM tile size') }),
 *   async createLossBackend(options) { ... }, // typed: { device?, threads?, tile }
 * });
 * ```
 *
 * A plain object (`{ meta, createLossBackend }`, no `options`) still loads: it receives
 * the options unchecked and validates them itself.
 */
export interface LossBackendPlugin {
  /** Name, version and contract version; checked when the plugin is loaded. */
  readonly meta: PluginMeta;
  /**
   * Optional (added in API 1 without a version bump): the options it takes, as a zod
   * object schema. The host validates options against it before `createLossBackend`
   * (string values from flags become the declared numbers and booleans) and prints it
   * in `pretrain backends <name>`.
   */
  readonly options?: z.ZodObject;
  /** Validate `options` (rejecting with `UsageError`) and create a backend. */
  createLossBackend(options: LossBackendOptions): Promise<LossBackend>;
  /**
   * Optional: a {@link Trainer} for `spec` (a family listed in the backend's
   * `capabilities.trains`), with the same options as {@link createLossBackend}. Rejects
   * with `UnsupportedModelError` for a model or runtime it cannot train.
   */
  createTrainer?(spec: ModelSpec, settings: AdamWSettings, options: LossBackendOptions): Promise<Trainer>;
  /**
   * Optional: whether the backend can run here at all, and why not (e.g. a missing
   * native build). `pretrain backends` prints it.
   */
  probe?(): Promise<{ readonly available: boolean; readonly detail: string }>;
}
