import type { ModelSpec } from '../artifacts/model-spec.js';
import type { GreedyProcessors } from '../contracts/loss-backend.js';
import { UsageError } from '../errors/index.js';
import { checkGreedyProcessors } from './check-greedy-processors.js';

/** Shape of a checked batch. */
export interface TokenRowsShape {
  readonly rows: number;
  /** Tokens per row. */
  readonly length: number;
}

/**
 * Check rows of token ids against a model before a backend runs them: at least one row,
 * every row `length` ≥ `minLength` tokens and ≤ `spec.maxPositions`, integer ids inside
 * the vocabulary. Shared by every backend so that all reject the same inputs alike.
 *
 * @param minLength 2 for losses (one prediction at least), 1 for prompts.
 * @throws UsageError naming the offending row, position or length.
 */
export function checkTokenRows(
  spec: ModelSpec,
  rows: readonly (readonly number[])[],
  minLength: number,
): TokenRowsShape {
  const length = rows[0]?.length ?? 0;
  if (rows.length === 0 || length < minLength) {
    throw new UsageError(
      `a batch needs at least one row of ${minLength}+ tokens, got ${rows.length} rows of ${length}`,
    );
  }
  if (length > spec.maxPositions) {
    throw new UsageError(
      `sequence length ${length} exceeds the model's maximum of ${spec.maxPositions} positions (${spec.dir})`,
      { hint: `use a sequence length of at most ${spec.maxPositions}` },
    );
  }
  rows.forEach((row, r) => {
    if (row.length !== length) {
      throw new UsageError(
        `batch rows differ in length: row 0 has ${length} tokens, row ${r} has ${row.length}`,
      );
    }
    row.forEach((id, t) => {
      if (!Number.isInteger(id) || id < 0 || id >= spec.vocabSize) {
        throw new UsageError(
          `token id ${id} (row ${r}, position ${t}) is outside the vocabulary 0…${spec.vocabSize - 1}`,
          { hint: 'tokenize with the tokenizer the model was trained with' },
        );
      }
    });
  });
  return { rows: rows.length, length };
}

/**
 * Check a greedy-continuation request: a whole count, every prompt valid with room for
 * `count` new tokens inside `spec.maxPositions` (the last one is never fed back), at
 * least one token of the vocabulary left to choose after `excludeTokens`, and valid
 * `processors` (`checkGreedyProcessors`).
 *
 * @throws UsageError for a bad count, a bad prompt, a continuation too long, nothing left
 *   to choose or a bad processor.
 */
export function checkGreedyRequest(
  spec: ModelSpec,
  prompts: readonly (readonly number[])[],
  count: number,
  excludeTokens: readonly number[] = [],
  processors?: GreedyProcessors,
): void {
  if (!Number.isInteger(count) || count < 0)
    throw new UsageError(`greedy token count must be ≥ 0, got ${count}`);
  const excluded = new Set(
    excludeTokens.filter((id) => Number.isInteger(id) && id >= 0 && id < spec.vocabSize),
  );
  if (count > 0 && excluded.size === spec.vocabSize) {
    throw new UsageError(`greedy decoding excludes all ${spec.vocabSize} tokens of the vocabulary`, {
      hint: 'exclude only the tokens that must never be generated (e.g. EOS)',
    });
  }
  if (processors !== undefined) checkGreedyProcessors(processors, spec.vocabSize);
  for (const prompt of prompts) {
    checkTokenRows(spec, [prompt], 1);
    if (prompt.length + count - 1 > spec.maxPositions) {
      throw new UsageError(
        `a ${prompt.length}-token prompt plus ${count} new tokens exceeds ${spec.maxPositions} positions`,
      );
    }
  }
}
