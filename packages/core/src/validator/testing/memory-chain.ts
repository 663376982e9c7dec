import { createHash } from 'node:crypto';
import type {
  ChainClient,
  ChainSigner,
  Commitment,
  Inclusion,
  Metagraph,
  Neuron,
} from '../../contracts/index.js';
import { ChainError } from '@pretrain/backend-sdk';

/** A neuron as {@link MemoryChain.register} creates it. */
export interface MemoryNeuronOptions {
  readonly coldkey?: string;
  readonly stake?: number;
  readonly validatorPermit?: boolean;
  /** The neuron's incentive in the metagraph (default 0), e.g. to name the best miner. */
  readonly incentive?: number;
}

/** Options of a {@link MemoryChain}. */
export interface MemoryChainOptions {
  /** Blocks between two commitments of one hotkey; 0 (default) for no limit. */
  readonly commitmentRateLimit?: number;
}

/**
 * An in-memory {@link ChainClient} for fast validator tests. It passes the
 * `describeChainClientContract` suite of `@pretrain/subtensor`, which the subtensor
 * client runs against a devnet of the real runtime. Each extrinsic lands in a new
 * block; {@link advance} moves time on. Only signers from {@link signerFor} can sign.
 */
export class MemoryChain implements ChainClient {
  private block = 1;
  private closed = false;
  private readonly signers = new WeakSet<ChainSigner>();
  private readonly lastCommit = new Map<string, number>();
  private readonly commitmentRateLimit: number;
  private readonly neurons: {
    hotkey: string;
    coldkey: string;
    stake: number;
    validatorPermit: boolean;
    incentive: number;
    lastUpdate: number;
    weights: [number, number][];
  }[] = [];
  private readonly commits = new Map<string, { data: string | undefined; block: number }>();
  /** Calls that will fail with a `ChainError` before the chain answers again. */
  failures = 0;
  /** Every set_weights that landed, oldest first. */
  readonly weightHistory: {
    hotkey: string;
    block: number;
    uids: number[];
    values: number[];
    versionKey: number;
  }[] = [];

  constructor(
    readonly netuid = 9,
    options: MemoryChainOptions = {},
  ) {
    this.commitmentRateLimit = options.commitmentRateLimit ?? 0;
  }

  /** A signer for `hotkey` that this chain accepts (like a keypair from a wallet). */
  signerFor(hotkey: string): ChainSigner {
    const signer = Object.freeze({ address: hotkey });
    this.signers.add(signer);
    return signer;
  }

  /** Let `hotkey` commit again at once. */
  resetCommitmentRateLimit(hotkey: string): void {
    this.lastCommit.delete(hotkey);
  }

  /** Register `hotkey` on the next free uid and return it. */
  register(hotkey: string, options: MemoryNeuronOptions = {}): number {
    this.neurons.push({
      hotkey,
      coldkey: options.coldkey ?? `cold-${hotkey}`,
      stake: options.stake ?? 0,
      validatorPermit: options.validatorPermit ?? false,
      incentive: options.incentive ?? 0,
      lastUpdate: 0,
      weights: [],
    });
    return this.neurons.length - 1;
  }

  /** Give `uid` to a new `hotkey` (deregistration and a new registration in one). */
  replace(uid: number, hotkey: string, options: MemoryNeuronOptions = {}): void {
    const neuron = this.neurons[uid];
    if (neuron === undefined) throw new ChainError(`uid ${uid} does not exist`);
    Object.assign(neuron, {
      hotkey,
      coldkey: options.coldkey ?? `cold-${hotkey}`,
      stake: options.stake ?? 0,
      validatorPermit: options.validatorPermit ?? false,
      incentive: options.incentive ?? 0,
      lastUpdate: 0,
      weights: [],
    });
  }

  /** Produce `blocks` empty blocks. */
  advance(blocks: number): void {
    this.block += blocks;
  }

  async currentBlock(): Promise<number> {
    this.check();
    return this.block;
  }

  async blockHash(block: number): Promise<string> {
    this.check();
    if (!Number.isInteger(block) || block < 0 || block > this.block)
      throw new ChainError(`block ${block} does not exist yet`);
    return `0x${createHash('sha256').update(`memory-chain-block-${block}`).digest('hex')}`;
  }

  async metagraph(netuid: number): Promise<Metagraph> {
    this.check(netuid);
    const neurons: Neuron[] = this.neurons.map((n, uid) => ({
      uid,
      hotkey: n.hotkey,
      coldkey: n.coldkey,
      stake: n.stake,
      validatorPermit: n.validatorPermit,
      incentive: n.incentive,
      lastUpdate: n.lastUpdate,
      weights: n.weights.map(([u, w]) => [u, w] as const),
    }));
    return { netuid, block: this.block, neurons };
  }

  async commitment(netuid: number, hotkey: string): Promise<Commitment | undefined> {
    this.check(netuid);
    const found = this.commits.get(hotkey);
    return found === undefined ? undefined : { hotkey, ...found };
  }

  async commitments(netuid: number): Promise<Commitment[]> {
    this.check(netuid);
    return [...this.commits].map(([hotkey, c]) => ({ hotkey, ...c }));
  }

  async commit(netuid: number, signer: ChainSigner, data: string): Promise<Inclusion> {
    this.check(netuid);
    this.neuronOf(signer);
    if (Buffer.byteLength(data, 'utf8') > 128)
      throw new ChainError(`commitment of ${Buffer.byteLength(data)} bytes exceeds 128`);
    const last = this.lastCommit.get(signer.address);
    if (last !== undefined && this.block + 1 < last + this.commitmentRateLimit) {
      const retryAtBlock = last + this.commitmentRateLimit;
      throw new ChainError(
        `${signer.address} committed at block ${last}; it may commit again at block ${retryAtBlock}`,
        {
          chainError: 'commitments.CommitmentSetRateLimitExceeded',
          retryAtBlock,
        },
      );
    }
    this.block++;
    this.commits.set(signer.address, { data, block: this.block });
    this.lastCommit.set(signer.address, this.block);
    return this.inclusion();
  }

  async setWeights(
    netuid: number,
    signer: ChainSigner,
    weights: { readonly uids: readonly number[]; readonly values: readonly number[] },
    versionKey: number,
  ): Promise<Inclusion> {
    this.check(netuid);
    const neuron = this.neuronOf(signer);
    const { uids, values } = weights;
    const isU16 = (v: number) => Number.isInteger(v) && v >= 0 && v <= 65535;
    if (
      uids.length !== values.length ||
      !values.every(isU16) ||
      !uids.every((u) => u < this.neurons.length)
    ) {
      throw new ChainError(`weights must pair existing uids with u16 values, got [${uids}] → [${values}]`);
    }
    this.block++;
    neuron.weights = uids.map((uid, i): [number, number] => [uid, values[i]!]).sort((a, b) => a[0] - b[0]);
    neuron.lastUpdate = this.block;
    this.weightHistory.push({
      hotkey: signer.address,
      block: this.block,
      uids: [...weights.uids],
      values: [...weights.values],
      versionKey,
    });
    return this.inclusion();
  }

  async isRegistered(netuid: number, hotkey: string): Promise<boolean> {
    this.check(netuid);
    return this.neurons.some((n) => n.hotkey === hotkey);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Write a commitment directly at the current block, bypassing every check. */
  setRawCommitment(hotkey: string, data: string | undefined): void {
    this.commits.set(hotkey, { data, block: this.block });
  }

  /**
   * Write a commitment as the runtime's `Data` fields in JSON form (`{ Raw5: '0x…' }`):
   * it reads back as text only when the first field is Raw and valid UTF-8.
   */
  writeRawCommitment(hotkey: string, fields: readonly Record<string, string>[]): void {
    const [kind, hex] = Object.entries(fields[0] ?? {})[0] ?? [];
    let data: string | undefined;
    if (kind !== undefined && /^Raw\d+$/.test(kind) && hex !== undefined) {
      try {
        data = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(hex.replace(/^0x/, ''), 'hex'));
      } catch {
        data = undefined;
      }
    }
    this.setRawCommitment(hotkey, data);
  }

  private inclusion(): Inclusion {
    return {
      block: this.block,
      txHash: `0x${createHash('sha256').update(`tx-${this.block}`).digest('hex')}`,
    };
  }

  private neuronOf(signer: ChainSigner) {
    if (!this.signers.has(signer))
      throw new ChainError(`cannot sign as ${signer.address}: not a signer of this chain`);
    const neuron = this.neurons.find((n) => n.hotkey === signer.address);
    if (neuron === undefined)
      throw new ChainError(`hotkey ${signer.address} is not registered`, {
        chainError: 'SubtensorModule.HotKeyNotRegisteredInSubNet',
      });
    return neuron;
  }

  private check(netuid?: number): void {
    if (this.closed) throw new ChainError('the chain client is closed');
    if (this.failures > 0) {
      this.failures--;
      throw new ChainError('simulated transport failure');
    }
    if (netuid !== undefined && netuid !== this.netuid)
      throw new ChainError(`subnet ${netuid} does not exist`);
  }
}
