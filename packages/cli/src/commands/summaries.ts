/**
 * Each top-level command's yargs name and one-line description, in `--help` order,
 * without loading the command: `pretrain --help` prints from this list so it never imports
 * polkadot, onnxruntime or the hub client. A test keeps it equal to the real commands.
 */
export const COMMAND_SUMMARIES: readonly { readonly command: string; readonly describe: string }[] = [
  {
    command: 'validate',
    describe: 'Run a validator: download, evaluate and score miners’ models, set weights every epoch',
  },
  {
    command: 'dashboard',
    describe: 'Serve the dashboard of a stopped validator from the step history in its data directory',
  },
  {
    command: 'push',
    describe: 'Upload a model and commit it on chain from your hotkey (checks the criteria first)',
  },
  { command: 'download', describe: "Download a competitor's committed model with the validator's checks" },
  {
    command: 'backends [names..]',
    describe: 'List the loss backends: what each can run, or why it is not usable here',
  },
  { command: 'model', describe: 'Hash and inspect model directories' },
  {
    command: 'score <step>',
    describe: 'Replay a validator step: wins, win rates and step weights from losses and blocks',
  },
  {
    command: 'eval',
    describe:
      'Evaluate local models as a validator would: per-batch losses, sanity check, win rates, weights',
  },
  {
    command: 'train',
    describe: 'Train a model as the reference miner does (AdamW, gradient accumulation, best epoch kept)',
  },
  {
    command: 'conformance',
    describe: 'Run the loss-backend conformance suite against a backend and print a pass/fail table',
  },
  { command: 'chain', describe: 'Inspect a subtensor network: metagraph and commitments (read-only)' },
  { command: 'wallet', describe: 'Create and list bittensor wallets (btcli format, ~/.bittensor/wallets)' },
  {
    command: 'devnet',
    describe: 'Run a local devnet of the real subtensor runtime (chopsticks) and inspect it',
  },
  { command: 'config', describe: 'Show the settings in effect and where each came from' },
];

/** The command names (first word of each summary). */
export const COMMAND_NAMES: readonly string[] = COMMAND_SUMMARIES.map((c) => c.command.split(/\s+/)[0]!);
