import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '@pretrain/core';

/** A CLI HTTP server once it listens. */
export interface ListeningServer {
  /** The port it listens on (the one asked for, or the one picked for port 0). */
  readonly port: number;
  /** `http://<host>:<port><path>`. */
  readonly url: string;
  close(): Promise<void>;
}

/** What {@link listenServer} binds, and how its failure and shutdown read. */
export interface ListenOptions {
  readonly port: number;
  readonly host: string;
  /** The URL's path (`/metrics`, `/`). */
  readonly path: string;
  /** What is served, for the error (`metrics`, `the dashboard`). */
  readonly what: string;
  /** The flags that choose the address, for the hint (`metrics`, `dashboard`). */
  readonly flagPrefix: string;
  /** Runs when the server stops or fails to bind (timers, subscriptions, open streams). */
  readonly onStop?: () => void;
}

/**
 * Bind `server` to `host:port` (0 picks a free port). `close` ends every connection, so
 * that open keep-alive or event-stream sockets never hold a shutdown.
 *
 * @throws UsageError when the address cannot be bound (taken port, unknown host).
 */
export function listenServer(server: Server, options: ListenOptions): Promise<ListeningServer> {
  const { port, host, flagPrefix } = options;
  const stop = options.onStop ?? (() => undefined);
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      stop();
      reject(
        new UsageError(`cannot serve ${options.what} on ${host}:${port}: ${error.code ?? error.message}`, {
          cause: error,
          hint: `choose a free --${flagPrefix}-port (and a --${flagPrefix}-host address of this machine)`,
        }),
      );
    };
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      const bound = (server.address() as AddressInfo).port;
      resolve({
        port: bound,
        url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}${options.path}`,
        close: () =>
          new Promise<void>((done) => {
            stop();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
