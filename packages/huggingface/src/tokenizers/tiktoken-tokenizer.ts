import type { EncodeOptions, Tokenizer } from '@pretrain/core';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import { truncateIds } from './truncate.js';

/** What distinguishes one bundled encoding from another. */
export interface TiktokenSpec {
  readonly name: string;
  readonly eosTokenId: number;
  readonly maxLength: number;
  readonly vocabSize: number;
  /** Loads the encoding's ranks (bundled with js-tiktoken). */
  readonly ranks: () => Promise<TiktokenBPE>;
}

/**
 * A {@link Tokenizer} over a byte-level BPE encoding bundled with js-tiktoken. Special
 * tokens written in the text (`<|endoftext|>`) become their ids, as the HF tokenizers of
 * these models treat them as added tokens; nothing is added around the text.
 */
export class TiktokenTokenizer implements Tokenizer {
  readonly name: string;
  readonly eosTokenId: number;
  readonly maxLength: number;
  readonly vocabSize: number;

  constructor(
    spec: Omit<TiktokenSpec, 'ranks'>,
    private readonly encoding: Tiktoken,
  ) {
    this.name = spec.name;
    this.eosTokenId = spec.eosTokenId;
    this.maxLength = spec.maxLength;
    this.vocabSize = spec.vocabSize;
  }

  /** Build one from a spec (parsing the ranks takes about a second). */
  static async create(spec: TiktokenSpec): Promise<TiktokenTokenizer> {
    return new TiktokenTokenizer(spec, new Tiktoken(await spec.ranks()));
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const ids = this.encoding.encode(text, 'all');
    return options.truncation === true ? truncateIds(ids, this.maxLength) : ids;
  }

  /** Ids back to text (for logs and tests). */
  decode(ids: readonly number[]): string {
    return this.encoding.decode([...ids]);
  }
}

/**
 * `distilgpt2`: GPT-2 BPE (50257 ids), `model_max_length` 1024, EOS `<|endoftext|>` = 50256.
 */
export const DISTILGPT2_SPEC: TiktokenSpec = {
  name: 'distilgpt2',
  eosTokenId: 50256,
  maxLength: 1024,
  vocabSize: 50257,
  ranks: async () => (await import('js-tiktoken/ranks/gpt2')).default,
};

/**
 * `Xenova/gpt-4`: cl100k_base, EOS `<|endoftext|>` = 100257, `model_max_length` 8192 (its
 * tokenizer_config.json); ids run to `<|endofprompt|>` = 100276.
 */
export const XENOVA_GPT4_SPEC: TiktokenSpec = {
  name: 'Xenova/gpt-4',
  eosTokenId: 100257,
  maxLength: 8192,
  vocabSize: 100277,
  ranks: async () => (await import('js-tiktoken/ranks/cl100k_base')).default,
};
