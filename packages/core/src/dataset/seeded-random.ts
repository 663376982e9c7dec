import { createHash } from 'node:crypto';

/**
 * How a {@link SeededRandom} turns its seed into words: block `n` is
 * `sha256(utf8(block(n)))`, read as big-endian words of `wordBytes` bytes, the first
 * `wordsPerBlock` of them, before block `n + 1` is hashed.
 */
export interface SeededRandomScheme {
  /** The text hashed for block `n` (n = 0, 1, ...); it holds the seed. */
  readonly block: (n: number) => string;
  /** 4 (words below 2³²) or 6 (below 2⁴⁸). */
  readonly wordBytes: 4 | 6;
  /** Words read from each 32-byte block: 1 up to 32 / wordBytes. */
  readonly wordsPerBlock: number;
}

/**
 * sha256 in counter mode, `sha256(seed ":" n)`, every block read as eight 32-bit words:
 * the local text dataset's page choice (and the demo's and e2e's).
 */
export function counterModeScheme(seed: string): SeededRandomScheme {
  return { block: (n) => `${seed}:${n}`, wordBytes: 4, wordsPerBlock: 8 };
}

/**
 * One 48-bit word per hash, `sha256(domain "\0" seed "\0" n)`: the Hugging Face datasets'
 * page draws (a domain per dataset, so two datasets drawn from one seed do not share
 * their numbers).
 */
export function domainScheme(domain: string, seed: string): SeededRandomScheme {
  return { block: (n) => `${domain}\0${seed}\0${n}`, wordBytes: 6, wordsPerBlock: 1 };
}

/**
 * The project's one deterministic random stream: words hashed from a seed by a
 * {@link SeededRandomScheme} (a string seed means {@link counterModeScheme}). Identical
 * in every process and on every machine, so validators sharing a seed (e.g. a block hash)
 * pick the same pages. Integers in a range come by rejection sampling, without modulo
 * bias. It imports nothing but `node:crypto`, so a test can run it alone in a fresh process.
 */
export class SeededRandom {
  private readonly scheme: SeededRandomScheme;
  private readonly span: number;
  private block = Buffer.alloc(0);
  private used = 0;
  private counter = 0;

  constructor(seed: string | SeededRandomScheme) {
    this.scheme = typeof seed === 'string' ? counterModeScheme(seed) : seed;
    const { wordBytes, wordsPerBlock } = this.scheme;
    if (!Number.isInteger(wordsPerBlock) || wordsPerBlock < 1 || wordsPerBlock * wordBytes > 32) {
      throw new RangeError(
        `a sha256 block holds 1 to ${Math.floor(32 / wordBytes)} words of ${wordBytes} bytes`,
      );
    }
    this.span = 2 ** (8 * wordBytes);
  }

  /** The next uniform word in [0, 2^(8 × wordBytes)). */
  nextWord(): number {
    if (this.used === this.scheme.wordsPerBlock || this.block.length === 0) {
      this.block = createHash('sha256').update(this.scheme.block(this.counter++), 'utf8').digest();
      this.used = 0;
    }
    return this.block.readUIntBE(this.scheme.wordBytes * this.used++, this.scheme.wordBytes);
  }

  /** A uniform number in [0, 1) (one word of precision). */
  next(): number {
    return this.nextWord() / this.span;
  }

  /**
   * A uniform integer in [0, max), without modulo bias (rejection sampling).
   *
   * @throws RangeError unless max is an integer in [1, 2^(8 × wordBytes)].
   */
  nextInt(max: number): number {
    if (!Number.isInteger(max) || max < 1 || max > this.span) {
      throw new RangeError(`random range ${max} must be an integer in [1, 2^${8 * this.scheme.wordBytes}]`);
    }
    const limit = this.span - (this.span % max);
    for (;;) {
      const value = this.nextWord();
      if (value < limit) return value % max;
    }
  }
}
