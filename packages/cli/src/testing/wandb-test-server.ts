import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A run as the double stores it. */
export interface WandbTestRun {
  readonly entity: string;
  readonly project: string;
  /** The run id (URL name). */
  readonly name: string;
  displayName: string;
  /** As stored: `{key: {value, desc}}`. */
  config: Record<string, unknown>;
  /** History rows by line offset (a resent offset replaces its line, as on W&B). */
  readonly history: Record<string, unknown>[];
  summary: Record<string, unknown> | undefined;
  /** Set by `{complete: true, exitcode}`. */
  exitcode: number | undefined;
}

/** A request the double answered. */
export interface WandbTestRequest {
  readonly method: string;
  readonly path: string;
  /** The GraphQL operation (`Viewer`, `UpsertBucket`), for `/graphql`. */
  readonly operation: string | undefined;
  readonly status: number;
  /** The raw `Authorization` header, to check what was sent. */
  readonly authorization: string | undefined;
}

/** A fault forced onto matching requests. */
export interface WandbTestFault {
  /** Matched against the path, or the GraphQL operation name for `/graphql`. */
  readonly match: RegExp | string;
  /** Answer this status instead; absent = answer normally after `delayMs`. */
  readonly status?: number;
  /** Wait this long before answering (a slow server). */
  readonly delayMs?: number;
  /** How many matching requests get it (default: every one until cleared). */
  readonly times?: number;
}

/** Options of {@link startWandbTestServer}. */
export interface WandbTestServerOptions {
  /** The only key accepted (HTTP basic auth `api:<key>`, as W&B takes it). */
  readonly apiKey: string;
  /** The key's user, the default entity (default `tester`). */
  readonly viewerEntity?: string;
  /** Entities the key may write to (default: the viewer's only). */
  readonly entities?: readonly string[];
}

/** A running W&B double; see {@link startWandbTestServer}. */
export interface WandbTestServer {
  /** `http://127.0.0.1:<port>`: the `WANDB_BASE_URL`. */
  readonly url: string;
  readonly runs: WandbTestRun[];
  readonly requests: WandbTestRequest[];
  inject(fault: WandbTestFault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

/**
 * A test double of the part of W&B's HTTP API that runs use, on 127.0.0.1, speaking what the
 * official SDKs send: `POST /graphql` with the `Viewer` query and the `UpsertBucket` mutation
 * (variables `name`, `project`, `entity`, `displayName`, `config`), and
 * `POST /files/<entity>/<project>/<run>/file_stream` with history lines by offset, the
 * summary, and `{complete, exitcode}`. It checks the key (401), the entity (a GraphQL
 * permission error), that the run exists (404) and that every line is strict JSON (400).
 * Faults (status, delay) are injected per path or operation. Not W&B: no files, artifacts,
 * sweeps, resuming or rate limits.
 */
export async function startWandbTestServer(options: WandbTestServerOptions): Promise<WandbTestServer> {
  const viewer = options.viewerEntity ?? 'tester';
  const entities = new Set(options.entities ?? [viewer]);
  const expected = `Basic ${Buffer.from(`api:${options.apiKey}`).toString('base64')}`;
  const runs: WandbTestRun[] = [];
  const requests: WandbTestRequest[] = [];
  let faults: { fault: WandbTestFault; left: number }[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      body = undefined;
    }
    const operation =
      path === '/graphql'
        ? /\b(?:query|mutation)\s+(\w+)/.exec(String(field(body, 'query')))?.[1]
        : undefined;
    const answer = (status: number, json: unknown) => {
      requests.push({
        method: req.method ?? '',
        path,
        operation,
        status,
        authorization: req.headers.authorization,
      });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    const key = operation ?? path;
    const hit = faults.find(({ fault }) =>
      typeof fault.match === 'string' ? key.includes(fault.match) : fault.match.test(key),
    );
    if (hit !== undefined) {
      hit.left -= 1;
      if (hit.left <= 0) faults = faults.filter((f) => f !== hit);
      // Unref'd: a request held for minutes never keeps a test process alive.
      if (hit.fault.delayMs !== undefined) {
        await new Promise((r) => setTimeout(r, hit.fault.delayMs).unref());
      }
      if (hit.fault.status !== undefined) return answer(hit.fault.status, { error: 'injected' });
    }
    if (req.method !== 'POST') return answer(405, { error: 'method not allowed' });
    if (req.headers.authorization !== expected) {
      return answer(401, { errors: [{ message: 'user is not logged in' }] });
    }
    if (path === '/graphql') return answer(200, graphql(operation, field(body, 'variables')));
    const stream = /^\/files\/([^/]+)\/([^/]+)\/([^/]+)\/file_stream$/.exec(path);
    if (stream === null) return answer(404, { error: 'not found' });
    const [entity, project, name] = stream.slice(1).map(decodeURIComponent);
    const run = runs.find((r) => r.entity === entity && r.project === project && r.name === name);
    if (run === undefined) return answer(404, { error: `run ${entity}/${project}/${name} not found` });
    const problem = applyStream(run, body);
    return problem === undefined ? answer(200, { limits: {} }) : answer(400, { error: problem });
  };

  const graphql = (operation: string | undefined, variables: unknown): unknown => {
    if (operation === 'Viewer') {
      return { data: { viewer: { id: 'VXNlcjox', entity: viewer, flags: '{}', teams: { edges: [] } } } };
    }
    if (operation !== 'UpsertBucket') return { errors: [{ message: `unknown operation ${operation}` }] };
    const text = (name: string) => {
      const value = field(variables, name);
      return typeof value === 'string' ? value : '';
    };
    const entity = text('entity') || viewer;
    if (!entities.has(entity)) return { errors: [{ message: `permission denied for entity ${entity}` }] };
    const project = text('project') || 'uncategorized';
    let config: Record<string, unknown> = {};
    try {
      config = text('config') === '' ? {} : (JSON.parse(text('config')) as Record<string, unknown>);
    } catch {
      return { errors: [{ message: 'config is not a JSONString' }] };
    }
    let run = runs.find((r) => r.entity === entity && r.project === project && r.name === text('name'));
    if (run === undefined) {
      run = {
        entity,
        project,
        name: text('name'),
        displayName: text('displayName'),
        config,
        history: [],
        summary: undefined,
        exitcode: undefined,
      };
      runs.push(run);
    } else {
      run.config = { ...run.config, ...config };
      if (text('displayName') !== '') run.displayName = text('displayName');
    }
    return {
      data: {
        upsertBucket: {
          bucket: {
            id: `run-${runs.indexOf(run)}`,
            name: run.name,
            displayName: run.displayName,
            project: { name: project, entity: { name: entity } },
          },
          inserted: run.history.length === 0,
        },
      },
    };
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    runs,
    requests,
    inject: (fault) => faults.push({ fault, left: fault.times ?? Infinity }),
    clearFaults: () => (faults = []),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Apply one file-stream body to `run`; returns what is wrong with it, if anything. */
function applyStream(run: WandbTestRun, body: unknown): string | undefined {
  if (field(body, 'complete') === true) {
    const code = field(body, 'exitcode');
    if (typeof code !== 'number') return 'exitcode is not a number';
    run.exitcode = code;
    return undefined;
  }
  const files = field(body, 'files');
  if (typeof files !== 'object' || files === null) return 'no files';
  for (const [file, chunk] of Object.entries(files)) {
    const offset = field(chunk, 'offset');
    const content = field(chunk, 'content');
    if (typeof offset !== 'number' || !Array.isArray(content)) return `${file}: no offset or content`;
    const rows: Record<string, unknown>[] = [];
    for (const line of content) {
      try {
        // Strict JSON: a row with a bare Infinity or NaN is refused here.
        rows.push(JSON.parse(String(line)) as Record<string, unknown>);
      } catch {
        return `${file}: a line is not JSON`;
      }
    }
    if (file === 'wandb-summary.json') run.summary = rows.at(-1);
    else if (file === 'wandb-history.jsonl') {
      if (offset > run.history.length) return `${file}: offset ${offset} leaves a gap`;
      run.history.splice(offset, rows.length, ...rows);
    }
  }
  return undefined;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}
