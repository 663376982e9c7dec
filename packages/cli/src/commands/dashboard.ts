import { resolve } from 'node:path';
import { StepHistory, UsageError } from '@pretrain/core';
import { DEFAULT_DASHBOARD_HOST, findHistoryDir, LiveState, startDashboard } from '../dashboard/index.js';
import { positiveFlag } from '../validator/validator-settings.js';
import { defineCommand } from './cli-command.js';

/** The port `pretrain dashboard` serves on unless `--port` says otherwise. */
export const DEFAULT_DASHBOARD_PORT = 8765;

/**
 * `pretrain dashboard`: the validator's page (leaderboard, charts, JSON API) from the step
 * history a validator left in its data directory; for a running validator use
 * `pretrain validate --dashboard-port`.
 */
export const dashboardCommand = defineCommand({
  command: 'dashboard',
  describe: 'Serve the dashboard of a stopped validator from the step history in its data directory',
  epilogue:
    'Reads <data-dir>/validator/history (or <dir>/history for a --model-dir) and serves the same page and\n' +
    'JSON API as `pretrain validate --dashboard-port`, without the live step. Read-only; Ctrl-C stops it.',
  builder: (yargs) =>
    yargs
      .option('data-dir', {
        type: 'string',
        describe: 'the validator’s data directory or --model-dir (default: the configured data dir)',
      })
      .option('port', { type: 'number', describe: `port to serve on (default ${DEFAULT_DASHBOARD_PORT})` })
      .option('host', {
        type: 'string',
        describe: `address to bind (default ${DEFAULT_DASHBOARD_HOST}, this machine only; 0.0.0.0 for all)`,
      }),
  async run(args, { io, config, logger }) {
    const dir = resolve(io.cwd, args.dataDir ?? config.dataDir);
    const historyDir = findHistoryDir(dir);
    if (historyDir === undefined) {
      throw new UsageError(`no step history under ${dir}`, {
        hint: 'pass the --data-dir (or --model-dir) of a validator that has completed a step',
      });
    }
    const history = await StepHistory.open(historyDir);
    const port = args.port === 0 ? 0 : positiveFlag('port', args.port, DEFAULT_DASHBOARD_PORT);
    const server = await startDashboard({
      history,
      live: new LiveState('history'),
      label: `history of ${historyDir}`,
      port,
      host: args.host,
      logger,
    });
    const steps = history.recentSteps().length;
    io.stdout.write(`dashboard: ${server.url} (${steps} step${steps === 1 ? '' : 's'}; Ctrl-C stops it)\n`);
    await untilInterrupted();
    await server.close();
    return 0;
  },
});

/** Resolves on the first SIGINT or SIGTERM. */
export function untilInterrupted(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
