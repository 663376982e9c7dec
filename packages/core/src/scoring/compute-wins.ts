import { SUBNET9_CONSTANTS } from '../criteria/subnet9-constants.js';
import { UsageError } from '@pretrain/backend-sdk';
import { lossOrInfinity, orInfinity } from './is-win.js';

/** Head-to-head results of one evaluation step, aligned with its uids. */
export interface WinsResult {
  /** Batches won against every other uid. */
  readonly wins: number[];
  /** wins / matches, 0 when there are no matches. */
  readonly winRates: number[];
}

/**
 * Count, for each uid i, the batches b and other uids j where
 * `isWin(losses[i][b], losses[j][b], blocks[i], blocks[j])` (docs/SUBNET.md §6).
 *
 * Matches = (number of other uids) × (number of batches), where the number of batches is
 * the longest loss list: a missing loss, like a failed batch (`Infinity`, `null` from
 * JSON), is +Infinity; a NaN loss is a win for neither side, as in the reference. A
 * missing block (no metadata) is +Infinity.
 *
 * Counted per batch in O(n log n) rather than over all n² pairs (10⁵ uids take seconds,
 * not hours), with the very comparisons `isWin` makes: i beats an uid of a later block
 * when `(1 − ε)·lossᵢ < lossⱼ`, of an earlier block when `lossᵢ < (1 − ε)·lossⱼ`, of the
 * same block when `lossᵢ < lossⱼ`.
 *
 * @param losses per uid, per batch.
 * @param blocks per uid: the block of its commitment.
 * @throws UsageError when epsilon is not in [0, 1).
 */
export function computeWins(
  losses: readonly (readonly (number | null)[])[],
  blocks: readonly (number | null | undefined)[],
  epsilon: number = SUBNET9_CONSTANTS.epsilon,
): WinsResult {
  // (1 − ε)·loss must keep the order of losses and never be NaN (∞·0) for the counting below.
  if (!(epsilon >= 0 && epsilon < 1)) throw new UsageError(`epsilon ${epsilon} must be in [0, 1)`);
  const n = losses.length;
  const batches = losses.reduce((most, row) => Math.max(most, row.length), 0);
  const block = Array.from({ length: n }, (_, i) => orInfinity(blocks[i]));
  // Uids by block, and where each run of equal blocks starts and ends.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => compare(block[a]!, block[b]!));
  const groups: [number, number][] = [];
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && block[order[end]!] === block[order[start]!]) end++;
    groups.push([start, end]);
    start = end;
  }
  const wins = new Array<number>(n).fill(0);
  const loss = new Float64Array(n);
  const adjusted = new Float64Array(n);
  for (let b = 0; b < batches; b++) {
    for (let i = 0; i < n; i++) {
      loss[i] = lossOrInfinity(losses[i]?.[b]);
      adjusted[i] = (1 - epsilon) * loss[i]!;
    }
    countBatch(order, groups, loss, adjusted, wins);
  }
  const matches = (n - 1) * batches;
  return { wins, winRates: wins.map((w) => (matches > 0 ? w / matches : 0)) };
}

/**
 * Add one batch's wins of every uid to `wins`. A uid whose loss is NaN takes no part: it
 * wins nothing and nobody wins against it (`<` with NaN is false both ways), though its
 * matches still count.
 */
function countBatch(
  order: readonly number[],
  groups: readonly [number, number][],
  loss: Float64Array,
  adjusted: Float64Array,
  wins: number[],
): void {
  const values = sortedUnique([...loss, ...adjusted].filter((v) => !Number.isNaN(v)));
  const members = (start: number, end: number) =>
    order.slice(start, end).filter((i) => !Number.isNaN(loss[i]!));
  // Against earlier blocks: count adjusted losses of earlier uids above my loss.
  const earlier = new CountingTree(values);
  for (const [start, end] of groups) {
    const group = members(start, end);
    for (const i of group) wins[i]! += earlier.countAbove(loss[i]!);
    for (const i of group) earlier.add(adjusted[i]!);
  }
  // Against later blocks: count losses of later uids above my adjusted loss.
  const later = new CountingTree(values);
  for (let g = groups.length - 1; g >= 0; g--) {
    const group = members(...groups[g]!);
    for (const i of group) wins[i]! += later.countAbove(adjusted[i]!);
    for (const i of group) later.add(loss[i]!);
  }
  // Within a block: count strictly higher losses.
  for (const [start, end] of groups) {
    const group = members(start, end);
    const sorted = Float64Array.from(group, (i) => loss[i]!).sort();
    for (const i of group) wins[i]! += sorted.length - upperBound(sorted, loss[i]!);
  }
}

/** A multiset of values from a fixed sorted list, counting how many exceed a value (Fenwick tree). */
class CountingTree {
  private readonly tree: Int32Array;
  private size = 0;

  constructor(private readonly values: Float64Array) {
    this.tree = new Int32Array(values.length + 1);
  }

  add(value: number): void {
    for (let i = upperBound(this.values, value); i < this.tree.length; i += i & -i) this.tree[i]! += 1;
    this.size += 1;
  }

  countAbove(value: number): number {
    let atMost = 0;
    for (let i = upperBound(this.values, value); i > 0; i -= i & -i) atMost += this.tree[i]!;
    return this.size - atMost;
  }
}

/** How many entries of ascending `sorted` are ≤ `value`. */
function upperBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sortedUnique(values: readonly number[]): Float64Array {
  const sorted = Float64Array.from(values).sort();
  let count = 0;
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[count - 1]) sorted[count++] = sorted[i]!;
  return sorted.subarray(0, count);
}

function compare(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
