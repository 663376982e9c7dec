import type { GreedyOptions, GreedyProcessors } from '../contracts/loss-backend.js';
import { argmaxExcluding } from './argmax-excluding.js';
import { applyGreedyProcessors, hasGreedyProcessors } from './greedy-processors.js';

const NOTHING_EXCLUDED: ReadonlySet<number> = new Set();

/**
 * Chooses each greedy token of one prompt's continuation from the logits of the last
 * position, the way every backend must: argmax with the EOS ids excluded, and, when the
 * request carries logits processors, those applied first (HF `generate` order). Backends
 * whose kernels pick the argmax themselves only need the logits when {@link active}.
 */
export class GreedySelector {
  /** Whether processors run: the backend must hand over every step's logits. */
  readonly active: boolean;
  private readonly excluded: ReadonlySet<number>;
  private readonly processors: GreedyProcessors | undefined;
  private readonly eosTokenIds: readonly number[];
  private readonly sequence: number[];
  private readonly maxLength: number;
  private scratch: Float32Array | undefined;

  /** @param options a request already checked by `checkGreedyRequest` (ids inside the vocabulary). */
  constructor(
    vocabSize: number,
    private readonly prompt: readonly number[],
    count: number,
    options: GreedyOptions = {},
  ) {
    this.eosTokenIds = (options.excludeTokens ?? []).filter(
      (id) => Number.isInteger(id) && id >= 0 && id < vocabSize,
    );
    this.excluded = new Set(this.eosTokenIds);
    this.active = hasGreedyProcessors(options.processors);
    this.processors = this.active ? options.processors : undefined;
    this.sequence = [...prompt];
    this.maxLength = prompt.length + count;
  }

  /** The tokens chosen so far. */
  get generated(): number[] {
    return this.sequence.slice(this.prompt.length);
  }

  /**
   * Choose the next token from the last position's logits and append it to the sequence.
   * @throws CorruptModelError when every logit that may be chosen is NaN.
   */
  next(logits: ArrayLike<number>): number {
    const token =
      this.processors === undefined ? argmaxExcluding(logits, this.excluded) : this.processed(logits);
    this.sequence.push(token);
    return token;
  }

  private processed(logits: ArrayLike<number>): number {
    // A model whose every logit is NaN is corrupt whatever the processors would make of it.
    argmaxExcluding(logits, this.excluded);
    this.scratch ??= new Float32Array(logits.length);
    const scores = this.scratch;
    scores.set(logits);
    applyGreedyProcessors(scores, this.sequence, this.processors as GreedyProcessors, {
      promptLength: this.prompt.length,
      maxLength: this.maxLength,
      eosTokenIds: this.eosTokenIds,
    });
    // As torch.argmax over the processed row: when processors leave only -∞, the first
    // token wins, EOS or not (HF's min_new_tokens is a -∞ logit, not an exclusion).
    return argmaxExcluding(scores, NOTHING_EXCLUDED);
  }
}
