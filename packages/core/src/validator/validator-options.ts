/** Tunables of a {@link Validator}; every interval is configurable so tests can run fast. */
export interface ValidatorOptions {
  readonly netuid: number;
  /** Weights version key; also the state version (a change discards the state). */
  readonly versionKey: number;
  /** Where the state JSON lives. */
  readonly statePath: string;
  /** No registration check and no weight setting (docs/SUBNET.md §7). */
  readonly offline: boolean;
  /** Evaluate but never call set_weights. */
  readonly dontSetWeights: boolean;
  readonly pagesPerEval: number;
  readonly sampleMin: number;
  readonly sampleMax: number;
  readonly blocksPerEpoch: number;
  /** Seed page sampling with the current block's hash (validators then agree on pages). */
  readonly seedFromChain: boolean;
  /**
   * Per-model limit once the model is loaded: the sanity check and the losses
   * (docs/SUBNET.md §5: 360 s, which the reference starts after loading).
   */
  readonly evalTimeoutMs: number;
  /** Per-model limit for loading it (generous: 1200 s); an overrun fails only that model. */
  readonly loadTimeoutMs: number;
  /** Each uid's commitment is read at most once per this interval. */
  readonly chainUpdateCadenceMs: number;
  /** How often the top miners are looked for. */
  readonly topMinerIntervalMs: number;
  /** A top miner is force-resynced at most once per this interval. */
  readonly topMinerResyncMs: number;
  /** Clean loop period, its first delay, and how long a model must be untouched. */
  readonly cleanIntervalMs: number;
  readonly cleanFirstDelayMs: number;
  readonly cleanGraceMs: number;
  /** How often the weights loop reads the block number. */
  readonly weightsPollMs: number;
  /**
   * The step cadence of {@link Validator.run}: a step running longer is reported with a
   * warning but never cut short, so its finished evaluations always count (docs/SUBNET.md §5).
   */
  readonly stepTimeoutMs: number;
  /** Wait before retrying when no uid has a model to evaluate. */
  readonly idleMs: number;
  /** Limit of the metagraph sync after a step. */
  readonly metagraphTimeoutMs: number;
  /**
   * Load the next distinct model while the current one is evaluated (default true; one
   * model ahead at most). `false` (`--no-look-ahead`) loads each after the previous finished.
   */
  readonly lookAhead?: boolean;
}

/** The reference cadences (docs/SUBNET.md §5–§7). */
export const DEFAULT_VALIDATOR_OPTIONS = {
  netuid: 9,
  versionKey: 2022,
  offline: false,
  dontSetWeights: false,
  pagesPerEval: 18,
  sampleMin: 6,
  sampleMax: 14,
  blocksPerEpoch: 50,
  seedFromChain: false,
  evalTimeoutMs: 360_000,
  loadTimeoutMs: 1_200_000,
  chainUpdateCadenceMs: 20 * 60_000,
  topMinerIntervalMs: 20 * 60_000,
  topMinerResyncMs: 4 * 3_600_000,
  cleanIntervalMs: 5 * 60_000,
  cleanFirstDelayMs: 3_600_000,
  cleanGraceMs: 5 * 60_000,
  weightsPollMs: 12_000,
  stepTimeoutMs: 20 * 60_000,
  idleMs: 30_000,
  metagraphTimeoutMs: 60_000,
} as const satisfies Omit<ValidatorOptions, 'statePath'>;
