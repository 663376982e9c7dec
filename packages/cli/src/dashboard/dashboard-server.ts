import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { UsageError } from '@pretrain/core';
import { listenServer, type ListeningServer } from '../http/listen-server.js';
import { answerApi, type DashboardSource } from './dashboard-routes.js';

/** A running dashboard (its `url` ends in `/`). */
export type DashboardServer = ListeningServer;

/** Where the dashboard is served unless `--dashboard-host` says otherwise: this machine only. */
export const DEFAULT_DASHBOARD_HOST = '127.0.0.1';

/** Longest request target accepted (a longer one is 414). */
const MAX_URL_LENGTH = 2048;
/** Event streams open at once; more get 503 (each holds a socket). */
const MAX_EVENT_STREAMS = 32;
/** Live events are sent at most this often per stream (progress comes after every batch). */
const LIVE_EVENT_MS = 250;

const ASSETS = fileURLToPath(new URL('../../assets/dashboard/', import.meta.url));
// The page's modules are the compiled `src/dashboard/page/*.ts` (tested like any module).
const PAGE_MODULES = fileURLToPath(new URL('../../dist/dashboard/page/', import.meta.url));

/** Every file the page loads, by request path: nothing else on disk is reachable. */
const STATIC_FILES: ReadonlyMap<string, { readonly file: string; readonly type: string }> = new Map([
  ['/', { file: `${ASSETS}index.html`, type: 'text/html; charset=utf-8' }],
  ['/index.html', { file: `${ASSETS}index.html`, type: 'text/html; charset=utf-8' }],
  ['/assets/style.css', { file: `${ASSETS}style.css`, type: 'text/css; charset=utf-8' }],
  ['/assets/app.js', { file: `${ASSETS}app.js`, type: 'text/javascript; charset=utf-8' }],
  ...['format', 'series', 'svg-chart'].map(
    (name) =>
      [
        `/assets/page/${name}.js`,
        { file: `${PAGE_MODULES}${name}.js`, type: 'text/javascript; charset=utf-8' },
      ] as const,
  ),
]);

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Serve the dashboard of `source` on `host:port` (0 picks a free port): the page, its
 * assets, the read-only JSON API under `/api/` and a server-sent event stream. Only GET
 * and HEAD are answered; unknown paths are 404, bad queries 400, long URLs 414. Bound to
 * loopback (the default) it answers only requests naming a loopback host, so a web page
 * elsewhere cannot read it through DNS rebinding.
 *
 * @throws UsageError when the address cannot be bound.
 */
export function startDashboardServer(
  source: DashboardSource,
  port: number,
  host = DEFAULT_DASHBOARD_HOST,
): Promise<DashboardServer> {
  if (!Number.isSafeInteger(port) || port < 0 || port > 65_535) {
    return Promise.reject(
      new UsageError(`dashboard port ${port} is not a port number`, {
        hint: 'use 1 to 65535, or 0 for any free port',
      }),
    );
  }
  const streams = new Set<ServerResponse>();
  const loopbackOnly = host === '127.0.0.1' || host === '::1' || host === 'localhost';
  const server = createServer((request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      if (!response.headersSent) send(response, 500, { error: String(error) });
      else response.destroy();
    }
  });
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const target = request.url ?? '/';
    if (target.length > MAX_URL_LENGTH) return send(response, 414, { error: 'request target too long' });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return send(response, 405, { error: 'the dashboard is read-only: GET and HEAD only' });
    }
    if (loopbackOnly && !LOOPBACK_NAMES.has(hostName(request.headers.host))) {
      return send(response, 421, { error: 'this dashboard answers only to a loopback host name' });
    }
    let url: URL;
    try {
      url = new URL(target, 'http://dashboard.invalid');
    } catch {
      return send(response, 400, { error: 'malformed request target' });
    }
    const path = url.pathname;
    if (path === '/api/events') return openStream(response);
    if (path.startsWith('/api/')) {
      const answer = answerApi(source, path, url.searchParams);
      return send(response, answer.status, answer.body, request.method === 'HEAD');
    }
    const asset = STATIC_FILES.get(path);
    if (asset === undefined) return send(response, 404, { error: 'not found' });
    readFile(asset.file).then(
      (bytes) => {
        response.writeHead(200, {
          ...SECURITY_HEADERS,
          'content-type': asset.type,
          'cache-control': 'no-cache',
        });
        response.end(request.method === 'HEAD' ? undefined : bytes);
      },
      () => send(response, 500, { error: `asset missing: ${path} (is the CLI built?)` }),
    );
  };
  const openStream = (response: ServerResponse): void => {
    if (streams.size >= MAX_EVENT_STREAMS) return send(response, 503, { error: 'too many event streams' });
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    streams.add(response);
    response.write(`event: live\ndata: ${JSON.stringify(source.live.snapshot())}\n\n`);
    response.on('close', () => streams.delete(response));
  };
  const broadcast = (event: string, data: unknown): void => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const stream of streams) stream.write(frame);
  };
  let liveTimer: NodeJS.Timeout | undefined;
  const unsubscribeLive = source.live.subscribe(() => {
    liveTimer ??= setTimeout(() => {
      liveTimer = undefined;
      broadcast('live', source.live.snapshot());
    }, LIVE_EVENT_MS);
  });
  const unsubscribeHistory = source.history.subscribe((record) =>
    broadcast(record.type, record.type === 'step' ? { run: record.run, step: record.step } : record),
  );
  // Comments keep idle streams open through proxies that drop silent connections.
  const keepAlive = setInterval(() => {
    for (const stream of streams) stream.write(': keep-alive\n\n');
  }, 15_000);
  keepAlive.unref();
  const stop = () => {
    unsubscribeLive();
    unsubscribeHistory();
    clearInterval(keepAlive);
    clearTimeout(liveTimer);
  };
  return listenServer(server, {
    port,
    host,
    path: '/',
    what: 'the dashboard',
    flagPrefix: 'dashboard',
    onStop: () => {
      stop();
      for (const stream of streams) stream.end();
    },
  });
}

/** The host name of a `Host` header, lower-cased, without its port. */
function hostName(header: string | undefined): string {
  const value = (header ?? '').toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  return value.split(':')[0] ?? '';
}

function send(response: ServerResponse, status: number, body: unknown, headOnly = false): void {
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(headOnly ? undefined : text);
}
