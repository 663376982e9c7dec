import { resolve } from 'node:path';
import { composeCommand } from '../compose/index.js';
import { defineCommand } from './cli-command.js';
import { startDevnetDemoChain } from '../demo/devnet-demo-chain.js';
import { DEMO_CORPUS, runDemo } from '../demo/run-demo.js';

/** Resolves when `signal` aborts (Ctrl-C). */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (signal.aborted) done();
    else signal.addEventListener('abort', () => done(), { once: true });
  });
}

/**
 * `pretrain devnet demo`: the whole subnet on this machine in one command (issue 6 §3).
 * Registered as a subcommand of the `devnet` group.
 */
export const devnetDemoCommand = defineCommand({
  command: 'demo',
  describe:
    'Run a local subnet end to end: devnet, 4 miners, the embedded store, a validator, weights on chain',
  epilogue:
    'Starts the devnet in-process, writes three miner models of different quality plus a later copy of the ' +
    'best, pushes them, runs the validator for a few steps and shows losses, win rates and the weights ' +
    'read back from the chain. Takes a few minutes on 2 cores; stops everything it started.',
  builder: (yargs) =>
    yargs
      .option('steps', { type: 'number', default: 3, describe: 'validator eval steps' })
      .option('pages-per-eval', {
        type: 'number',
        default: 1,
        describe: 'corpus pages (100 paragraphs, about 5 batches of 1024 tokens) per step',
      })
      .option('corpus', {
        type: 'string',
        describe: 'text file or directory to evaluate on (default: the bundled corpus)',
      })
      .option('keep', {
        type: 'string',
        describe: 'keep models, store and state in this directory (default: a temporary one, deleted)',
      })
      .option('backend', { type: 'string', describe: 'loss backend (default onnx)' })
      .option('dashboard', {
        type: 'boolean',
        default: false,
        describe: 'serve the validator’s dashboard, and keep it up after the report until Ctrl-C',
      })
      .option('dashboard-port', {
        type: 'number',
        default: 8765,
        describe: 'port of the dashboard (0: any free)',
      })
      .option('dashboard-host', {
        type: 'string',
        default: '127.0.0.1',
        describe: 'address the dashboard binds (0.0.0.0 for all)',
      }),
  async run(args, context) {
    const { io, config, logger } = context;
    // Chopsticks (the devnet's engine) logs every block to stdout unless told otherwise;
    // it reads LOG_LEVEL once, when the devnet first loads it.
    if (io.env.LOG_LEVEL === undefined) process.env.LOG_LEVEL = config.verbose ? 'info' : 'fatal';
    const controller = new AbortController();
    const interrupt = (): void => controller.abort(new Error('interrupted'));
    process.once('SIGINT', interrupt);
    try {
      const verdict = await runDemo({
        out: io.stdout,
        logger,
        cwd: io.cwd,
        startChain: startDevnetDemoChain,
        compose: (choices) => composeCommand(context, choices),
        backend: config.backend,
        steps: args.steps,
        pagesPerEval: args.pagesPerEval,
        corpus: args.corpus === undefined ? DEMO_CORPUS : resolve(io.cwd, args.corpus),
        dataDir: args.keep === undefined ? undefined : resolve(io.cwd, args.keep),
        dashboard: args.dashboard
          ? { port: args.dashboardPort, host: args.dashboardHost, hold: () => aborted(controller.signal) }
          : undefined,
        signal: controller.signal,
      });
      return verdict.ok ? 0 : 1;
    } finally {
      process.off('SIGINT', interrupt);
    }
  },
});
