import type { Logger, Metagraph } from '../contracts/index.js';
import { findTopMiners } from '../scoring/index.js';
import { CyclicUidIterator } from '../tracker/index.js';
import type { ModelUpdater, SyncResult } from './model-updater.js';
import { errorMessage } from './rejection-reason.js';
import { sleep } from './sleep.js';
import type { UidQueue } from './uid-queue.js';

/** Collaborators of an {@link UpdateLoop}. */
export interface UpdateLoopDeps {
  readonly updater: ModelUpdater;
  /** The latest metagraph (refreshed by the validator after each step). */
  readonly metagraph: () => Metagraph;
  readonly queue: UidQueue;
  readonly logger: Logger;
  /** Clock in ms (tests may pass their own). */
  readonly now?: () => number;
}

/** Cadences of an {@link UpdateLoop}. */
export interface UpdateLoopOptions {
  readonly chainUpdateCadenceMs: number;
  readonly topMinerIntervalMs: number;
  readonly topMinerResyncMs: number;
  readonly sampleMax: number;
  readonly idleMs: number;
}

/**
 * The background model update loop (docs/SUBNET.md §7): walks the uids cyclically from a
 * random start, syncing each hotkey at most once per cadence and queueing updated
 * models while fewer than `sampleMax` are queued; periodically force-resyncs top miners.
 */
export class UpdateLoop {
  private readonly iterator: CyclicUidIterator;
  private readonly lastSync = new Map<string, number>();
  private readonly lastForced = new Map<string, number>();
  private lastTopMinerCheck = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;
  /** Uids synced since start; dropped once every uid was (the first pass is over). */
  private firstPassVisited: Set<number> | undefined = new Set();
  private finishFirstPass!: () => void;
  private readonly firstPass = new Promise<void>((resolve) => (this.finishFirstPass = resolve));

  constructor(
    private readonly deps: UpdateLoopDeps,
    private readonly options: UpdateLoopOptions,
  ) {
    this.now = deps.now ?? Date.now;
    this.iterator = new CyclicUidIterator(this.uids());
  }

  /** Sync one uid now and queue it when its model was updated. */
  async syncUid(
    uid: number,
    options: { force?: boolean; signal?: AbortSignal } = {},
  ): Promise<SyncResult | undefined> {
    const hotkey = this.deps.metagraph().neurons[uid]?.hotkey;
    if (hotkey === undefined) return undefined;
    const result = await this.deps.updater.sync(hotkey, options);
    // Only a completed sync counts for the cadence: a chain error retries next time round.
    this.lastSync.set(hotkey, this.now());
    this.noteFirstPass(uid, false);
    if (result.kind === 'updated') {
      this.deps.queue.addPending(uid);
      this.deps.logger.info('model queued for evaluation', { uid, hotkey, block: result.metadata.block });
    }
    return result;
  }

  /** One pass over every uid, ignoring the cadence (start-up and `runSteps`). */
  async syncAll(signal?: AbortSignal): Promise<void> {
    for (const uid of this.uids()) {
      if (signal?.aborted) return;
      await this.guarded(() => this.syncUid(uid, { signal }));
    }
    this.noteFirstPass(undefined, true);
  }

  /**
   * Resolves once every uid has been synced once since start, or `sampleMax` uids are
   * queued (or when `signal` aborts), so a fresh validator's first step does not run on
   * whichever model happened to be found first.
   */
  firstPassDone(signal?: AbortSignal): Promise<void> {
    if (signal === undefined) return this.firstPass;
    return Promise.race([
      this.firstPass,
      new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        signal.addEventListener('abort', () => resolve(), { once: true });
      }),
    ]);
  }

  /** Keep the walk in step with a new metagraph (departed uids leave the cycle). */
  refresh(): void {
    this.iterator.setUids(this.uids());
  }

  /** Run until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.tick(signal);
      } catch (error) {
        this.deps.logger.warn('model update failed; retrying', { error: errorMessage(error) });
        await sleep(this.options.idleMs, signal);
      }
    }
  }

  /** One iteration: the top-miner check when due, then the next uid of the cycle. */
  async tick(signal?: AbortSignal): Promise<void> {
    if (this.now() - this.lastTopMinerCheck >= this.options.topMinerIntervalMs) {
      this.lastTopMinerCheck = this.now();
      await this.resyncTopMiners(signal);
    }
    if (this.deps.queue.size >= this.options.sampleMax) {
      this.noteFirstPass(undefined, true);
      return sleep(this.options.idleMs, signal);
    }
    // Take the next uid that is due; a uid synced recently (e.g. a resynced top miner) is
    // skipped, not waited for, so it cannot stall the walk. None due: wait for the first.
    let wait = this.options.idleMs;
    for (let i = 0; i < this.iterator.current.length; i++) {
      const uid = this.iterator.next();
      const hotkey = this.deps.metagraph().neurons[uid]?.hotkey;
      const last = hotkey === undefined ? undefined : this.lastSync.get(hotkey);
      const dueIn = last === undefined ? 0 : last + this.options.chainUpdateCadenceMs - this.now();
      if (dueIn <= 0) {
        await this.syncUid(uid, { signal });
        return;
      }
      wait = i === 0 ? dueIn : Math.min(wait, dueIn);
    }
    await sleep(wait, signal);
  }

  private noteFirstPass(uid: number | undefined, full: boolean): void {
    const visited = this.firstPassVisited;
    if (visited === undefined) return;
    if (uid !== undefined) visited.add(uid);
    if (full || this.uids().every((u) => visited.has(u))) {
      this.firstPassVisited = undefined;
      this.finishFirstPass();
    }
  }

  /** Force-resync and queue the top miners not queued, each at most once per resync interval. */
  async resyncTopMiners(signal?: AbortSignal): Promise<void> {
    for (const uid of findTopMiners(this.deps.metagraph())) {
      const hotkey = this.deps.metagraph().neurons[uid]?.hotkey;
      if (hotkey === undefined || this.deps.queue.has(uid)) continue;
      const forced = this.lastForced.get(hotkey);
      if (forced !== undefined && this.now() - forced < this.options.topMinerResyncMs) continue;
      this.lastForced.set(hotkey, this.now());
      this.deps.logger.info('force-resyncing top miner', { uid, hotkey });
      await this.guarded(() => this.syncUid(uid, { force: true, signal }));
    }
  }

  private uids(): number[] {
    return this.deps.metagraph().neurons.map((n) => n.uid);
  }

  private async guarded<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      // Chain hiccups must not stop the loop; the uid comes round again next cycle.
      this.deps.logger.warn('model update failed', { error: errorMessage(error) });
      return undefined;
    }
  }
}
