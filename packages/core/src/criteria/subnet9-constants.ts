/**
 * The reference validator's numbers (schema 2.2.2, release 3.2.0; docs/SUBNET.md §5–§7).
 * Durations are in milliseconds.
 */
export const SUBNET9_CONSTANTS = Object.freeze({
  /** The pretraining subnet's netuid. */
  netuid: 9,
  /** Validator schema version; its spec version is the weights version key. */
  validatorVersion: '2.2.2',
  /** 1000·major + 10·minor + patch of {@link validatorVersion}. */
  versionKey: 2022,
  /** Loss discount of the earlier commitment in head-to-head comparisons. */
  epsilon: 0.005,
  /** Softmax temperature turning win rates into step weights. */
  temperature: 0.01,
  /** Weight of the previous weights in the moving average. */
  alpha: 0.5,
  /** Models kept for the next step. */
  sampleMin: 6,
  /** Most models pending or current at once. */
  sampleMax: 14,
  /** A weight at least this large ranks a uid by weight instead of win rate. */
  priorityWeightThreshold: 0.001,
  /** Dataset pages sampled for each evaluation step (the same for every model). */
  pagesPerEval: 18,
  /** Rows per evaluation batch in every schedule entry of schema 2.2.2. */
  batchSize: 1,
  /** Weights are set every this many blocks. */
  blocksPerEpoch: 50,
  /** Per-model evaluation time limit. */
  evalTimeoutMs: 360_000,
  /** Time limit of one evaluation step. */
  stepTimeoutMs: 20 * 60_000,
  /** Time limit of a metagraph sync. */
  syncTimeoutMs: 60_000,
  /** Each uid is re-checked at most this often; also the top-miner check period. */
  chainUpdateCadenceMs: 20 * 60_000,
  /** A top miner is force-re-synced at most this often. */
  modelRetryCadenceMs: 4 * 60 * 60_000,
  /** How many top validators by stake are asked for top miners. */
  topValidators: 10,
  /** Period of the clean loop. */
  cleanPeriodMs: 5 * 60_000,
  /** How long an unreferenced model must stay untouched before the clean loop deletes it. */
  cleanGraceMs: 5 * 60_000,
  /** Delay of the first clean pass after start. */
  cleanFirstDelayMs: 60 * 60_000,
  /** Sanity check: prompt length and generated tokens; both limits are half the latter. */
  sanityPromptTokens: 100,
  sanityGeneratedTokens: 20,
  /** Dataset requests: attempts and pause between them. */
  requestAttempts: 10,
  requestRetryDelayMs: 5_000,
  /** Rows per dataset page. */
  pageRows: 100,
});
