import type { GreedyProcessors } from '../contracts/loss-backend.js';

/** Where a step stands in its request: what the position-dependent processors need. */
export interface GreedyStepContext {
  /** Tokens of the prompt (the start of `sequence`). */
  readonly promptLength: number;
  /** Prompt plus every requested token: HF's `max_length`. */
  readonly maxLength: number;
  /** EOS ids set to -∞ (HF `min_new_tokens`: every requested token is "too early" for EOS). */
  readonly eosTokenIds: readonly number[];
}

/**
 * Apply `processors` in place to one row of fp32 logits, as Hugging Face `generate`
 * (transformers 4.38, greedy) does before its argmax: `sequence` is the prompt and the
 * tokens generated so far (HF's `input_ids`). Pure over its arguments; the cost is one pass
 * over the sequence per processor (n-grams: sequence × n) plus the listed ids.
 *
 * Values stay what fp32 arithmetic gives, as in torch: a penalty on -∞ stays -∞, a bad
 * word's -∞ added to a +∞ logit is NaN (which the argmax then never chooses).
 */
export function applyGreedyProcessors(
  scores: Float32Array,
  sequence: readonly number[],
  processors: GreedyProcessors,
  context: GreedyStepContext,
): void {
  const length = sequence.length;
  if (processors.encoderRepetitionPenalty !== undefined) {
    // HF inverts the penalty: it favours the prompt's tokens ("hallucination penalty").
    penalise(scores, distinct(sequence, context.promptLength), 1 / processors.encoderRepetitionPenalty);
  }
  if (processors.repetitionPenalty !== undefined) {
    penalise(scores, distinct(sequence, length), processors.repetitionPenalty);
  }
  if (processors.noRepeatNgramSize !== undefined) {
    for (const token of ngramCompletions(sequence, processors.noRepeatNgramSize)) scores[token] = -Infinity;
  }
  if (processors.badWordsIds !== undefined) {
    for (const token of badWordEnds(sequence, processors.badWordsIds)) {
      scores[token] = (scores[token] as number) + -Infinity;
    }
  }
  for (const token of context.eosTokenIds) scores[token] = -Infinity;
  if (processors.forcedBosTokenId !== undefined && length === 1) {
    forceOnly(scores, [processors.forcedBosTokenId]);
  }
  if (processors.forcedEosTokenIds !== undefined && length === context.maxLength - 1) {
    forceOnly(scores, processors.forcedEosTokenIds);
  }
  for (const token of processors.suppressTokens ?? []) scores[token] = -Infinity;
  if (processors.beginSuppressTokens !== undefined && length === beginIndex(processors, context)) {
    for (const token of processors.beginSuppressTokens) scores[token] = -Infinity;
  }
}

/** Whether `processors` would change any logit at all. */
export function hasGreedyProcessors(processors: GreedyProcessors | undefined): boolean {
  return processors !== undefined && Object.values(processors).some((value) => value !== undefined);
}

/** The distinct tokens of `sequence[0, end)`. */
function distinct(sequence: readonly number[], end: number): Set<number> {
  return new Set(sequence.slice(0, end));
}

/** Positive logits divided by `penalty`, negative ones multiplied (NaN stays NaN). */
function penalise(scores: Float32Array, tokens: Iterable<number>, penalty: number): void {
  // torch casts the Python float to the fp32 of the logits before the arithmetic.
  const factor = Math.fround(penalty);
  for (const token of tokens) {
    const score = scores[token] as number;
    scores[token] = score < 0 ? score * factor : score / factor;
  }
}

/**
 * The tokens that would complete an n-gram already in `sequence`: those following an
 * earlier occurrence of its last n − 1 tokens. None while the sequence is shorter than
 * n − 1 (HF), so a huge n costs nothing.
 */
export function ngramCompletions(sequence: readonly number[], n: number): number[] {
  const length = sequence.length;
  if (length + 1 < n) return [];
  const prefixStart = length + 1 - n;
  const banned: number[] = [];
  for (let start = 0; start + n <= length; start++) {
    let match = true;
    for (let k = 0; k < n - 1 && match; k++) match = sequence[start + k] === sequence[prefixStart + k];
    if (match) banned.push(sequence[start + n - 1] as number);
  }
  return banned;
}

/** Last tokens of the bad-word sequences whose other tokens end `sequence` (single tokens always). */
function badWordEnds(sequence: readonly number[], badWords: readonly (readonly number[])[]): Set<number> {
  const ends = new Set<number>();
  const length = sequence.length;
  for (const words of badWords) {
    const prefix = words.length - 1;
    // HF skips a sequence longer than the context.
    if (words.length > length) continue;
    let match = true;
    for (let k = 0; k < prefix && match; k++) match = words[k] === sequence[length - prefix + k];
    if (match) ends.add(words[prefix] as number);
  }
  return ends;
}

/** Every logit -∞ but `tokens`, which get 0. */
function forceOnly(scores: Float32Array, tokens: readonly number[]): void {
  scores.fill(-Infinity);
  for (const token of tokens) scores[token] = 0;
}

/** HF's begin index: the prompt's end, one later when a 1-token prompt gets a forced BOS. */
function beginIndex(processors: GreedyProcessors, context: GreedyStepContext): number {
  const forcedBos = processors.forcedBosTokenId !== undefined && context.promptLength === 1;
  return context.promptLength + (forcedBos ? 1 : 0);
}
