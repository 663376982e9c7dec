import { ChainError } from '@pretrain/core';

/**
 * Settle with `work`, or reject with a `ChainError` after `ms` milliseconds. The work is
 * not cancelled (polkadot.js has no cancellation); its late result is ignored.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string, hint?: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ChainError(`${what} timed out after ${(ms / 1000).toFixed(1)} s`, { hint })),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Wrap anything a chain call threw as a `ChainError` (kept as is when it already is one). */
export function asChainError(error: unknown, what: string, endpoint: string): ChainError {
  if (error instanceof ChainError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ChainError(`${what} failed on ${endpoint}: ${message}`, {
    cause: error,
    hint: 'check that the endpoint is reachable; the client reconnects on its own once it is',
  });
}
