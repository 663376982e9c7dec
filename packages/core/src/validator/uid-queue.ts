/**
 * The uids a validator evaluates: the ones kept from the last step (`current`) and those
 * with new models waiting for their first step (`pending`). Mutated by the update loop
 * between steps; a step takes a snapshot, so its own uid set never changes under it.
 */
export class UidQueue {
  private current = new Set<number>();
  private readonly pending = new Set<number>();
  /** Uids queued while a step ran: they stay pending even when the step evaluated them. */
  private readonly requeued = new Set<number>();
  private stepping = false;

  constructor(current: readonly number[] = [], pending: readonly number[] = []) {
    this.current = new Set(current);
    for (const uid of pending) this.pending.add(uid);
  }

  /** Queue `uid` for the next step (a kept uid whose model changed is re-queued too). */
  addPending(uid: number): void {
    this.pending.add(uid);
    if (this.stepping) this.requeued.add(uid);
  }

  /** Start a step: returns the uids it evaluates (kept and pending, ascending). */
  beginStep(): number[] {
    this.stepping = true;
    this.requeued.clear();
    return this.all();
  }

  /** Whether `uid` is kept or pending. */
  has(uid: number): boolean {
    return this.current.has(uid) || this.pending.has(uid);
  }

  /** Number of distinct uids kept or pending. */
  get size(): number {
    return this.all().length;
  }

  /** Kept and pending uids, ascending. */
  all(): number[] {
    return [...new Set([...this.current, ...this.pending])].sort((a, b) => a - b);
  }

  /** Uids kept from the last step, ascending. */
  currentUids(): number[] {
    return [...this.current].sort((a, b) => a - b);
  }

  /** Pending uids, ascending. */
  pendingUids(): number[] {
    return [...this.pending].sort((a, b) => a - b);
  }

  /**
   * End a step that evaluated `evaluated`: those leave `pending` (unless re-queued while
   * the step ran, e.g. with a newer model) and `kept` becomes the current set.
   */
  finishStep(evaluated: readonly number[], kept: readonly number[]): void {
    for (const uid of evaluated) if (!this.requeued.has(uid)) this.pending.delete(uid);
    this.current = new Set(kept);
    this.stepping = false;
  }

  /** End a step that failed: nothing changes except that the step is over. */
  abandonStep(): void {
    this.stepping = false;
  }

  /** Forget uids that no longer exist (`keep(uid)` false). */
  prune(keep: (uid: number) => boolean): void {
    for (const uid of [...this.current]) if (!keep(uid)) this.current.delete(uid);
    for (const uid of [...this.pending]) if (!keep(uid)) this.pending.delete(uid);
  }
}
