import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '@pretrain/core';
import type { Registry } from 'prom-client';

/** A running `/metrics` endpoint. */
export interface MetricsServer {
  /** The port it listens on (the one asked for, or the one picked for port 0). */
  readonly port: number;
  /** `http://<host>:<port>/metrics`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Where metrics are served unless `--metrics-host` says otherwise: this machine only. */
export const DEFAULT_METRICS_HOST = '127.0.0.1';

/**
 * Serve `registry` in the Prometheus text format at `GET /metrics` on `host:port`
 * (0 picks a free port); every other path is a 404. The default host is the loopback
 * interface: the metrics name hotkeys, uids and timings, so exposing them to the
 * network is the operator's choice (`--metrics-host 0.0.0.0`).
 *
 * @throws UsageError when the address cannot be bound (taken port, unknown host).
 */
export function startMetricsServer(
  registry: Registry,
  port: number,
  host = DEFAULT_METRICS_HOST,
): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) =>
      reject(
        new UsageError(`cannot serve metrics on ${host}:${port}: ${error.code ?? error.message}`, {
          cause: error,
          hint: 'choose a free --metrics-port (and a --metrics-host address of this machine)',
        }),
      );
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      const bound = (server.address() as AddressInfo).port;
      resolve({
        port: bound,
        url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
