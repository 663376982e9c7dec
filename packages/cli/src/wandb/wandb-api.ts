import { PretrainError } from '@pretrain/core';

/** Where and as whom the W&B HTTP API is called. */
export interface WandbApiOptions {
  /** `https://api.wandb.ai`, a W&B server of one's own, or a test double (`WANDB_BASE_URL`). */
  readonly baseUrl: string;
  /** The API key: sent in the `Authorization` header only, never in a message. */
  readonly apiKey: string;
  /** Each request (answer and body) is abandoned after this long, in ms. */
  readonly timeoutMs: number;
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
  /** `User-Agent` of every request. */
  readonly userAgent?: string;
}

/** A run's address: W&B calls a project a "model" and a run a "bucket". */
export interface WandbRunPath {
  readonly entity: string;
  readonly project: string;
  /** The run id (its URL name), not its display name. */
  readonly name: string;
}

/** What {@link WandbApi.upsertRun} creates. */
export interface WandbRunInput {
  /** Empty: the key's default entity ({@link WandbApi.viewerEntity}). */
  readonly entity: string;
  readonly project: string;
  readonly name: string;
  readonly displayName: string;
  /** Flat key → value; sent as the server stores it, `{key: {value, desc}}`. */
  readonly config: Readonly<Record<string, unknown>>;
}

/** One file-stream request: history lines at an offset and the summary, or the run's end. */
export type FileStreamBody =
  | {
      readonly files: Readonly<
        Record<string, { readonly offset: number; readonly content: readonly string[] }>
      >;
    }
  | { readonly complete: true; readonly exitcode: number };

// The fields are those the official SDKs send under the same operation names and variables.
const VIEWER = 'query Viewer { viewer { id entity } }';
const UPSERT_BUCKET = `mutation UpsertBucket($name: String, $project: String, $entity: String, $displayName: String, $config: JSONString) {
  upsertBucket(input: {name: $name, modelName: $project, entityName: $entity, displayName: $displayName, config: $config}) {
    bucket { id name displayName project { name entity { name } } }
    inserted
  }
}`;

// W&B answers are small; a larger one is not W&B's and is not read whole.
const MAX_ANSWER_BYTES = 1024 * 1024;

/** The error of a failed W&B request: the operation and the status or network failure. */
export class WandbError extends PretrainError {
  constructor(
    message: string,
    /** The HTTP status when the server answered. */
    readonly status?: number,
  ) {
    super('PRETRAIN_WANDB', message, {
      hint: 'check the W&B key, entity, project and WANDB_BASE_URL; the validator goes on without it',
    });
  }
}

/**
 * The small part of W&B's HTTP API a run needs, as its SDKs speak it: GraphQL at
 * `<base>/graphql` (`Viewer` for the key's entity, `UpsertBucket` to create a run) and the
 * run's file stream at `<base>/files/<entity>/<project>/<run>/file_stream` (history lines by
 * offset, the summary, and `{complete, exitcode}` to finish). Every request has a deadline
 * and can be cancelled all at once; errors say what failed without the key.
 */
export class WandbApi {
  private readonly baseUrl: string;
  private readonly authorization: string;
  private readonly fetch: typeof fetch;
  private readonly cancelAll = new AbortController();

  constructor(private readonly options: WandbApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.authorization = `Basic ${Buffer.from(`api:${options.apiKey}`).toString('base64')}`;
    this.fetch = options.fetch ?? fetch;
  }

  /** The key's default entity (user name), for runs without `--wandb-entity`. */
  async viewerEntity(): Promise<string> {
    const data = await this.graphql<{ viewer?: { entity?: unknown } | null }>('Viewer', VIEWER, {});
    const entity = data.viewer?.entity;
    if (typeof entity !== 'string' || entity === '') {
      throw new WandbError('W&B Viewer: the key has no default entity (pass --wandb-entity)');
    }
    return entity;
  }

  /** Create (or update) a run; returns its path as the server names it. */
  async upsertRun(input: WandbRunInput): Promise<WandbRunPath> {
    const config = Object.fromEntries(
      Object.entries(input.config).map(([key, value]) => [key, { value, desc: null }]),
    );
    type Bucket = { name?: unknown; project?: { name?: unknown; entity?: { name?: unknown } } };
    const data = await this.graphql<{ upsertBucket?: { bucket?: Bucket | null } | null }>(
      'UpsertBucket',
      UPSERT_BUCKET,
      {
        name: input.name,
        project: input.project,
        entity: input.entity,
        displayName: input.displayName,
        config: JSON.stringify(config),
      },
    );
    const bucket = data.upsertBucket?.bucket;
    if (bucket === undefined || bucket === null)
      throw new WandbError('W&B UpsertBucket: no run in the answer');
    const text = (value: unknown, fallback: string) =>
      typeof value === 'string' && value !== '' ? value : fallback;
    return {
      entity: text(bucket.project?.entity?.name, input.entity),
      project: text(bucket.project?.name, input.project),
      name: text(bucket.name, input.name),
    };
  }

  /** Send one file-stream request of `run`. */
  async fileStream(run: WandbRunPath, body: FileStreamBody): Promise<void> {
    const path = [run.entity, run.project, run.name].map(encodeURIComponent).join('/');
    const response = await this.post(`/files/${path}/file_stream`, body, 'file_stream');
    await readCapped(response, 'file_stream');
  }

  /** Abandon every request in flight now (a shutdown out of time). */
  cancel(): void {
    this.cancelAll.abort(new Error('cancelled'));
  }

  private async graphql<T>(operation: string, query: string, variables: object): Promise<T> {
    const response = await this.post('/graphql', { operationName: operation, query, variables }, operation);
    let answer: { data?: unknown; errors?: unknown };
    try {
      answer = JSON.parse(await readCapped(response, operation)) as typeof answer;
    } catch (error) {
      if (error instanceof WandbError) throw error;
      throw new WandbError(`W&B ${operation}: the answer is not JSON`);
    }
    if (Array.isArray(answer.errors) && answer.errors.length > 0) {
      const first = (answer.errors[0] as { message?: unknown } | null)?.message;
      throw new WandbError(`W&B ${operation}: ${clip(typeof first === 'string' ? first : 'error')}`);
    }
    if (typeof answer.data !== 'object' || answer.data === null) {
      throw new WandbError(`W&B ${operation}: no data in the answer`);
    }
    return answer.data as T;
  }

  private async post(path: string, body: unknown, what: string): Promise<Response> {
    const signal = AbortSignal.any([this.cancelAll.signal, AbortSignal.timeout(this.options.timeoutMs)]);
    let response: Response;
    try {
      response = await this.fetch(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          authorization: this.authorization,
          'content-type': 'application/json',
          'user-agent': this.options.userAgent ?? 'pretrain',
        },
        body: JSON.stringify(body),
        signal,
      });
    } catch (error) {
      throw new WandbError(`W&B ${what}: ${this.reason(error, signal)}`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new WandbError(`W&B ${what}: HTTP ${response.status}`, response.status);
    }
    return response;
  }

  /** Why a request failed, in a few words (never the request's headers). */
  private reason(error: unknown, signal: AbortSignal): string {
    if (this.cancelAll.signal.aborted) return 'cancelled at shutdown';
    if (signal.aborted) return `no answer within ${this.options.timeoutMs / 1000} s`;
    const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
    if (typeof cause?.code === 'string') return cause.code;
    if (typeof cause?.message === 'string') return clip(cause.message);
    return clip(error instanceof Error ? error.message : String(error));
  }
}

/** The body as text, refusing more than {@link MAX_ANSWER_BYTES}. */
async function readCapped(response: Response, what: string): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_ANSWER_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw new WandbError(`W&B ${what}: the answer is larger than ${MAX_ANSWER_BYTES} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof WandbError) throw error;
    throw new WandbError(`W&B ${what}: the answer was cut off`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Server text in a message: one short line. */
function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
