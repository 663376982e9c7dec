import { TOKENS } from '@pretrain/core';
import { CLI_TOKENS, composeCommand } from '../compose/index.js';
import { backendOptionsFor, preflightBackend } from '../config/index.js';
import { defineCommand } from './cli-command.js';
import { openChainSession } from './push/chain-session.js';
import { runValidator } from '../validator/run-validator.js';
import { VALIDATE_OPTIONS } from '../validator/validate-options.js';
import { positiveFlag, validatorModelDir, validatorSettings } from '../validator/validator-settings.js';
import { wandbSettings } from '../wandb/index.js';

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
    'and resumed on start; every step is also appended to the history in <model-dir>/history (kept across\n' +
    'upgrades; `pretrain dashboard` shows it). SIGINT/SIGTERM stop gracefully. Per-step tables go to stdout (JSON lines\n' +
    'with --log-format json); logs and the live progress line go to stderr. --wandb-project also logs every\n' +
    'step to Weights & Biases (key in WANDB_API_KEY, server in WANDB_BASE_URL); a W&B failure never stops a step.',
  builder: (yargs) => yargs.options(VALIDATE_OPTIONS),
  async run(args, context) {
    const { io, config } = context;
    const settings = validatorSettings(args, config, io.cwd);
    const maxSteps = positiveFlag('max-steps', args.maxSteps);
    const metricsPort =
      args.metricsPort === undefined ? undefined : positiveFlag('metrics-port', args.metricsPort);
    const dashboardPort =
      args.dashboardPort === undefined ? undefined : positiveFlag('dashboard-port', args.dashboardPort);
    // W&B's own variables, read here once: the key never reaches a flag, the config or a log.
    const wandb = wandbSettings(args, io.env);
    const container = composeCommand(context, {
      modelStore: args.modelStore,
      dataset: args.dataset,
      localModelDir: validatorModelDir(args, config, io.cwd),
    });
    try {
      // Plugins load now, so a typo fails before connecting: the store, the fixed dataset,
      // and the backend, created once here rather than failing in every child.
      await container.resolve(TOKENS.ModelStore);
      if (container.has(TOKENS.Dataset)) await container.resolve(TOKENS.Dataset);
      const plugin = await container.resolve(CLI_TOKENS.BackendPlugin);
      await preflightBackend(plugin, backendOptionsFor(config, plugin));
      const session = await openChainSession(config, { signer: !args.offline, io }, container);
      return await runValidator({
        args,
        container,
        settings,
        session,
        context,
        maxSteps,
        metricsPort,
        dashboardPort,
        wandb,
      });
    } catch (error) {
      await container.dispose();
      throw error;
    }
  },
});
