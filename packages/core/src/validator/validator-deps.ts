import type {
  ChainClient,
  ChainSigner,
  Dataset,
  LocalModelStore,
  Logger,
  ModelStore,
  Tokenizer,
} from '../contracts/index.js';
import type { CompetitionSchedule, DatasetName, TokenizerName } from '../criteria/index.js';
import type { ModelEvaluator } from './model-evaluator.js';
import type { StepResult, ValidatorObserver } from './validator-events.js';

/**
 * Where a validator records each completed step before it saves its state (the CLI's
 * step history). A step recorded but whose state save was lost to a kill is run again
 * under the same `run` and `step`: the store keeps the later record of such a pair.
 */
export interface StepHistorySink {
  recordStep(run: string, result: StepResult): Promise<void>;
}

/** The ports a {@link Validator} runs on; the CLI's composition root provides them. */
export interface ValidatorDeps {
  readonly chain: ChainClient;
  /** The validator's hotkey; required unless offline. */
  readonly signer?: ChainSigner | undefined;
  /** Where competitors' models are downloaded from. */
  readonly store: ModelStore;
  /** Where they are kept. */
  readonly local: LocalModelStore;
  /**
   * The dataset for a criteria's dataset name (the CLI may map every name to a local one);
   * may be async, as plugins are created on first use.
   */
  readonly datasetFor: (name: DatasetName) => Dataset | Promise<Dataset>;
  /** The tokenizer for a criteria's tokenizer name. */
  readonly tokenizerFor: (name: TokenizerName) => Promise<Tokenizer>;
  /** Evaluates one model (a child process per model in production). */
  readonly evaluator: ModelEvaluator;
  readonly logger: Logger;
  readonly observer?: ValidatorObserver | undefined;
  /** Records every completed step; a failure to record is logged, never fatal. */
  readonly history?: StepHistorySink | undefined;
  /** Criteria schedule (default: the subnet's). */
  readonly schedule?: CompetitionSchedule | undefined;
}
