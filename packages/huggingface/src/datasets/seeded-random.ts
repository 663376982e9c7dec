import { createHash, randomInt } from 'node:crypto';

/** Integers drawn uniformly from inclusive ranges. */
export interface PageRandom {
  /** A uniform integer in `[min, max]` (both inclusive, at most 2^48 apart). */
  int(min: number, max: number): number;
}

const SPAN = 2 ** 48;

/**
 * A deterministic stream of integers from `seed`: draw `n` hashes
 * `sha256(utf8(domain + "\0" + seed + "\0" + n))`, reads its first 6 bytes as an integer
 * below 2^48 and maps it onto the range by rejection sampling (no modulo bias). The same
 * seed gives the same numbers in every process and on every machine. Without a seed the
 * numbers come from `crypto.randomInt`.
 */
export function createPageRandom(seed: string | undefined, domain: string): PageRandom {
  if (seed === undefined) {
    return { int: (min, max) => (max === min ? min : randomInt(min, max + 1)) };
  }
  let counter = 0;
  const draw = (): number =>
    createHash('sha256').update(`${domain}\0${seed}\0${counter++}`, 'utf8').digest().readUIntBE(0, 6);
  return {
    int(min, max) {
      const size = max - min + 1;
      if (!Number.isSafeInteger(size) || size < 1 || size > SPAN) {
        throw new RangeError(`cannot draw from [${min}, ${max}]`);
      }
      const limit = SPAN - (SPAN % size);
      for (;;) {
        const value = draw();
        if (value < limit) return min + (value % size);
      }
    },
  };
}
