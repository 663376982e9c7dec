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

/** A connected API and the switch that ends its reconnection loop (call before disconnecting). */
export interface ConnectedApi {
  readonly api: ApiPromise;
  stopReconnecting(): void;
}

/**
 * Open an `ApiPromise` that reconnects on its own after a drop, or fail with a
 * `ChainError` once `timeoutMs` passes without a connection and metadata.
 *
 * Reconnection is done here rather than by the provider's auto-connect, which logs a
 * line to stderr for every failed attempt (one a second while a node is down).
 */
export async function connectApi(options: ConnectApiOptions): Promise<ConnectedApi> {
  const { endpoint, timeoutMs } = options;
  const provider = new WsProvider(endpoint, false, {}, timeoutMs);
  let reconnecting = true;
  let timer: NodeJS.Timeout | undefined;
  provider.on('disconnected', () => {
    if (!reconnecting) return;
    timer = setTimeout(() => {
      if (reconnecting) provider.connect().catch(() => undefined);
    }, options.reconnectDelayMs);
  });
  // Socket errors are followed by a disconnect (and a retry); without a listener they would be logged.
  provider.on('error', () => undefined);
  const stopReconnecting = () => {
    reconnecting = false;
    clearTimeout(timer);
  };
  const hint = `check that a subtensor node answers at ${endpoint} (for the devnet: \`pretrain devnet up\`)`;
  // A socket that fails before the first connection (refused, unknown host) fails the
  // connect at once: waiting out the timeout would only retry a port nobody listens on.
  let settled = false;
  const failedFirst = new Promise<never>((_, reject) => {
    const fail = (event: unknown) => {
      if (settled) return;
      settled = true;
      reject(new ChainError(`cannot connect to ${endpoint}: ${socketFailure(event)}`, { hint }));
    };
    provider.on('error', fail);
    provider.on('disconnected', () => fail(undefined));
  });
  failedFirst.catch(() => undefined);
  await provider.connect().catch(() => undefined);
  try {
    await withTimeout(
      Promise.race([provider.isReady, failedFirst]),
      timeoutMs,
      `connecting to ${endpoint}`,
      hint,
    );
    settled = true; // later drops are the reconnection loop's business
    const api = await withTimeout(
      ApiPromise.create({ provider, noInitWarn: true, signedExtensions: SUBTENSOR_SIGNED_EXTENSIONS }),
      timeoutMs,
      `reading the runtime metadata of ${endpoint}`,
      hint,
    );
    return { api, stopReconnecting };
  } catch (error) {
    stopReconnecting();
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

/** What a WebSocket error event says (`connect ECONNREFUSED 127.0.0.1:9`), or a plain phrase. */
function socketFailure(event: unknown): string {
  const error = (event as { error?: unknown } | undefined)?.error ?? event;
  const message =
    error instanceof Error ? error.message : (event as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && message !== '' ? message : 'the connection was refused or closed';
}
