import type { ModelSpec } from '../artifacts/model-spec.js';
import type { TokenBatch } from './loss-backend.js';

/**
 * AdamW as `torch.optim.AdamW` (the reference miner's optimizer): decoupled weight decay
 * `p ← p·(1 − lr·wd)`, then `m ← β₁m + (1 − β₁)g`, `v ← β₂v + (1 − β₂)g²` and
 * `p ← p − lr/(1 − β₁ˢ) · m / (√v / √(1 − β₂ˢ) + ε)`, on every parameter (no exclusions);
 * tied weights are one parameter.
 */
export interface AdamWSettings {
  /** Learning rate (> 0); a step may override it (a schedule). */
  readonly lr: number;
  /** Decoupled weight decay (torch default 0.01). */
  readonly weightDecay: number;
  /** β₁, β₂ (torch defaults 0.9, 0.999), each in [0, 1). */
  readonly betas: readonly [number, number];
  /** ε (torch default 1e-8). */
  readonly eps: number;
}

/** torch.optim.AdamW's defaults with the reference miner's learning rate (1e-5). */
export const DEFAULT_ADAMW: AdamWSettings = { lr: 1e-5, weightDecay: 0.01, betas: [0.9, 0.999], eps: 1e-8 };

/** Options of one {@link Trainer.step}. */
export interface TrainStepOptions {
  /** The learning rate of this step (a schedule's value); the settings' `lr` when absent. */
  readonly lr?: number;
  /**
   * Clip the gradients' global 2-norm to this (`torch.nn.utils.clip_grad_norm_`: scale by
   * `max / (norm + 1e-6)` when that is below 1) before the update; off when absent.
   */
  readonly clipGradNorm?: number;
  readonly signal?: AbortSignal;
}

/** What one optimizer step did. */
export interface TrainStepResult {
  /** The optimizer steps done so far, this one included (1-based). */
  readonly step: number;
  /** Mean of the micro-batches' mean losses, computed before the update. */
  readonly loss: number;
  /** The learning rate the update used. */
  readonly lr: number;
  /** Tokens fed forward (rows × sequence length, all micro-batches). */
  readonly tokens: number;
  /** The gradients' global 2-norm before clipping. */
  readonly gradNorm: number;
}

/** How {@link Trainer.saveModel} writes the weights. */
export interface SaveModelOptions {
  /** `F32` (default) or `BF16` (round to nearest even). */
  readonly dtype?: 'F32' | 'BF16';
}

/**
 * A model being trained by a backend. Each {@link step} is one optimizer step over a list
 * of micro-batches: the gradient of the mean of their losses (each micro-batch's loss
 * divided by their count, as the reference miner's gradient accumulation does), then one
 * AdamW update. An embedding built by transformers with a `padding_idx` (Llama family,
 * Phi, Gemma, Bart: `ModelSpec.paddingIdx`) gets no gradient for that row through the
 * lookup (a tied head still does). Tensors the loss does not use (Bart's cross-attention)
 * are left untouched, as torch leaves parameters without a gradient.
 */
export interface Trainer {
  /** The model being trained (its weights as loaded: the trained ones live in the backend). */
  readonly spec: ModelSpec;
  /** The optimizer's settings. */
  readonly settings: AdamWSettings;
  /** Optimizer steps done so far (restored by {@link loadOptimizerState}). */
  readonly steps: number;
  /** One optimizer step; rejects with `UsageError` for token ids outside the vocabulary. */
  step(microBatches: readonly TokenBatch[], options?: TrainStepOptions): Promise<TrainStepResult>;
  /**
   * Write the model in Hugging Face layout into `dir` (created if needed): the input's
   * `config.json` and `generation_config.json`, and `model.safetensors` with the input's
   * tensor names, tied weights once (as transformers saves them), trained values in
   * `options.dtype` and untouched tensors copied.
   */
  saveModel(dir: string, options?: SaveModelOptions): Promise<void>;
  /** Write the optimizer state (step, moments) to the file `path`, fp32 exactly. */
  saveOptimizerState(path: string): Promise<void>;
  /**
   * Restore the state {@link saveOptimizerState} wrote for the same model.
   * @throws CorruptModelError when the file does not fit this model.
   */
  loadOptimizerState(path: string): Promise<void>;
  /** Free everything; idempotent. */
  dispose(): Promise<void>;
}
