import type { ValidatorObserver } from '@pretrain/core';

/** The step being evaluated, as the dashboard shows it. */
export interface LiveStep {
  readonly step: number;
  readonly block: number;
  readonly uids: readonly number[];
  readonly batchCount: number;
  /** ms since the epoch. */
  readonly startedAt: number;
  /** 1-based position of the model being evaluated among the step's uids (0 before the first). */
  readonly modelIndex: number;
  readonly modelCount: number;
  readonly uid: number | null;
  readonly hotkey: string | null;
  /** Batches done of the model being evaluated. */
  readonly batchesDone: number;
  /** Tokens per second of the model being evaluated so far (0 before its first batch). */
  readonly tokensPerSecond: number;
  /** Seconds left, extrapolated from the progress so far; null before there is any. */
  readonly etaSeconds: number | null;
}

/** A download in progress. */
export interface LiveDownload {
  readonly hotkey: string;
  readonly repo: string;
  readonly since: number;
}

/** Everything `/api/live` returns. */
export interface LiveSnapshot {
  readonly mode: 'live' | 'history';
  readonly step: LiveStep | null;
  readonly chainBlock: number | null;
  readonly lastWeights: { readonly block: number; readonly time: number } | null;
  readonly lastWeightsError: string | null;
  readonly downloads: readonly LiveDownload[];
  readonly updatedAt: number;
}

/**
 * What the validator is doing now, fed by its observer events. `now` is injectable so
 * the ETA arithmetic is testable.
 */
export class LiveState {
  private step: LiveStep | null = null;
  private modelStartedAt = 0;
  private chainBlock: number | null = null;
  private lastWeights: LiveSnapshot['lastWeights'] = null;
  private lastWeightsError: string | null = null;
  private readonly downloads = new Map<string, LiveDownload>();
  private updatedAt: number;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly mode: 'live' | 'history' = 'live',
    private readonly now: () => number = Date.now,
  ) {
    this.updatedAt = now();
  }

  /** The current state. */
  snapshot(): LiveSnapshot {
    return {
      mode: this.mode,
      step: this.step,
      chainBlock: this.chainBlock,
      lastWeights: this.lastWeights,
      lastWeightsError: this.lastWeightsError,
      downloads: [...this.downloads.values()],
      updatedAt: this.updatedAt,
    };
  }

  /** Call `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The chain head, read by whoever polls the chain. */
  setChainBlock(block: number): void {
    if (block === this.chainBlock) return;
    this.chainBlock = block;
    this.changed();
  }

  /** Events of the validator that change what is shown live. */
  observer(): ValidatorObserver {
    return {
      onStepStart: ({ step, block, uids, batchCount }) => {
        this.step = {
          step,
          block,
          uids: [...uids],
          batchCount,
          startedAt: this.now(),
          modelIndex: 0,
          modelCount: uids.length,
          uid: null,
          hotkey: null,
          batchesDone: 0,
          tokensPerSecond: 0,
          etaSeconds: null,
        };
        this.changed();
      },
      onModelStart: ({ uid, hotkey }) => {
        if (this.step === null) return;
        this.modelStartedAt = this.now();
        this.step = { ...this.step, modelIndex: this.step.modelIndex + 1, uid, hotkey, batchesDone: 0 };
        this.step = { ...this.step, etaSeconds: this.eta(this.step) };
        this.changed();
      },
      onModelProgress: ({ batchesDone, tokens }) => {
        if (this.step === null) return;
        const seconds = (this.now() - this.modelStartedAt) / 1000;
        const tokensPerSecond = seconds > 0 ? tokens / seconds : 0;
        this.step = { ...this.step, batchesDone, tokensPerSecond };
        this.step = { ...this.step, etaSeconds: this.eta(this.step) };
        this.changed();
      },
      onStepDone: () => {
        this.step = null;
        this.changed();
      },
      onWeightsSet: ({ block }) => {
        this.lastWeights = { block, time: this.now() };
        this.lastWeightsError = null;
        this.changed();
      },
      onWeightsFailed: ({ message }) => {
        this.lastWeightsError = message;
        this.changed();
      },
      onDownload: ({ phase, hotkey, id }) => {
        if (phase === 'start')
          this.downloads.set(hotkey, { hotkey, repo: `${id.namespace}/${id.name}`, since: this.now() });
        else this.downloads.delete(hotkey);
        this.changed();
      },
    };
  }

  /** Seconds left: the time per unit of progress so far, times the progress left. */
  private eta(step: LiveStep): number | null {
    if (step.modelCount === 0 || step.batchCount === 0 || step.modelIndex === 0) return null;
    const done = (step.modelIndex - 1 + step.batchesDone / step.batchCount) / step.modelCount;
    if (done <= 0) return null;
    const elapsed = (this.now() - step.startedAt) / 1000;
    return Math.max(0, Math.round((elapsed * (1 - done)) / done));
  }

  private changed(): void {
    this.updatedAt = this.now();
    for (const listener of this.listeners) listener();
  }
}
