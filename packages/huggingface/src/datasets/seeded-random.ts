import { randomInt } from 'node:crypto';
import { SeededRandom, domainScheme } from '@pretrain/core';

/** Integers drawn uniformly from inclusive ranges. */
export interface PageRandom {
  /** A uniform integer in `[min, max]` (both inclusive, at most 2^48 apart). */
  int(min: number, max: number): number;
}

/**
 * Page draws from `seed`: core's `SeededRandom` with `domainScheme(domain, seed)` (draw
 * `n` is the first 6 bytes of `sha256(utf8(domain + "\0" + seed + "\0" + n))`, mapped onto
 * the range by rejection sampling). The same seed gives the same pages in every process
 * and on every machine. Without a seed the numbers come from `crypto.randomInt`.
 */
export function createPageRandom(seed: string | undefined, domain: string): PageRandom {
  if (seed === undefined) {
    return { int: (min, max) => (max === min ? min : randomInt(min, max + 1)) };
  }
  const random = new SeededRandom(domainScheme(domain, seed));
  return {
    int(min, max) {
      const size = max - min + 1;
      if (!Number.isSafeInteger(size) || size < 1 || size > 2 ** 48) {
        throw new RangeError(`cannot draw from [${min}, ${max}]`);
      }
      return min + random.nextInt(size);
    },
  };
}
