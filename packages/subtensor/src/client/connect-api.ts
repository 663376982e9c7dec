import { ChainError } from '@pretrain/core';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { withTimeout } from './with-timeout.js';

/**
 * Subtensor's own signed extensions carry no extra bytes; declaring them keeps
 * polkadot.js from warning about unknown extensions on every connection.
 */
const SUBTENSOR_SIGNED_EXTENSIONS = {
  SubtensorSignedExtension: { extrinsic: {}, payload: {} },
  CommitmentsSignedExtension: { extrinsic: {}, payload: {} },
} as const;

/** How to reach a node. */
export interface ConnectApiOptions {
  readonly endpoint: string;
  /** Limit for connecting and for each request, in ms. */
  readonly timeoutMs: number;
  /** Delay between reconnection attempts after the socket drops, in ms. */
  readonly reconnectDelayMs: number;
}

/**
 * Open an `ApiPromise` that reconnects on its own after a drop, or fail with a
 * `ChainError` once `timeoutMs` passes without a connection and metadata.
 */
export async function connectApi(options: ConnectApiOptions): Promise<ApiPromise> {
  const { endpoint, timeoutMs } = options;
  const provider = new WsProvider(endpoint, options.reconnectDelayMs, {}, timeoutMs);
  // Connection errors are retried by the provider; without a listener they would be logged.
  provider.on('error', () => undefined);
  const hint = `check that a subtensor node answers at ${endpoint} (for the devnet: \`pretrain devnet up\`)`;
  try {
    await withTimeout(provider.isReady, timeoutMs, `connecting to ${endpoint}`, hint);
    return await withTimeout(
      ApiPromise.create({ provider, noInitWarn: true, signedExtensions: SUBTENSOR_SIGNED_EXTENSIONS }),
      timeoutMs,
      `reading the runtime metadata of ${endpoint}`,
      hint,
    );
  } catch (error) {
    await provider.disconnect().catch(() => undefined);
    if (error instanceof ChainError) throw error;
    throw new ChainError(
      `cannot connect to ${endpoint}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
        hint,
      },
    );
  }
}
