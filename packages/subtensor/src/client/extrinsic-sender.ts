import { ChainError } from '@pretrain/core';
import type { ApiPromise, SubmittableResult } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { DispatchError, ExtrinsicStatus } from '@polkadot/types/interfaces';
import type { Inclusion } from '@pretrain/core';

/** Extra facts for a named chain error, e.g. the block at which a rate limit ends. */
export type RetryAtBlock = (chainError: string) => Promise<number | undefined>;

/** The `pallet.Error` name of a dispatch error, or its description for non-module errors. */
export function dispatchErrorName(api: ApiPromise, error: DispatchError): string {
  if (error.isModule) {
    const meta = api.registry.findMetaError(error.asModule);
    return `${meta.section}.${meta.name}`;
  }
  return error.type;
}

/**
 * The block holding a submitted extrinsic, from its status: `InBlock`, or `Finalized`.
 * polkadot.js fetches a block's events before reporting a status and drops that fetch
 * when the next status arrives, so on a node that finalizes at once (chopsticks, a busy
 * machine) `InBlock` may never be reported at all: `Finalized` must count too.
 */
export function inclusionBlockHash(status: ExtrinsicStatus): string | undefined {
  if (status.isInBlock) return status.asInBlock.toHex();
  if (status.isFinalized) return status.asFinalized.toHex();
  return undefined;
}

/**
 * Signs and submits extrinsics with explicit nonces (`system.accountNextIndex`), one at a
 * time per account, and resolves once the extrinsic is in a block.
 */
export class ExtrinsicSender {
  readonly #api: ApiPromise;
  readonly #timeoutMs: number;
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(api: ApiPromise, timeoutMs: number) {
    this.#api = api;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Submit `tx` signed by `pair`; `what` names it in errors. Dispatch failures become a
   * `ChainError` whose `chainError` is the runtime's error name.
   */
  async send(
    tx: SubmittableExtrinsic<'promise'>,
    pair: KeyringPair,
    what: string,
    retryAt?: RetryAtBlock,
  ): Promise<Inclusion> {
    // Sending from one account in parallel would race for the same nonce ("1010: stale").
    const previous = this.#queues.get(pair.address) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.#sendNow(tx, pair, what, retryAt));
    this.#queues.set(pair.address, run);
    try {
      return await run;
    } finally {
      if (this.#queues.get(pair.address) === run) this.#queues.delete(pair.address);
    }
  }

  async #sendNow(
    tx: SubmittableExtrinsic<'promise'>,
    pair: KeyringPair,
    what: string,
    retryAt?: RetryAtBlock,
  ): Promise<Inclusion> {
    const api = this.#api;
    const nonce = await api.rpc.system.accountNextIndex(pair.address);
    const included = await new Promise<{ result: SubmittableResult; blockHash: string }>(
      (resolve, reject) => {
        let unsubscribe: (() => void) | undefined;
        let settled = false;
        const finish = (action: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          unsubscribe?.();
          action();
        };
        const timer = setTimeout(
          () =>
            finish(() =>
              reject(
                new ChainError(`${what}: not included within ${(this.#timeoutMs / 1000).toFixed(0)} s`, {
                  hint: 'the node may not be producing blocks; check it and retry',
                }),
              ),
            ),
          this.#timeoutMs,
        );
        tx.signAndSend(pair, { nonce }, (result) => {
          const blockHash = inclusionBlockHash(result.status);
          if (blockHash !== undefined) finish(() => resolve({ result, blockHash }));
          else if (result.isError)
            finish(() => reject(new ChainError(`${what}: dropped by the node (${result.status.type})`)));
        })
          .then((unsub) => {
            unsubscribe = unsub;
            if (settled) unsub();
          })
          .catch((error: unknown) =>
            finish(() =>
              reject(
                new ChainError(
                  `${what}: rejected by the node: ${error instanceof Error ? error.message : String(error)}`,
                  {
                    cause: error,
                    hint: 'the transaction pool refused it (bad nonce, too little stake or balance, or an invalid call)',
                  },
                ),
              ),
            ),
          );
      },
    );
    const { result, blockHash } = included;
    const header = await api.rpc.chain.getHeader(blockHash);
    const block = header.number.toNumber();
    if (result.dispatchError !== undefined) {
      const chainError = dispatchErrorName(api, result.dispatchError);
      const retryAtBlock =
        retryAt === undefined ? undefined : await retryAt(chainError).catch(() => undefined);
      throw new ChainError(`${what} failed in block ${block}: ${chainError}`, {
        chainError,
        retryAtBlock,
        hint: retryAtBlock === undefined ? undefined : `retry at block ${retryAtBlock} or later`,
      });
    }
    return { block, txHash: tx.hash.toHex() };
  }
}
