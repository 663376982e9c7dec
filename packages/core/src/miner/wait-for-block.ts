import type { ChainClient } from '../contracts/index.js';

/** Options of {@link waitForBlock}. */
export interface WaitForBlockOptions {
  /** How often to read the best block (default 2 s, a fraction of the 12 s block time). */
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  /** Called after each poll that is still short of the target, for progress output. */
  readonly onPoll?: (current: number, target: number) => void;
}

/** Resolve with the best block once it is at least `block`; rejects when `signal` aborts. */
export async function waitForBlock(
  chain: ChainClient,
  block: number,
  options: WaitForBlockOptions = {},
): Promise<number> {
  const pollMs = options.pollMs ?? 2000;
  for (;;) {
    options.signal?.throwIfAborted();
    const current = await chain.currentBlock();
    if (current >= block) return current;
    options.onPoll?.(current, block);
    await sleep(pollMs, options.signal);
  }
}

/** A timer that an abort signal cuts short (with the signal's reason). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
