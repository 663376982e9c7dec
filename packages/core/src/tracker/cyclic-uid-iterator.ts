import { UsageError } from '@pretrain/backend-sdk';

/** A source of uniform numbers in [0, 1), like `Math.random`. */
export type RandomSource = () => number;

function sortedUnique(uids: readonly number[]): number[] {
  return [...new Set(uids)].sort((a, b) => a - b);
}

/**
 * Endless iteration over the subnet's uids in ascending order, wrapping around.
 *
 * It starts at a random position so that a validator restarting often does not keep
 * re-checking low uids and starve high ones (docs/SUBNET.md §7), and re-syncs to a new uid
 * list without churn: iteration continues from the uid that would have come next, or the
 * next larger one that still exists.
 */
export class CyclicUidIterator {
  private uids: number[];
  private index: number;

  /** @param random injectable for tests; `Math.random` by default. */
  constructor(
    uids: readonly number[],
    private readonly random: RandomSource = Math.random,
  ) {
    this.uids = sortedUnique(uids);
    this.index = this.randomIndex();
  }

  private randomIndex(): number {
    if (this.uids.length === 0) return 0;
    // Clamped: a custom source returning exactly 1 must not point past the end.
    return Math.min(this.uids.length - 1, Math.max(0, Math.floor(this.random() * this.uids.length)));
  }

  /** The uids iterated, ascending. */
  get current(): readonly number[] {
    return this.uids;
  }

  /**
   * The next uid, without advancing.
   *
   * @throws UsageError when there are no uids.
   */
  peek(): number {
    const uid = this.uids[this.index];
    if (uid === undefined) {
      throw new UsageError('there are no uids to iterate', { hint: 'sync the metagraph first' });
    }
    return uid;
  }

  /**
   * The next uid, advancing (and wrapping) the position.
   *
   * @throws UsageError when there are no uids.
   */
  next(): number {
    const uid = this.peek();
    this.index = (this.index + 1) % this.uids.length;
    return uid;
  }

  /**
   * Replace the uid list: the next uid is the one that would have come next if it still
   * exists, else the next larger one, wrapping to the smallest. From an empty list it
   * starts at a random position again.
   */
  setUids(uids: readonly number[]): void {
    const upcoming = this.uids[this.index];
    this.uids = sortedUnique(uids);
    if (upcoming === undefined) {
      this.index = this.randomIndex();
      return;
    }
    const found = this.uids.findIndex((uid) => uid >= upcoming);
    this.index = found === -1 ? 0 : found;
  }
}
