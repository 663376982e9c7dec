import { DatasetError, silentLogger, type Logger } from '@pretrain/core';
import { retryAfterMs } from '../http/retrying-fetch.js';

/** The public Hugging Face datasets-server. */
export const DEFAULT_DATASETS_SERVER_URL = 'https://datasets-server.huggingface.co';

/** Options shared by the datasets-server datasets. */
export interface DatasetsServerOptions {
  /** Base URL (default {@link DEFAULT_DATASETS_SERVER_URL}). */
  readonly baseUrl?: string;
  /** Attempts per request (docs/SUBNET.md §5: 10). */
  readonly attempts?: number;
  /** Wait between attempts (docs/SUBNET.md §5: 5000 ms); a 429's `Retry-After` replaces it. */
  readonly retryDelayMs?: number;
  /** Longest `Retry-After` honoured (default 120 s). */
  readonly maxRetryAfterMs?: number;
  /** Time limit of one attempt, body included (default 30 s). */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly logger?: Logger;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/**
 * GETs JSON from the datasets-server as the reference does: any failure (network, time
 * limit, non-2xx status, unusable JSON) is retried up to `attempts` times, `retryDelayMs`
 * apart; a 429 waits for its `Retry-After` instead.
 */
export class DatasetsServerClient {
  readonly baseUrl: string;
  private readonly attempts: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly logger: Logger;

  constructor(options: DatasetsServerOptions = {}) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_DATASETS_SERVER_URL).replace(/\/+$/, '');
    this.attempts = Math.max(1, options.attempts ?? 10);
    this.retryDelayMs = options.retryDelayMs ?? 5000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetch = options.fetch ?? fetch;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * GET `path?query` and return the JSON that `accept` approves (it throws to reject).
   * @throws DatasetError after the last attempt, quoting the last failure.
   */
  async getJson<T>(
    path: string,
    query: Record<string, string | number>,
    accept: (json: unknown) => T,
    signal?: AbortSignal,
  ): Promise<T> {
    const url = `${this.baseUrl}${path}?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`;
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      signal?.throwIfAborted();
      let delay = this.retryDelayMs;
      const limit = AbortSignal.timeout(this.timeoutMs);
      try {
        const response = await this.fetch(url, {
          signal: signal === undefined ? limit : AbortSignal.any([signal, limit]),
        });
        if (response.status === 429) {
          delay = Math.min(this.maxRetryAfterMs, retryAfterMs(response.headers.get('retry-after')) ?? delay);
        }
        if (!response.ok)
          throw new Error(`HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
        return accept(await response.json());
      } catch (error) {
        if (signal?.aborted === true) throw error;
        lastError = limit.aborted ? new Error(`no complete answer within ${this.timeoutMs} ms`) : error;
        this.logger.debug('datasets-server request failed', { url, attempt, error: String(lastError) });
      }
      if (attempt < this.attempts) await sleep(delay, signal);
    }
    const reason = lastError instanceof Error ? lastError.message : String(lastError);
    throw new DatasetError(`GET ${url} failed ${this.attempts} times; last: ${reason}`, {
      hint: 'the datasets-server may be down or rate limiting; the page is replaced by another',
      cause: lastError,
    });
  }
}
