import { batchStream, type Dataset, type Tokenizer } from '@pretrain/core';

/** Where a source stands: epoch and micro-batch within it (saved in checkpoints). */
export interface SourcePosition {
  readonly epoch: number;
  readonly index: number;
}

/** One micro-batch and whether it was the last of its epoch. */
export interface MicroBatch {
  readonly batch: number[][];
  readonly epoch: number;
  readonly epochEnd: boolean;
}

/** Micro-batches in a fixed, resumable order. */
export interface MicroBatchSource {
  /** The position of the next micro-batch. */
  position(): SourcePosition;
  next(): Promise<MicroBatch>;
}

/** `--tokens`: the file's batches in order, one micro-batch each, cycling; an epoch is one pass. */
export class FixedBatches implements MicroBatchSource {
  private epoch: number;
  private index: number;

  constructor(
    private readonly batches: readonly number[][][],
    at: SourcePosition = { epoch: 0, index: 0 },
  ) {
    this.epoch = at.epoch;
    this.index = at.index;
  }

  position(): SourcePosition {
    return { epoch: this.epoch, index: this.index };
  }

  async next(): Promise<MicroBatch> {
    const batch = this.batches[this.index] as number[][];
    const epoch = this.epoch;
    this.index += 1;
    const epochEnd = this.index === this.batches.length;
    if (epochEnd) {
      this.epoch += 1;
      this.index = 0;
    }
    return { batch, epoch, epochEnd };
  }
}

/** What {@link DatasetBatches} samples each epoch. */
export interface DatasetBatchOptions {
  readonly dataset: Dataset;
  readonly tokenizer: Tokenizer;
  readonly pagesPerEpoch: number;
  readonly batchSize: number;
  readonly sequenceLength: number;
  /** Epoch e samples its pages with seed `${seed}:${e}`, so a resumed run sees the same ones. */
  readonly seed: string;
}

/**
 * `--dataset`: each epoch, `pagesPerEpoch` freshly sampled pages tokenized and batched as
 * the validator batches them (EOS after each document, remainder dropped), in order.
 */
export class DatasetBatches implements MicroBatchSource {
  private epoch: number;
  private index: number;
  private current: number[][][] | undefined;

  constructor(
    private readonly options: DatasetBatchOptions,
    at: SourcePosition = { epoch: 0, index: 0 },
  ) {
    this.epoch = at.epoch;
    this.index = at.index;
  }

  position(): SourcePosition {
    return { epoch: this.epoch, index: this.index };
  }

  async next(): Promise<MicroBatch> {
    let batches = this.current;
    while (batches === undefined || batches.length === 0) {
      const o = this.options;
      const pages = await o.dataset.samplePages(o.pagesPerEpoch, { seed: `${o.seed}:${this.epoch}` });
      batches = [...batchStream(pages, o.tokenizer, o.batchSize, o.sequenceLength)];
      // A sample too short for one batch is skipped; the next epoch samples again.
      if (batches.length === 0) this.epoch += 1;
    }
    this.current = batches;
    const batch = batches[this.index] as number[][];
    const epoch = this.epoch;
    this.index += 1;
    const epochEnd = this.index >= batches.length;
    if (epochEnd) {
      this.epoch += 1;
      this.index = 0;
      this.current = undefined;
    }
    return { batch, epoch, epochEnd };
  }
}
