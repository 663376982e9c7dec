import type { Tokenizer } from '@pretrain/core';
import { JsonTokenizer } from './json-tokenizer.js';
import {
  DISTILGPT2_SPEC,
  TiktokenTokenizer,
  XENOVA_GPT4_SPEC,
  type TiktokenSpec,
} from './tiktoken-tokenizer.js';

/** The tokenizers of the subnet's criteria, by their Hugging Face names. */
export const BUNDLED_TOKENIZERS: ReadonlyMap<string, TiktokenSpec> = new Map([
  ['distilgpt2', DISTILGPT2_SPEC],
  ['Xenova/gpt-4', XENOVA_GPT4_SPEC],
]);

const cache = new Map<string, Promise<Tokenizer>>();

/**
 * Load a tokenizer offline: `distilgpt2` and `Xenova/gpt-4` from the encodings bundled
 * with js-tiktoken, anything else as a path to a `tokenizer.json` (or its directory).
 * Bundled ones are built once per process.
 *
 * @throws UsageError for a path without a usable tokenizer.json.
 */
export function loadTokenizer(nameOrPath: string): Promise<Tokenizer> {
  const spec = BUNDLED_TOKENIZERS.get(nameOrPath);
  if (spec === undefined) return JsonTokenizer.load(nameOrPath);
  let loaded = cache.get(spec.name);
  if (loaded === undefined) {
    loaded = TiktokenTokenizer.create(spec);
    cache.set(spec.name, loaded);
    loaded.catch(() => cache.delete(spec.name));
  }
  return loaded;
}
