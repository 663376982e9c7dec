import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { datasetsRoutes, DEFAULT_TEST_DATASETS, type TestDataset } from './datasets-test-routes.js';
import { hubReadRoutes } from './hub-read-routes.js';
import { HubTestState } from './hub-test-state.js';
import { hubWriteRoutes } from './hub-write-routes.js';
import { sendError, type TestRequest, type TestRoute } from './http-test-kit.js';

/** A response forced onto matching requests, to test retries and error handling. */
export interface InjectedFault {
  /** Only this method (any when absent). */
  readonly method?: string;
  /** Matched against the request path (a string matches as a substring). */
  readonly path: RegExp | string;
  /** The status to answer; absent = answer normally after `delayMs`. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** How many matching requests get it (default 1). */
  readonly times?: number;
  /** Wait this long before answering (a slow or hanging server). */
  readonly delayMs?: number;
  /** Answer normally but send only this many body bytes, then hang (a stalled transfer). */
  readonly stallAfterBytes?: number;
}

/** One request seen by the server. */
export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  status: number;
}

/** Options of {@link startHubTestServer}. */
export interface HubTestServerOptions {
  /** Token that writes must carry as `Bearer <token>`; absent = writes are open. */
  readonly token?: string;
  /** Datasets served by `/rows` and `/size` (default: Falcon and FineWeb-Edu look-alikes). */
  readonly datasets?: Readonly<Record<string, TestDataset>>;
}

/** A running test double; see {@link startHubTestServer}. */
export interface HubTestServer {
  /** `http://127.0.0.1:<port>`: pass it as the hub URL and the datasets-server URL. */
  readonly url: string;
  readonly state: HubTestState;
  /** Every request so far, in order. */
  readonly requests: LoggedRequest[];
  /** Force the next matching request(s) to get `fault`. */
  inject(fault: InjectedFault): void;
  /** Drop the faults not used up yet. */
  clearFaults(): void;
  close(): Promise<void>;
}

/**
 * A test double of two remote services, the Hugging Face hub and its datasets-server, on
 * 127.0.0.1: small and in memory, speaking exactly the endpoints and JSON shapes that
 * `@huggingface/hub` 2.17.5 and our datasets client call (recorded in
 * `docs/hf-hub-requests`): revision, tree, paths-info, resolve/raw with LFS
 * redirects and ranges, preupload, LFS batch + basic PUT, ndjson commit (412 on a stale
 * parent), create repo (409), whoami, `/rows` and `/size`. Faults (404/409/412/429/5xx,
 * delays) are injected per path. Not a hub: no auth scopes, branches other than `main`,
 * xet, or multipart uploads.
 */
export async function startHubTestServer(options: HubTestServerOptions = {}): Promise<HubTestServer> {
  const state = new HubTestState();
  const requests: LoggedRequest[] = [];
  const faults: { fault: InjectedFault; left: number }[] = [];
  let url = '';
  const routes: TestRoute[] = [
    ...hubReadRoutes(state, () => url),
    ...hubWriteRoutes(state, () => url, options.token),
    ...datasetsRoutes(options.datasets ?? DEFAULT_TEST_DATASETS),
  ];

  const handle = async (incoming: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const parsed = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const req: TestRequest = {
      method: incoming.method ?? 'GET',
      path: decodeURIComponent(parsed.pathname),
      query: parsed.searchParams,
      headers: incoming.headers,
      body: Buffer.concat(chunks),
    };
    const logged: LoggedRequest = { method: req.method, path: req.path, query: parsed.search, status: 0 };
    requests.push(logged);
    res.on('finish', () => (logged.status = res.statusCode));

    const hit = faults.find(
      ({ fault, left }) =>
        left > 0 &&
        (fault.method === undefined || fault.method === req.method) &&
        (typeof fault.path === 'string' ? req.path.includes(fault.path) : fault.path.test(req.path)),
    );
    if (hit !== undefined) {
      hit.left--;
      if (hit.fault.delayMs !== undefined) await new Promise((r) => setTimeout(r, hit.fault.delayMs));
      if (res.destroyed) return;
      const stallAt = hit.fault.stallAfterBytes;
      if (stallAt !== undefined) {
        // Headers (with the full Content-Length) and part of the body go out; the end never does.
        res.end = ((chunk?: unknown) => {
          if (Buffer.isBuffer(chunk)) res.write(chunk.subarray(0, stallAt));
          return res;
        }) as typeof res.end;
      }
      if (hit.fault.status !== undefined) {
        res.writeHead(hit.fault.status, { 'Content-Type': 'application/json', ...hit.fault.headers });
        res.end(JSON.stringify({ error: `injected ${hit.fault.status}` }));
        return;
      }
    }
    for (const route of routes) {
      const methods = typeof route.method === 'string' ? [route.method] : route.method;
      const match = methods.includes(req.method) ? route.pattern.exec(req.path) : null;
      if (match !== null) return route.handle(req, res, match.slice(1));
    }
    sendError(res, 404, `No route for ${req.method} ${req.path}`);
  };

  const server = createServer((incoming, res) => {
    handle(incoming, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    state,
    requests,
    inject: (fault) => faults.push({ fault, left: fault.times ?? 1 }),
    clearFaults: () => void faults.splice(0),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
