import type { EncodeOptions, Tokenizer } from '../../contracts/index.js';

/**
 * Test support: a real, minimal {@link Tokenizer}: one token per UTF-8 byte, shifted by
 * one so that id 0 is EOS (ids 1..256). Small vocabularies keep test models tiny.
 */
export class ByteTokenizer implements Tokenizer {
  readonly name = 'bytes';
  readonly eosTokenId = 0;
  readonly vocabSize = 257;

  constructor(readonly maxLength = 1024) {}

  encode(text: string, options: EncodeOptions = {}): number[] {
    const ids = [...Buffer.from(text, 'utf8')].map((byte) => byte + 1);
    return options.truncation ? ids.slice(0, this.maxLength) : ids;
  }
}
