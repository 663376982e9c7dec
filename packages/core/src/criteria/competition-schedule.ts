import type { Competition, CompetitionSchedule } from './competition.js';

const GIB = 1024 * 1024 * 1024;

/** Freeze a data tree so that a caller cannot change the rules for everyone in-process. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Architectures accepted before block 2,786,061. */
export const ARCHITECTURES_BEFORE_7B: readonly string[] = Object.freeze([
  'GPT2LMHeadModel',
  'MistralForCausalLM',
  'LlamaForCausalLM',
  'BartForCausalLM',
  'FalconForCausalLM',
  'GPTNeoXForCausalLM',
  'GPTJForCausalLM',
]);

/** Architectures accepted from block 2,786,061 (bf16 + flash attention era). */
export const ARCHITECTURES_FROM_7B: readonly string[] = Object.freeze([
  'MistralForCausalLM',
  'LlamaForCausalLM',
  'BartForCausalLM',
  'FalconForCausalLM',
  'GPTNeoXForCausalLM',
  'PhiForCausalLM',
  'GemmaForCausalLM',
]);

/** Schema 2.2.2 has a single competition per block range, taking all the weight. */
function only(competition: Omit<Competition, 'rewardShare'>): readonly Competition[] {
  return [{ ...competition, rewardShare: 1 }];
}

const falcon = [{ id: 'falcon-loss', dataset: 'falcon', weight: 1 }] as const;
const fineweb = [{ id: 'fineweb-edu2-loss', dataset: 'fineweb-edu2', weight: 1 }] as const;
const small = {
  sequenceLength: 1024,
  batchSize: 1,
  maxBytes: 5 * GIB,
  tokenizer: 'distilgpt2',
  bf16: false,
} as const;
const large = {
  sequenceLength: 4096,
  batchSize: 1,
  maxBytes: 15 * GIB,
  tokenizer: 'Xenova/gpt-4',
  bf16: true,
} as const;

/**
 * docs/SUBNET.md §4 as data: the rules by commitment block of validator schema 2.2.2.
 * Later subnet versions (several competitions per range, other tasks and shares) are
 * new entries of the same shape; no code changes.
 */
export const COMPETITION_SCHEDULE: CompetitionSchedule = deepFreeze([
  {
    fromBlock: 0,
    competitions: only({
      id: 'pretrain',
      constraints: { ...small, maxParameters: 186_000_000, allowedArchitectures: ARCHITECTURES_BEFORE_7B },
      evalTasks: falcon,
    }),
  },
  {
    fromBlock: 2_405_920,
    competitions: only({
      id: 'pretrain',
      constraints: { ...small, maxParameters: 772_000_000, allowedArchitectures: ARCHITECTURES_BEFORE_7B },
      evalTasks: falcon,
    }),
  },
  {
    fromBlock: 2_786_061,
    competitions: only({
      id: 'pretrain',
      constraints: { ...large, maxParameters: 6_900_000_000, allowedArchitectures: ARCHITECTURES_FROM_7B },
      evalTasks: falcon,
    }),
  },
  {
    fromBlock: 3_256_604,
    competitions: only({
      id: 'pretrain',
      constraints: { ...large, maxParameters: 6_900_000_000, allowedArchitectures: ARCHITECTURES_FROM_7B },
      evalTasks: fineweb,
    }),
  },
]);
