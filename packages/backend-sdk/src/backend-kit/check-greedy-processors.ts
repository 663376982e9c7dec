import type { GreedyProcessors } from '../contracts/loss-backend.js';
import { UsageError } from '../errors/index.js';

/**
 * Most token ids all lists of a processors description may hold together: more than a
 * generation config of `MAX_MODEL_JSON_BYTES` (1 MiB) can name, so no config that the
 * reference runs is refused, and few enough that a hostile one costs a step milliseconds.
 */
export const MAX_PROCESSOR_TOKEN_IDS = 1_000_000;

/**
 * Check a {@link GreedyProcessors} description: penalties finite and > 0, an n-gram size
 * that is a whole number ≥ 1, every token id inside `0…vocabSize − 1`, every bad-word
 * sequence non-empty, at most {@link MAX_PROCESSOR_TOKEN_IDS} ids in all.
 *
 * @throws UsageError naming the offending field.
 */
export function checkGreedyProcessors(processors: GreedyProcessors, vocabSize: number): void {
  for (const key of ['encoderRepetitionPenalty', 'repetitionPenalty'] as const) {
    const value = processors[key];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw new UsageError(`greedy processor ${key} must be a finite number > 0, got ${String(value)}`);
    }
  }
  const n = processors.noRepeatNgramSize;
  if (n !== undefined && !(Number.isSafeInteger(n) && n >= 1)) {
    throw new UsageError(`greedy processor noRepeatNgramSize must be a whole number ≥ 1, got ${String(n)}`);
  }
  const lists: [string, readonly unknown[] | undefined][] = [
    [
      'forcedBosTokenId',
      processors.forcedBosTokenId === undefined ? undefined : [processors.forcedBosTokenId],
    ],
    ['forcedEosTokenIds', processors.forcedEosTokenIds],
    ['suppressTokens', processors.suppressTokens],
    ['beginSuppressTokens', processors.beginSuppressTokens],
    ...(processors.badWordsIds ?? []).map((words, i): [string, readonly unknown[]] => [
      `badWordsIds[${i}]`,
      words,
    ]),
  ];
  let total = 0;
  for (const [name, ids] of lists) {
    if (ids === undefined) continue;
    if (!Array.isArray(ids)) throw new UsageError(`greedy processor ${name} must be a list of token ids`);
    if (name.startsWith('badWordsIds') && ids.length === 0) {
      throw new UsageError(`greedy processor ${name} is an empty sequence`);
    }
    total += ids.length;
    if (total > MAX_PROCESSOR_TOKEN_IDS) {
      throw new UsageError(`greedy processors list over ${MAX_PROCESSOR_TOKEN_IDS} token ids`);
    }
    const bad = ids.find(
      (id) => !(Number.isInteger(id) && (id as number) >= 0 && (id as number) < vocabSize),
    );
    if (bad !== undefined) {
      throw new UsageError(
        `greedy processor ${name} holds ${JSON.stringify(bad)}, outside the vocabulary 0…${vocabSize - 1}`,
      );
    }
  }
}
