import { dirname } from 'node:path';
import { StepHistory, type Container, type ValidatorOptions } from '@pretrain/core';
import {
  historyDirOf,
  LiveState,
  startDashboard,
  weightsRecorder,
  type DashboardServer,
} from '../dashboard/index.js';
import type { CommandContext } from '../commands/cli-command.js';
import type { ChainSession } from '../commands/push/chain-session.js';
import { writeJson } from '../output/index.js';
import { ownVersion } from '../version/print-version.js';
import {
  startWandbLogging,
  type WandbLogging,
  type WandbSettings,
  type WandbTimings,
} from '../wandb/index.js';
import { combineObservers } from './combine-observers.js';
import { composeValidator } from './compose-validator.js';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';
import { formatStepTable, formatWeightsTable, stepSummary } from './step-report.js';
import type { ValidateArgs } from './validate-options.js';
import { ValidatorMetrics } from './validator-metrics.js';
import { progressObserver } from './validator-progress.js';

/** Everything {@link runValidator} needs, already parsed and connected. */
export interface RunValidatorInput {
  readonly args: ValidateArgs;
  /** The run's ports (`composeCommand`); disposed when the validator stops. */
  readonly container: Container;
  readonly settings: ValidatorOptions;
  readonly session: ChainSession;
  readonly context: CommandContext;
  readonly maxSteps?: number | undefined;
  readonly metricsPort?: number | undefined;
  readonly dashboardPort?: number | undefined;
  /** Log every step to W&B (`--wandb-project`). */
  readonly wandb?: WandbSettings | undefined;
  /** W&B request and shutdown deadlines (tests shorten them). */
  readonly wandbTimings?: WandbTimings;
  /** Stops the validator (tests); SIGINT and SIGTERM always do. */
  readonly signal?: AbortSignal;
}

/**
 * Run the validator until SIGINT/SIGTERM (or `--max-steps`): tables or JSON lines per
 * step on stdout, progress on a TTY, metrics over HTTP, then a graceful shutdown that
 * kills children, saves the state and closes the chain.
 */
export async function runValidator(input: RunValidatorInput): Promise<number> {
  const { context, session, settings } = input;
  const { io, config, logger } = context;
  const json = config.logFormat === 'json';
  const controller = new AbortController();
  const stop = (signal: string) => () => {
    logger.info('stopping the validator', { signal });
    controller.abort(new Error(`received ${signal}`));
  };
  const onSigint = stop('SIGINT');
  const onSigterm = stop('SIGTERM');
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigterm);
  input.signal?.addEventListener('abort', () => controller.abort(input.signal?.reason), { once: true });
  const metrics = new ValidatorMetrics();
  let server: MetricsServer | undefined;
  let dashboard: DashboardServer | undefined;
  let history: StepHistory | undefined;
  let wandb: WandbLogging | undefined;
  let composed: Awaited<ReturnType<typeof composeValidator>> | undefined;
  try {
    if (input.metricsPort !== undefined) {
      server = await startMetricsServer(metrics.registry, input.metricsPort, input.args.metricsHost);
      logger.info('serving metrics', { url: server.url });
    }
    const report = {
      onStepStart: (info: { step: number; block: number; uids: readonly number[]; batchCount: number }) => {
        if (json) writeJson(io.stdout, { event: 'step-start', ...info }, { pretty: false });
      },
      onStepDone: (step: Parameters<typeof formatStepTable>[0]) => {
        if (json) writeJson(io.stdout, { event: 'step', ...stepSummary(step) }, { pretty: false });
        else io.stdout.write(`\n${formatStepTable(step)}${formatWeightsTable(step.weights)}`);
      },
    };
    history = await StepHistory.open(historyDirOf(dirname(settings.statePath)));
    if (input.wandb !== undefined) {
      wandb = await startWandbLogging(
        input.wandb,
        {
          history,
          chain: session.chain,
          netuid: settings.netuid,
          hotkey: session.signer?.address,
          backend: config.backend,
          device: config.device,
          version: ownVersion(),
          logger,
        },
        input.wandbTimings,
      );
    }
    const live = new LiveState();
    if (input.dashboardPort !== undefined) {
      dashboard = await startDashboard({
        history,
        live,
        label: `netuid ${settings.netuid}${session.signer ? `, hotkey ${session.signer.address}` : ''}`,
        port: input.dashboardPort,
        host: input.args.dashboardHost,
        chain: session.chain,
        logger,
      });
    }
    composed = await composeValidator(
      input.container,
      context,
      session,
      settings,
      combineObservers(
        metrics.observer(),
        progressObserver(io.stderr),
        report,
        live.observer(),
        weightsRecorder(history, logger),
      ),
      history,
    );
    logger.info('validator started', {
      netuid: settings.netuid,
      endpoint: session.endpoint,
      hotkey: session.signer?.address ?? null,
      backend: config.backend,
      offline: settings.offline,
      state: settings.statePath,
    });
    await composed.validator.run(controller.signal, { maxSteps: input.maxSteps });
    if (json)
      writeJson(
        io.stdout,
        { event: 'weights', weights: composed.validator.currentWeights() },
        { pretty: false },
      );
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    composed?.evaluator.killAll();
    await (composed?.validator.close() ?? session.close());
    await input.container.dispose();
    await server?.close();
    await dashboard?.close();
    await history?.flush();
    // After the last step is recorded; bounded, so a W&B outage cannot hold the shutdown.
    await wandb?.close();
    logger.info('validator stopped');
  }
}
