import { describe, expect, it } from 'vitest';
import { UidQueue } from './uid-queue.js';

describe('UidQueue', () => {
  it('evaluates kept and pending uids, then keeps what the step chose', () => {
    const queue = new UidQueue([1, 2], [5]);
    expect(queue.beginStep()).toEqual([1, 2, 5]);
    queue.finishStep([1, 2, 5], [5, 1]);
    expect(queue.currentUids()).toEqual([1, 5]);
    expect(queue.pendingUids()).toEqual([]);
    expect(queue.size).toBe(2);
  });

  it('keeps uids queued while a step ran, even ones the step evaluated', () => {
    const queue = new UidQueue([], [3]);
    const uids = queue.beginStep();
    queue.addPending(3); // a newer model arrived mid-step
    queue.addPending(7);
    queue.finishStep(uids, []);
    expect(queue.pendingUids()).toEqual([3, 7]);
  });

  it('changes nothing when a step is abandoned, and prunes departed uids', () => {
    const queue = new UidQueue([1], [2, 9]);
    queue.beginStep();
    queue.abandonStep();
    expect(queue.all()).toEqual([1, 2, 9]);
    queue.prune((uid) => uid < 5);
    expect(queue.all()).toEqual([1, 2]);
    expect(queue.has(9)).toBe(false);
  });
});
