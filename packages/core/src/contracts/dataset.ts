/** Where a page came from, for logs and reproduction. */
export interface PageRef {
  /** Dataset id, e.g. `tiiuae/falcon-refinedweb` or `local:/path`. */
  readonly dataset: string;
  /** Dataset config (FineWeb-Edu's per-dump configs); absent for single-config datasets. */
  readonly config?: string;
  /** Row offset of the page's first row (a document index for local datasets). */
  readonly offset: number;
}

/** One page of documents. */
export interface Page {
  /** Where the page came from. */
  readonly ref: PageRef;
  /** The text of each row, in order. */
  readonly documents: readonly string[];
}

/** Options of {@link Dataset.samplePages}. */
export interface SampleOptions {
  /**
   * Seed (e.g. a block hash) making the choice of pages deterministic, so validators
   * with the same seed evaluate the same pages. Without it sampling is random.
   */
  readonly seed?: string;
  /** Aborts pending requests; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** A source of evaluation text (docs/SUBNET.md §5). */
export interface Dataset {
  /** Short name for logs, e.g. `falcon`. */
  readonly name: string;
  /**
   * Sample `count` pages. A page that fails is replaced by a newly sampled one (up to
   * 10 × count attempts) before rejecting with a `DatasetError`.
   */
  samplePages(count: number, options?: SampleOptions): Promise<Page[]>;
}
