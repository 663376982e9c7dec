/** Tokenizers the subnet has used: GPT-2 BPE (`distilgpt2`) and cl100k (`Xenova/gpt-4`). */
export const TOKENIZER_NAMES = Object.freeze(['distilgpt2', 'Xenova/gpt-4'] as const);
/** One of {@link TOKENIZER_NAMES}. */
export type TokenizerName = (typeof TOKENIZER_NAMES)[number];

/** Evaluation datasets: Falcon RefinedWeb and FineWeb-Edu score-2. */
export const DATASET_NAMES = Object.freeze(['falcon', 'fineweb-edu2'] as const);
/** One of {@link DATASET_NAMES}. */
export type DatasetName = (typeof DATASET_NAMES)[number];

/** The rules a model must meet to be evaluated (docs/SUBNET.md §4). */
export interface ModelCriteria {
  /** Tokens per row of an evaluation batch. */
  readonly sequenceLength: number;
  /** Rows per evaluation batch. */
  readonly batchSize: number;
  /** Largest repo, in bytes, checked from the file list before downloading. */
  readonly maxBytes: number;
  /** Most parameters a model may have (counted from its safetensors). */
  readonly maxParameters: number;
  /** Tokenizer that turns the eval pages into batches. */
  readonly tokenizer: TokenizerName;
  /** The dataset of the competition's first eval task (the only one in schema 2.2.2). */
  readonly dataset: DatasetName;
  /** Causal-LM class names accepted: the class a config's `model_type` maps to (`causalLmClassOf`). */
  readonly allowedArchitectures: readonly string[];
  /** Evaluate in bfloat16 with flash attention (the reference's `optimized`). */
  readonly bf16: boolean;
}

/** One way a competition scores models; a competition's tasks share its weight. */
export interface EvalTask {
  /** Stable name for logs, e.g. `falcon-loss`. */
  readonly id: string;
  /** Where the task's pages come from. */
  readonly dataset: DatasetName;
  /** Share of the competition's score in (0, 1]; the tasks of a competition sum to 1. */
  readonly weight: number;
}

/** A competition: its own constraints, eval tasks and share of the validator's weight. */
export interface Competition {
  /** Matches a commitment's 5th field; a commitment without one joins the first competition. */
  readonly id: string;
  /** Share of the weights in (0, 1]; the competitions of a schedule entry sum to 1. */
  readonly rewardShare: number;
  /** What a model must meet to take part (the dataset comes from the eval tasks). */
  readonly constraints: Omit<ModelCriteria, 'dataset'>;
  /** How its models are scored; at least one. */
  readonly evalTasks: readonly EvalTask[];
}

/** The competitions in force from `fromBlock` until the next entry's start. */
export interface ScheduleEntry {
  /** First commitment block the entry applies to. */
  readonly fromBlock: number;
  /** The competitions of the range; a commitment without a competition id joins the first. */
  readonly competitions: readonly Competition[];
}

/** Entries in strictly ascending `fromBlock` order, the first starting at block 0. */
export type CompetitionSchedule = readonly ScheduleEntry[];
