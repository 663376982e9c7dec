import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { UsageError, type EncodeOptions, type Tokenizer } from '@pretrain/core';
import { truncateIds } from './truncate.js';

/** HF's stand-in for "no limit" (`int(1e30)`) and anything like it means no truncation. */
const NO_LIMIT = 1e12;

type TokenizerConfig = { model_max_length?: unknown; eos_token?: unknown };

const tokenText = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof (value as { content?: unknown })?.content === 'string'
      ? (value as { content: string }).content
      : undefined;

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
}

/**
 * A {@link Tokenizer} over any Hugging Face `tokenizer.json` (BPE merges as `"a b"`
 * strings or `["a", "b"]` pairs), with `tokenizer_config.json` beside it for the max
 * length and EOS. Encodes like HF `tokenizer(text)`: special tokens of the template are
 * added, and truncation keeps them.
 */
export class JsonTokenizer implements Tokenizer {
  private constructor(
    readonly name: string,
    readonly eosTokenId: number,
    readonly maxLength: number,
    readonly vocabSize: number,
    private readonly tokenizer: HfTokenizer,
  ) {}

  /**
   * Load `path` (a tokenizer.json, or a directory holding one).
   * @throws UsageError when the files are missing, unreadable or have no EOS token.
   */
  static async load(path: string): Promise<JsonTokenizer> {
    const file =
      (await stat(path).catch(() => undefined))?.isDirectory() === true ? join(path, 'tokenizer.json') : path;
    let json: Record<string, unknown> | undefined;
    try {
      json = await readJson(file);
    } catch (error) {
      throw new UsageError(`'${file}' is not valid JSON`, {
        hint: 'pass a Hugging Face tokenizer.json',
        cause: error,
      });
    }
    if (json === undefined) {
      throw new UsageError(`No tokenizer at '${file}'`, {
        hint: "pass 'distilgpt2', 'Xenova/gpt-4' or a path to a tokenizer.json",
      });
    }
    const config = ((await readJson(join(dirname(file), 'tokenizer_config.json')).catch(() => undefined)) ??
      {}) as TokenizerConfig;
    const specialMap =
      (await readJson(join(dirname(file), 'special_tokens_map.json')).catch(() => undefined)) ?? {};
    let tokenizer: HfTokenizer;
    try {
      tokenizer = new HfTokenizer(json, config);
    } catch (error) {
      // The library reports a malformed file with plain Errors and TypeErrors.
      throw new UsageError(
        `'${file}' is not a tokenizer.json this tool can read: ${(error as Error).message}`,
        {
          hint: 'pass a Hugging Face tokenizer.json (saved by tokenizers or transformers)',
          cause: error,
        },
      );
    }
    const eosText = tokenText(config.eos_token) ?? tokenText(specialMap.eos_token);
    const eos = eosText === undefined ? undefined : tokenizer.token_to_id(eosText);
    if (eos === undefined) {
      throw new UsageError(
        `The tokenizer at '${file}' names no EOS token that it knows (${String(eosText)})`,
        {
          hint: 'put eos_token in tokenizer_config.json beside tokenizer.json',
        },
      );
    }
    const limit =
      typeof config.model_max_length === 'number' && config.model_max_length < NO_LIMIT
        ? config.model_max_length
        : Number.MAX_SAFE_INTEGER;
    // A loop, not Math.max(...ids): spreading a 150k-entry vocabulary overflows the stack.
    let vocabSize = 0;
    for (const id of tokenizer.get_vocab(true).values()) vocabSize = Math.max(vocabSize, id + 1);
    return new JsonTokenizer(file, eos, limit, vocabSize, tokenizer);
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const ids = this.tokenizer.encode(text).ids;
    if (options.truncation !== true || ids.length <= this.maxLength) return ids;
    const plain = this.tokenizer.encode(text, { add_special_tokens: false }).ids;
    const special = ids.length - plain.length;
    const leading =
      special === 0
        ? 0
        : ids.findIndex((id: number, i: number) => id === plain[0] && ids[i + 1] === plain[1]);
    return truncateIds(ids, this.maxLength, special, Math.max(0, leading));
  }
}
