import { createServer } from 'node:http';
import type { Registry } from 'prom-client';
import { listenServer, type ListeningServer } from '../http/listen-server.js';

/** A running `/metrics` endpoint (its `url` ends in `/metrics`). */
export type MetricsServer = ListeningServer;

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
  return listenServer(server, { port, host, path: '/metrics', what: 'metrics', flagPrefix: 'metrics' });
}
