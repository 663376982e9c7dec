import { describe, expect, it } from 'vitest';
import { CyclicUidIterator } from './cyclic-uid-iterator.js';

const take = (it: CyclicUidIterator, n: number) => Array.from({ length: n }, () => it.next());

describe('CyclicUidIterator', () => {
  it('starts at the position the random source picks and cycles in ascending order', () => {
    expect(take(new CyclicUidIterator([4, 1, 3, 2], () => 0.5), 6)).toEqual([3, 4, 1, 2, 3, 4]);
    expect(take(new CyclicUidIterator([1, 2, 3], () => 0), 2)).toEqual([1, 2]);
    expect(take(new CyclicUidIterator([1, 2, 3], () => 0.999), 2)).toEqual([3, 1]);
    expect(take(new CyclicUidIterator([1, 2, 3], () => 1), 1)).toEqual([3]);
  });

  it('starts anywhere with the default random source', () => {
    const starts = new Set(Array.from({ length: 200 }, () => new CyclicUidIterator([0, 1, 2, 3]).peek()));
    expect(starts.size).toBe(4);
  });

  it('ignores duplicate uids', () => {
    expect(take(new CyclicUidIterator([2, 2, 1], () => 0), 3)).toEqual([1, 2, 1]);
  });

  it('peeks without advancing', () => {
    const it = new CyclicUidIterator([5, 6], () => 0);
    expect(it.peek()).toBe(5);
    expect(it.next()).toBe(5);
    expect(it.peek()).toBe(6);
  });

  it('continues from the same uid after a re-sync when it still exists', () => {
    const it = new CyclicUidIterator([0, 1, 2, 3, 4], () => 0);
    take(it, 2); // next is 2
    it.setUids([0, 2, 3, 7]);
    expect(take(it, 4)).toEqual([2, 3, 7, 0]);
  });

  it('continues from the next larger uid when the upcoming one left, wrapping to the smallest', () => {
    const it = new CyclicUidIterator([0, 1, 2, 3, 4], () => 0);
    take(it, 2); // next is 2
    it.setUids([0, 1, 3, 4]);
    expect(it.next()).toBe(3);
    it.setUids([0, 1]); // next was 4: none larger, wrap
    expect(it.next()).toBe(0);
  });

  it('throws on an empty list and restarts at random after one', () => {
    const it = new CyclicUidIterator([], () => 0.6);
    expect(() => it.next()).toThrow(/no uids/);
    it.setUids([10, 11, 12, 13, 14]);
    expect(it.current).toEqual([10, 11, 12, 13, 14]);
    expect(it.next()).toBe(13);
  });
});
