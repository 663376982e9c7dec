/** How {@link createRetryingFetch} retries. */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  readonly attempts?: number;
  /** Delay before the first retry; doubles each time (default 1000 ms). */
  readonly baseDelayMs?: number;
  /** Upper bound of one delay, `Retry-After` included (default 30 s). */
  readonly maxDelayMs?: number;
  /** Give up on an attempt whose response headers take longer (default 60 s). */
  readonly timeoutMs?: number;
}

/** Extra knobs of {@link createRetryingFetch}. */
export interface RetryingFetchOptions extends RetryPolicy {
  /** The fetch to wrap (default: the global one). */
  readonly fetch?: typeof fetch;
  /** Whether a request may be sent again (default: all); non-idempotent ones get one attempt. */
  readonly canRetry?: (url: string, init: RequestInit | undefined) => boolean;
}

const sleep = (ms: number, signal?: AbortSignal | null): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/** Seconds or an HTTP date in `Retry-After`, as milliseconds; undefined when absent or unparsable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * A `fetch` that retries 5xx and 429 responses, network errors and attempts whose
 * headers do not arrive within the timeout, with exponential backoff (429 waits as long
 * as `Retry-After` says, up to `maxDelayMs`). The caller's abort signal still cancels
 * everything, the body included. The last failing response is returned as is, so the
 * caller's own error handling sees the real status.
 */
export function createRetryingFetch(options: RetryingFetchOptions = {}): typeof fetch {
  const base = options.fetch ?? fetch;
  const attempts = Math.max(1, options.attempts ?? 5);
  const baseDelay = options.baseDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 60_000;
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const tries = options.canRetry === undefined || options.canRetry(url, init) ? attempts : 1;
    for (let attempt = 1; ; attempt++) {
      init?.signal?.throwIfAborted();
      const controller = new AbortController();
      const forward = () => controller.abort(init?.signal?.reason);
      init?.signal?.addEventListener('abort', forward, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new Error(`no response from ${url} within ${timeoutMs} ms`));
      }, timeoutMs);
      let delay = Math.min(maxDelay, baseDelay * 2 ** (attempt - 1));
      try {
        const response = await base(input, { ...init, signal: controller.signal });
        const retryable = response.status >= 500 || response.status === 429;
        if (!retryable || attempt >= tries) return response;
        if (response.status === 429)
          delay = Math.min(maxDelay, retryAfterMs(response.headers.get('retry-after')) ?? delay);
        await response.body?.cancel();
      } catch (error) {
        if (init?.signal?.aborted === true) throw error;
        if (attempt >= tries) {
          throw timedOut
            ? new Error(`no response from ${url} within ${timeoutMs} ms`, { cause: error })
            : error;
        }
      } finally {
        clearTimeout(timer);
      }
      await sleep(delay, init?.signal);
    }
  };
}
