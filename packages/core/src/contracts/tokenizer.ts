/** Options of {@link Tokenizer.encode}. */
export interface EncodeOptions {
  /** Cut to {@link Tokenizer.maxLength} tokens, as HF `tokenizer(text, truncation=True)`. */
  readonly truncation?: boolean;
}

/** Text → token ids, matching the Hugging Face tokenizer of the same name id for id. */
export interface Tokenizer {
  /** e.g. `distilgpt2`, `Xenova/gpt-4`, or a tokenizer.json path. */
  readonly name: string;
  /** Appended after each document when batching. */
  readonly eosTokenId: number;
  /** The model max length used by truncation (1024 for distilgpt2). */
  readonly maxLength: number;
  /** Size of the vocabulary, for checking ids against a model. */
  readonly vocabSize: number;
  /** Token ids of `text`, without special tokens (the EOS is appended by batching). */
  encode(text: string, options?: EncodeOptions): number[];
}
