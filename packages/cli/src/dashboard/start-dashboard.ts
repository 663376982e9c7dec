import type { ChainClient, Logger, StepHistory } from '@pretrain/core';
import { startDashboardServer, type DashboardServer } from './dashboard-server.js';
import type { LiveState } from './live-state.js';

/** Options of {@link startDashboard}. */
export interface StartDashboardOptions {
  readonly history: StepHistory;
  readonly live: LiveState;
  readonly label: string;
  readonly port: number;
  readonly host?: string | undefined;
  /** Polled for the chain head while the dashboard runs (a live validator's chain). */
  readonly chain?: Pick<ChainClient, 'currentBlock'> | undefined;
  readonly chainPollMs?: number;
  readonly logger: Logger;
}

/** The dashboard server, with the chain head polled into its live state until closed. */
export async function startDashboard(options: StartDashboardOptions): Promise<DashboardServer> {
  const { live, chain, logger } = options;
  const server = await startDashboardServer(
    { history: options.history, live, label: options.label },
    options.port,
    options.host,
  );
  let timer: NodeJS.Timeout | undefined;
  if (chain !== undefined) {
    let failing = false;
    const poll = () => {
      chain.currentBlock().then(
        (block) => {
          failing = false;
          live.setChainBlock(block);
        },
        (error: unknown) => {
          // One warning per outage: the validator's own logs tell the rest.
          if (!failing) logger.warn('dashboard: cannot read the chain head', { error: String(error) });
          failing = true;
        },
      );
    };
    poll();
    timer = setInterval(poll, options.chainPollMs ?? 12_000);
    timer.unref();
  }
  logger.info('serving the dashboard', { url: server.url });
  return {
    ...server,
    close: async () => {
      clearInterval(timer);
      await server.close();
    },
  };
}
