import { loadBackendPlugin } from '@pretrain/core';
import { backendOptionsFor, preflightBackend } from '../config/index.js';
import { defineCommand } from './cli-command.js';
import { openChainSession } from './push/chain-session.js';
import { parseModelStoreOption } from './push/model-store-option.js';
import { runValidator } from '../validator/run-validator.js';
import { parseDatasetOption } from '../validator/dataset-option.js';
import { VALIDATE_OPTIONS } from '../validator/validate-options.js';
import { positiveFlag, validatorSettings } from '../validator/validator-settings.js';

/**
 * `pretrain validate`: the subnet-9 validator (docs/SUBNET.md §7) with every loop, each model
 * evaluated in its own child process, state resumed across restarts.
 */
export const validateCommand = defineCommand({
  command: 'validate',
  describe: 'Run a validator: download, evaluate and score miners’ models, set weights every epoch',
  epilogue:
    'Each model runs in its own process under --eval-timeout; a crash or overrun gives it +infinity.\n' +
    'State (tracked models, uids, weights) is saved after every step in <model-dir>/validator-state.json\n' +
    'and resumed on start. SIGINT/SIGTERM stop gracefully. Per-step tables go to stdout (JSON lines\n' +
    'with --log-format json); logs and the live progress line go to stderr.',
  builder: (yargs) => yargs.options(VALIDATE_OPTIONS),
  async run(args, context) {
    const { io, config } = context;
    const settings = validatorSettings(args, config, io.cwd);
    const choices = {
      store: parseModelStoreOption(args.modelStore, io.cwd),
      dataset: args.dataset === undefined ? undefined : parseDatasetOption(args.dataset, io.cwd),
    };
    const maxSteps = positiveFlag('max-steps', args.maxSteps);
    const metricsPort =
      args.metricsPort === undefined ? undefined : positiveFlag('metrics-port', args.metricsPort);
    // Resolve and create the backend here once, so a typo or a device this machine lacks
    // fails now rather than in every child.
    const plugin = await loadBackendPlugin(config.backend, { cwd: io.cwd });
    await preflightBackend(plugin, backendOptionsFor(config, plugin));
    const session = await openChainSession(config, { signer: !args.offline, io });
    return runValidator({ args, choices, settings, session, context, maxSteps, metricsPort });
  },
});
