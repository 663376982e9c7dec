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
import type { ValidatorObserver } from './validator-events.js';

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
  /** Criteria schedule (default: the subnet's). */
  readonly schedule?: CompetitionSchedule | undefined;
}
