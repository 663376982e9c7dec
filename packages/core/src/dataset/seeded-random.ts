import { createHash } from 'node:crypto';
import { UsageError } from '@pretrain/backend-sdk';

/**
 * A deterministic random stream from a seed string: sha256 in counter mode
 * (`sha256(seed ":" counter)`), read as big-endian 32-bit words. Identical in every
 * process and on every machine, so validators sharing a seed (e.g. a block hash) pick
 * the same pages.
 */
export class SeededRandom {
  private block = Buffer.alloc(0);
  private offset = 0;
  private counter = 0;

  constructor(private readonly seed: string) {}

  /** The next uniform 32-bit unsigned integer. */
  nextUint32(): number {
    if (this.offset + 4 > this.block.length) {
      this.block = createHash('sha256').update(`${this.seed}:${this.counter++}`, 'utf8').digest();
      this.offset = 0;
    }
    const value = this.block.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** A uniform number in [0, 1) (32 bits of precision). */
  next(): number {
    return this.nextUint32() / 2 ** 32;
  }

  /**
   * A uniform integer in [0, max), without modulo bias (rejection sampling).
   *
   * @throws UsageError unless 1 <= max <= 2³².
   */
  nextInt(max: number): number {
    if (!Number.isInteger(max) || max < 1 || max > 2 ** 32) {
      throw new UsageError(`random range ${max} must be an integer in [1, 2^32]`);
    }
    const limit = Math.floor(2 ** 32 / max) * max;
    for (;;) {
      const value = this.nextUint32();
      if (value < limit) return value % max;
    }
  }
}
