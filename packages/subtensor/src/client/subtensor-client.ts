import {
  ChainError,
  type ChainClient,
  type ChainSigner,
  type Commitment,
  type Inclusion,
  type Metagraph,
} from '@pretrain/core';
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { isKeypairSigner } from '../wallet/keypair-signer.js';
import { encodeCommitmentFields } from './commitment-codec.js';
import { readCommitment, readCommitments } from './commitment-reader.js';
import { connectApi } from './connect-api.js';
import { ExtrinsicSender } from './extrinsic-sender.js';
import { readMetagraph } from './metagraph-reader.js';
import { storageItem, toNumber } from './storage-access.js';
import { asChainError, withTimeout } from './with-timeout.js';

/** Options of {@link connectSubtensor}. */
export interface SubtensorClientOptions {
  /** WebSocket endpoint (see `resolveNetwork`). */
  readonly endpoint: string;
  /** Limit for connecting and for each read, in ms (default 30 000). */
  readonly timeoutMs?: number;
  /** Limit for an extrinsic to be included in a block, in ms (default 120 000). */
  readonly inclusionTimeoutMs?: number;
  /** Delay between reconnection attempts after the connection drops, in ms (default 1 000). */
  readonly reconnectDelayMs?: number;
}

/** Connect to a subtensor node; rejects with a `ChainError` within `timeoutMs` when it is down. */
export async function connectSubtensor(options: SubtensorClientOptions): Promise<SubtensorClient> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const { api, stopReconnecting } = await connectApi({
    endpoint: options.endpoint,
    timeoutMs,
    reconnectDelayMs: options.reconnectDelayMs ?? 1_000,
  });
  const client = new SubtensorClient(api, options.endpoint, timeoutMs, options.inclusionTimeoutMs ?? 120_000);
  client.onClose(stopReconnecting);
  return client;
}

/**
 * {@link ChainClient} over `@polkadot/api` for subtensor runtimes. Reads storage directly,
 * adapting to the names and key shapes the connected runtime's metadata declares.
 */
export class SubtensorClient implements ChainClient {
  /** The endpoint it talks to. */
  readonly endpoint: string;
  readonly #api: ApiPromise;
  readonly #timeoutMs: number;
  readonly #inclusionTimeoutMs: number;
  readonly #sender: ExtrinsicSender;
  #closed = false;
  readonly #onClose: (() => void)[] = [];

  /** Use {@link connectSubtensor}; this wraps an already connected `ApiPromise`. */
  constructor(api: ApiPromise, endpoint: string, timeoutMs: number, inclusionTimeoutMs: number) {
    this.#api = api;
    this.endpoint = endpoint;
    this.#timeoutMs = timeoutMs;
    this.#inclusionTimeoutMs = inclusionTimeoutMs;
    this.#sender = new ExtrinsicSender(api, inclusionTimeoutMs);
  }

  /** The underlying polkadot.js API, for queries this interface does not cover. */
  get api(): ApiPromise {
    return this.#api;
  }

  async currentBlock(): Promise<number> {
    return this.#read('reading the best block', async () =>
      (await this.#api.rpc.chain.getHeader()).number.toNumber(),
    );
  }

  async blockHash(block: number): Promise<string> {
    return this.#read(`reading the hash of block ${block}`, async () => {
      const hash = (await this.#api.rpc.chain.getBlockHash(block)).toHex();
      if (/^0x0+$/.test(hash)) throw new ChainError(`block ${block} does not exist yet on ${this.endpoint}`);
      return hash;
    });
  }

  async metagraph(netuid: number): Promise<Metagraph> {
    return this.#read(`reading the metagraph of netuid ${netuid}`, () => readMetagraph(this.#api, netuid));
  }

  async commitment(netuid: number, hotkey: string): Promise<Commitment | undefined> {
    return this.#read(`reading the commitment of ${hotkey} on netuid ${netuid}`, () =>
      readCommitment(this.#api, netuid, hotkey),
    );
  }

  async commitments(netuid: number): Promise<Commitment[]> {
    return this.#read(`reading the commitments of netuid ${netuid}`, () =>
      readCommitments(this.#api, netuid),
    );
  }

  async commit(netuid: number, signer: ChainSigner, data: string): Promise<Inclusion> {
    const pair = this.#pairOf(signer);
    const fields = encodeCommitmentFields(data);
    return this.#write(`commitment of ${signer.address} on netuid ${netuid}`, (what) =>
      this.#sender.send(this.#api.tx.commitments!.setCommitment!(netuid, fields), pair, what, async (name) =>
        name.endsWith('CommitmentSetRateLimitExceeded')
          ? this.#commitRetryBlock(netuid, signer.address)
          : undefined,
      ),
    );
  }

  async setWeights(
    netuid: number,
    signer: ChainSigner,
    weights: { readonly uids: readonly number[]; readonly values: readonly number[] },
    versionKey: number,
  ): Promise<Inclusion> {
    const pair = this.#pairOf(signer);
    checkU16Weights(weights);
    return this.#write(`setting weights of ${signer.address} on netuid ${netuid}`, (what) =>
      this.#sender.send(
        this.#api.tx.subtensorModule!.setWeights!(netuid, [...weights.uids], [...weights.values], versionKey),
        pair,
        what,
        async (name) =>
          name.endsWith('SettingWeightsTooFast')
            ? this.#weightsRetryBlock(netuid, signer.address)
            : undefined,
      ),
    );
  }

  async isRegistered(netuid: number, hotkey: string): Promise<boolean> {
    return this.#read(`checking the registration of ${hotkey} on netuid ${netuid}`, async () => {
      const uids = storageItem(this.#api, 'subtensorModule', 'uids');
      if (uids === undefined) throw new ChainError('this runtime has no SubtensorModule.Uids storage');
      return !(await uids(netuid, hotkey)).isEmpty;
    });
  }

  /** Netuids of the subnets that exist, ascending (not part of `ChainClient`). */
  async listSubnets(): Promise<number[]> {
    return this.#read('listing the subnets', async () => {
      const added = storageItem(this.#api, 'subtensorModule', 'networksAdded');
      if (added === undefined)
        throw new ChainError('this runtime has no SubtensorModule.NetworksAdded storage');
      const entries = await added.entries();
      return entries
        .filter(([, value]) => value.toPrimitive() === true)
        .map(([key]) => toNumber(key.args[0]))
        .sort((a, b) => a - b);
    });
  }

  /** Run `hook` when the client closes, before the connection is dropped. */
  onClose(hook: () => void): void {
    this.#onClose.push(hook);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const hook of this.#onClose) hook();
    await this.#api.disconnect().catch(() => undefined);
  }

  /** The rate limit ends `RateLimit` blocks after the hotkey's last commitment. */
  async #commitRetryBlock(netuid: number, hotkey: string): Promise<number | undefined> {
    const limitConst = this.#api.consts.commitments?.rateLimit;
    const limitStorage = storageItem(this.#api, 'commitments', 'rateLimit');
    const limit =
      limitConst !== undefined
        ? toNumber(limitConst)
        : limitStorage
          ? toNumber(await limitStorage())
          : undefined;
    const last = storageItem(this.#api, 'commitments', 'lastCommitment');
    if (limit === undefined || last === undefined) return undefined;
    return toNumber(await last(netuid, hotkey)) + limit;
  }

  /** Weights may be set again `WeightsSetRateLimit` blocks after the uid's last update. */
  async #weightsRetryBlock(netuid: number, hotkey: string): Promise<number | undefined> {
    const uids = storageItem(this.#api, 'subtensorModule', 'uids');
    const limit = storageItem(this.#api, 'subtensorModule', 'weightsSetRateLimit');
    const lastUpdate = storageItem(this.#api, 'subtensorModule', 'lastUpdate');
    if (uids === undefined || limit === undefined || lastUpdate === undefined) return undefined;
    const uid = (await uids(netuid, hotkey)).toPrimitive();
    const updates = (await lastUpdate(netuid)).toPrimitive();
    if (typeof uid !== 'number' || !Array.isArray(updates)) return undefined;
    return Number(updates[uid] ?? 0) + toNumber(await limit(netuid));
  }

  #pairOf(signer: ChainSigner): KeyringPair {
    if (!isKeypairSigner(signer)) {
      throw new ChainError(`signer ${signer.address} was not loaded by @pretrain/subtensor and cannot sign`, {
        hint: 'load the hotkey with loadHotkey() (or `--wallet/--hotkey` on the command line)',
      });
    }
    return signer.pair;
  }

  async #read<T>(what: string, work: () => Promise<T>): Promise<T> {
    this.#checkOpen();
    try {
      return await withTimeout(work(), this.#timeoutMs, what);
    } catch (error) {
      throw asChainError(error, what, this.endpoint);
    }
  }

  async #write(what: string, work: (what: string) => Promise<Inclusion>): Promise<Inclusion> {
    this.#checkOpen();
    try {
      // The sender has its own inclusion limit; this one also bounds the nonce query.
      return await withTimeout(work(what), this.#inclusionTimeoutMs + this.#timeoutMs, what);
    } catch (error) {
      throw asChainError(error, what, this.endpoint);
    }
  }

  #checkOpen(): void {
    if (this.#closed)
      throw new ChainError(`the client of ${this.endpoint} is closed`, { hint: 'connect again' });
  }
}

function checkU16Weights(weights: {
  readonly uids: readonly number[];
  readonly values: readonly number[];
}): void {
  if (weights.uids.length !== weights.values.length) {
    throw new ChainError(`weights have ${weights.uids.length} uids but ${weights.values.length} values`, {
      hint: 'convert them with toU16Weights() first',
    });
  }
  const isU16 = (v: number) => Number.isInteger(v) && v >= 0 && v <= 65535;
  const bad = [...weights.uids, ...weights.values].find((v) => !isU16(v));
  if (bad !== undefined) {
    throw new ChainError(`weights hold ${bad}, which is not a u16 (0..65535)`, {
      hint: 'convert them with toU16Weights() first',
    });
  }
}
