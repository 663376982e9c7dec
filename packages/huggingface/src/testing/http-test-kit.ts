import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request as the routes see it: method, decoded path, query and the whole body. */
export interface TestRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

/** One route: the method, a path pattern, and the handler given the pattern's groups. */
export interface TestRoute {
  readonly method: string | readonly string[];
  readonly pattern: RegExp;
  handle(req: TestRequest, res: ServerResponse, groups: readonly string[]): void | Promise<void>;
}

/** Answer with JSON (and extra headers). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Answer with an error in the hub's shape: `{ error }` and an `X-Error-Code` header when given. */
export function sendError(res: ServerResponse, status: number, message: string, code?: string): void {
  sendJson(res, status, { error: message }, code === undefined ? {} : { 'X-Error-Code': code });
}

/**
 * Serve bytes honouring a single `Range: bytes=a-b` (206 with `Content-Range`), as the
 * hub's resolve and LFS endpoints do; HEAD gets the headers only.
 */
export function sendBytes(
  req: TestRequest,
  res: ServerResponse,
  content: Buffer,
  headers: Record<string, string> = {},
): void {
  const common = { 'Content-Type': 'application/octet-stream', 'Accept-Ranges': 'bytes', ...headers };
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
  if (range !== null) {
    const start = Number(range[1]);
    const end = Math.min(range[2] === '' ? content.length - 1 : Number(range[2]), content.length - 1);
    if (start > end) {
      res.writeHead(416, { 'Content-Range': `bytes */${content.length}` });
      res.end();
      return;
    }
    const slice = content.subarray(start, end + 1);
    res.writeHead(206, {
      ...common,
      'Content-Range': `bytes ${start}-${end}/${content.length}`,
      'Content-Length': String(slice.length),
    });
    res.end(req.method === 'HEAD' ? undefined : slice);
    return;
  }
  res.writeHead(200, { ...common, 'Content-Length': String(content.length) });
  res.end(req.method === 'HEAD' ? undefined : content);
}

/** Parse the request body as JSON, or undefined when it is not JSON. */
export function jsonBody<T>(req: TestRequest): T | undefined {
  try {
    return JSON.parse(req.body.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}
