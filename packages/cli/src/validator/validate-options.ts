import { CHAIN_OPTIONS } from '../commands/push/chain-session.js';
import { MODEL_STORE_OPTIONS } from '../commands/push/model-store-option.js';
import { WANDB_OPTIONS, type WandbArgs } from '../wandb/wandb-options.js';
import { CADENCE_OPTIONS, type CadenceArgs } from './cadence-options.js';

/** Every flag of `pretrain validate` (backend, device, log format and netuid are global/config). */
export const VALIDATE_OPTIONS = {
  ...CHAIN_OPTIONS,
  backend: { type: 'string', describe: 'loss backend name or module path (default onnx)' },
  device: { choices: ['cpu', 'cuda'] as const, describe: 'device of the backend (default cpu)' },
  offline: { type: 'boolean', default: false, describe: 'no registration check and no weight setting' },
  'dont-set-weights': { type: 'boolean', default: false, describe: 'evaluate, but never call set_weights' },
  'pages-per-eval': { type: 'number', describe: 'pages sampled per step (default 18)' },
  'sample-min': { type: 'number', describe: 'uids kept for the next step (default 6)' },
  'sample-max': { type: 'number', describe: 'most uids kept or pending at once (default 14)' },
  'blocks-per-epoch': { type: 'number', describe: 'blocks between weight settings (default 50)' },
  'model-dir': {
    type: 'string',
    describe: 'competitors’ models and the state file (default <data-dir>/validator)',
  },
  ...MODEL_STORE_OPTIONS,
  'hf-token': { type: 'string', describe: 'Hugging Face token (secret; prefer PRETRAIN_HF_TOKEN)' },
  dataset: {
    type: 'string',
    describe: 'falcon | fineweb-edu2 | local:<path> (default: the dataset of the current competition)',
  },
  'seed-from-chain': {
    type: 'boolean',
    default: false,
    describe: 'seed page sampling with the block hash, so validators agree on pages',
  },
  'eval-timeout': {
    type: 'number',
    describe:
      'seconds per model, once loaded, for the sanity check and losses before its process is killed (default 360)',
  },
  'load-timeout': {
    type: 'number',
    describe: 'seconds per model to load it before its process is killed (default 1200)',
  },
  'look-ahead': {
    type: 'boolean',
    default: true,
    describe:
      'load the next model while one is evaluated (one model ahead, one extra in memory); --no-look-ahead loads each in turn',
  },
  ...CADENCE_OPTIONS,
  'metrics-port': {
    type: 'number',
    describe: 'serve Prometheus metrics at http://<metrics-host>:<port>/metrics',
  },
  'metrics-host': {
    type: 'string',
    describe: 'address the metrics server binds (default 127.0.0.1, this machine only; 0.0.0.0 for all)',
  },
  'dashboard-port': {
    type: 'number',
    describe:
      'serve the dashboard (leaderboard, charts, live step, JSON API) at http://<dashboard-host>:<port>/',
  },
  'dashboard-host': {
    type: 'string',
    describe: 'address the dashboard binds (default 127.0.0.1, this machine only; 0.0.0.0 for all)',
  },
  ...WANDB_OPTIONS,
  'max-steps': { type: 'number', describe: 'stop after this many eval steps (demos, tests)' },
} as const;

/** The parsed flags of `pretrain validate`. */
export interface ValidateArgs extends CadenceArgs, WandbArgs {
  readonly network?: string | undefined;
  readonly offline: boolean;
  readonly dontSetWeights: boolean;
  readonly pagesPerEval?: number | undefined;
  readonly sampleMin?: number | undefined;
  readonly sampleMax?: number | undefined;
  readonly blocksPerEpoch?: number | undefined;
  readonly modelDir?: string | undefined;
  readonly modelStore: string;
  readonly dataset?: string | undefined;
  readonly seedFromChain: boolean;
  readonly evalTimeout?: number | undefined;
  readonly loadTimeout?: number | undefined;
  /** `--no-look-ahead` sets false (default true). */
  readonly lookAhead?: boolean | undefined;
  readonly metricsPort?: number | undefined;
  readonly metricsHost?: string | undefined;
  readonly dashboardPort?: number | undefined;
  readonly dashboardHost?: string | undefined;
  readonly maxSteps?: number | undefined;
}
