import { join } from 'node:path';
import type { GreedyProcessors } from '../contracts/loss-backend.js';
import { CorruptModelError } from '../errors/index.js';
import { topLevelNumberLiterals, type NumberLiterals } from './json-number-literals.js';
import { readModelJsonFile } from './model-json.js';

/** What the sanity check's `generate` call takes from a model's generation config. */
export interface GenerationSettings {
  /** The file the settings come from. */
  readonly source: 'generation_config.json' | 'config.json';
  /** EOS ids never chosen among the new tokens (`min_new_tokens`); empty when the config names none. */
  readonly eosTokenIds: readonly number[];
  /** The deterministic logits processors it sets (an empty object when none). */
  readonly processors: GreedyProcessors;
  /**
   * Settings the reference honours that a greedy check does not (sampling, beams, …), one
   * sentence each, for a log line: with them no validator can agree with the reference.
   */
  readonly notes: readonly string[];
}

/**
 * Read the generation settings of the model in `dir` as transformers 4.38 `generate` sees
 * them (docs/SUBNET.md, the sanity check): `generation_config.json` when the repo has one,
 * else (or when that file says `_from_model_config`) the generation keys of `config.json`.
 *
 * @throws CorruptModelError for a file `readModelJson` refuses (oversized, not JSON, …) or
 *   a value `generate` itself would refuse (the reference fails such a model).
 */
export async function readGenerationSettings(dir: string, vocabSize: number): Promise<GenerationSettings> {
  const config = await readModelJsonFile(join(dir, 'config.json'), true);
  const generation = await readModelJsonFile(join(dir, 'generation_config.json'), false);
  return generationSettings(config?.object ?? {}, generation?.object, vocabSize, {
    config: config?.text,
    generation: generation?.text,
  });
}

/**
 * {@link readGenerationSettings} over parsed files: `generation` is the parsed
 * generation_config.json, `undefined` when the repo has none. With `texts`, the files'
 * text, a number written as an int where transformers wants a float (or the reverse) is
 * refused as `generate` refuses it; without, `2` and `2.0` are alike.
 *
 * @throws CorruptModelError for a value `generate` would refuse.
 */
export function generationSettings(
  config: Readonly<Record<string, unknown>>,
  generation: Readonly<Record<string, unknown>> | undefined,
  vocabSize: number,
  texts: { readonly config?: string | undefined; readonly generation?: string | undefined } = {},
): GenerationSettings {
  // transformers rebuilds a generation config marked `_from_model_config` from config.json.
  const fromFile = generation !== undefined && !truthy(own(generation, '_from_model_config'));
  const source = fromFile ? 'generation_config.json' : 'config.json';
  const text = fromFile ? texts.generation : texts.config;
  const literals = text === undefined ? new Map<string, NumberLiterals>() : topLevelNumberLiterals(text);
  const read = new SettingsReader(fromFile ? generation : config, source, vocabSize, literals);
  const processors: GreedyProcessors = {
    encoderRepetitionPenalty: read.penalty('encoder_repetition_penalty'),
    repetitionPenalty: read.penalty('repetition_penalty'),
    noRepeatNgramSize: read.ngramSize('no_repeat_ngram_size'),
    badWordsIds: read.badWords('bad_words_ids'),
    forcedBosTokenId: read.forcedBos('forced_bos_token_id'),
    forcedEosTokenIds: read.ids('forced_eos_token_id', true),
    suppressTokens: read.ids('suppress_tokens', false),
    beginSuppressTokens: read.ids('begin_suppress_tokens', false),
  };
  read.refuseUnsupported();
  return {
    source,
    eosTokenIds: read.eosTokenIds(),
    processors: Object.fromEntries(
      Object.entries(processors).filter(([, value]) => value !== undefined),
    ) as GreedyProcessors,
    notes: read.notes(),
  };
}

/** The value of an own key (never an inherited one such as `constructor`), null as undefined. */
function own(object: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(object, key) ? (object[key] ?? undefined) : undefined;
}

/** Python truthiness of a JSON value. */
function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** A JSON value as a Python int (`true`/`false` are 1/0 there), else undefined. */
function pythonInt(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

class SettingsReader {
  constructor(
    private readonly raw: Readonly<Record<string, unknown>>,
    private readonly file: string,
    private readonly vocabSize: number,
    private readonly literals: ReadonlyMap<string, NumberLiterals>,
  ) {}

  /** A penalty: absent or 1 means none; transformers refuses anything but a float > 0. */
  penalty(key: string): number | undefined {
    const value = own(this.raw, key);
    // Python compares `!= 1.0` first: 1 and true mean none.
    if (value === undefined || value === 1 || value === true) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
      throw this.bad(key, 'a number > 0');
    if (this.literals.get(key)?.int === true)
      throw this.bad(key, 'a float (generate refuses an int such as 2)');
    return value;
  }

  /** `no_repeat_ngram_size`: ≤ 0 means none, a whole number otherwise (huge ones ban nothing). */
  ngramSize(key: string): number | undefined {
    const value = own(this.raw, key);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' && typeof value !== 'boolean') throw this.bad(key, 'a whole number');
    if (Number(value) <= 0) return undefined;
    const n = pythonInt(value);
    if (n === undefined || this.literals.get(key)?.float === true) throw this.bad(key, 'a whole number');
    return n;
  }

  /** `bad_words_ids`: a non-empty list of non-empty lists of token ids. */
  badWords(key: string): number[][] | undefined {
    const value = own(this.raw, key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.length === 0 || !value.every((words) => Array.isArray(words))) {
      throw this.bad(key, 'a non-empty list of lists of token ids');
    }
    this.refuseFloats(key);
    return (value as unknown[][]).map((words) => {
      if (words.length === 0) throw this.bad(key, 'lists of at least one token id');
      return words.map((id) => this.token(key, id));
    });
  }

  /**
   * `forced_bos_token_id` only applies to a one-token prompt, never to the sanity check's
   * 100 tokens, where transformers never reads it: an unusable one is dropped, not refused.
   */
  forcedBos(key: string): number | undefined {
    const id = pythonInt(own(this.raw, key));
    return id !== undefined && id >= 0 && id < this.vocabSize ? id : undefined;
  }

  /** A list of token ids, or (`single`) also one bare id. */
  ids(key: string, single: boolean): number[] | undefined {
    const value = own(this.raw, key);
    if (value === undefined) return undefined;
    this.refuseFloats(key);
    if (single && !Array.isArray(value)) return [this.token(key, value)];
    if (!Array.isArray(value)) throw this.bad(key, 'a list of token ids');
    return value.map((id) => this.token(key, id));
  }

  /**
   * EOS ids for `min_new_tokens`: those of this file only (transformers does not merge
   * config.json's in when generation_config.json names others). Ids outside the
   * vocabulary mask nothing (transformers ≥ 4.40) and are dropped.
   */
  eosTokenIds(): number[] {
    const value = own(this.raw, 'eos_token_id');
    if (value === undefined) return [];
    this.refuseFloats('eos_token_id');
    const list = Array.isArray(value) ? value : [value];
    const ids = list.map((id) => pythonInt(id));
    if (ids.some((id) => id === undefined || id < 0)) throw this.bad('eos_token_id', 'token ids ≥ 0');
    return [...new Set(ids as number[])].filter((id) => id < this.vocabSize).sort((a, b) => a - b);
  }

  /**
   * transformers 4.38 refuses `encoder_no_repeat_ngram_size` on a decoder-only model, and
   * any `sequence_bias` JSON can hold (it wants tuple keys).
   */
  refuseUnsupported(): void {
    const value = own(this.raw, 'encoder_no_repeat_ngram_size');
    if (typeof value === 'number' && value > 0) {
      throw this.bad('encoder_no_repeat_ngram_size', '0 for a decoder-only model');
    }
    if (own(this.raw, 'sequence_bias') !== undefined) {
      throw this.bad('sequence_bias', 'absent: transformers 4.38 takes it only as a dict keyed by tuples');
    }
  }

  /** What the reference does differently from a greedy check with these processors. */
  notes(): string[] {
    const notes: string[] = [];
    const say = (key: string, effect: string) =>
      notes.push(`${this.file} sets ${key}: ${effect}; pretrain checks the greedy continuation`);
    const sample = own(this.raw, 'do_sample');
    if (Object.hasOwn(this.raw, 'do_sample') && sample !== false) {
      say('do_sample', "the reference's sanity check samples at random for this model");
    }
    const beams = own(this.raw, 'num_beams');
    if (beams !== undefined && beams !== 1)
      say('num_beams', "the reference's sanity check runs a beam search");
    const alpha = own(this.raw, 'penalty_alpha');
    const topK = own(this.raw, 'top_k');
    if (typeof alpha === 'number' && alpha > 0 && typeof topK === 'number' && topK > 1) {
      say('penalty_alpha', "the reference's sanity check runs a contrastive search");
    }
    for (const key of ['guidance_scale', 'exponential_decay_length_penalty', 'forced_decoder_ids']) {
      const value = own(this.raw, key);
      if (value !== undefined && !(key === 'guidance_scale' && value === 1)) {
        say(key, 'the reference applies it and pretrain does not');
      }
    }
    if (own(this.raw, 'remove_invalid_values') === true) {
      say(
        'remove_invalid_values',
        'the reference turns NaN and ∞ logits into numbers, pretrain never chooses NaN',
      );
    }
    return notes;
  }

  /** Token ids index a tensor: transformers fails on one written as a float (`3.0`). */
  private refuseFloats(key: string): void {
    if (this.literals.get(key)?.float === true) throw this.bad(key, 'token ids written as integers');
  }

  private token(key: string, value: unknown): number {
    const id = pythonInt(value);
    if (id === undefined || id < 0 || id >= this.vocabSize) {
      throw this.bad(key, `token ids inside the vocabulary 0…${this.vocabSize - 1}`);
    }
    return id;
  }

  private bad(key: string, expected: string): CorruptModelError {
    const shown = JSON.stringify(own(this.raw, key)) ?? 'undefined';
    return new CorruptModelError(
      `${this.file}: "${key}" is ${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}; expected ${expected}`,
      { hint: 'transformers generate refuses this value, so the reference validators fail the model' },
    );
  }
}
