import { createHash } from 'node:crypto';
import type {
  ChainClient,
  ChainSigner,
  Commitment,
  Inclusion,
  Metagraph,
  Neuron,
} from '../../contracts/index.js';
import { ChainError } from '../../errors/index.js';

/** A neuron as {@link MemoryChain.register} creates it. */
export interface MemoryNeuronOptions {
  readonly coldkey?: string;
  readonly stake?: number;
  readonly validatorPermit?: boolean;
}

/**
 * An in-memory {@link ChainClient} for fast validator tests. It passes the same
 * `describeChainClientContract` suite the subtensor client runs against the devnet.
 * Each extrinsic lands in a new block; {@link advance} moves time on.
 */
export class MemoryChain implements ChainClient {
  private block = 1;
  private closed = false;
  private readonly neurons: {
    hotkey: string;
    coldkey: string;
    stake: number;
    validatorPermit: boolean;
    lastUpdate: number;
    weights: [number, number][];
  }[] = [];
  private readonly commits = new Map<string, { data: string; block: number }>();
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

  constructor(readonly netuid = 9) {}

  /** Register `hotkey` on the next free uid and return it. */
  register(hotkey: string, options: MemoryNeuronOptions = {}): number {
    this.neurons.push({
      hotkey,
      coldkey: options.coldkey ?? `cold-${hotkey}`,
      stake: options.stake ?? 0,
      validatorPermit: options.validatorPermit ?? false,
      lastUpdate: 0,
      weights: [],
    });
    return this.neurons.length - 1;
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
      incentive: 0,
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
    this.block++;
    this.commits.set(signer.address, { data, block: this.block });
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
    this.block++;
    neuron.weights = weights.uids.map((uid, i) => [uid, weights.values[i] ?? 0]);
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

  /** Write a commitment directly (e.g. non-UTF-8 data as undefined) at the current block. */
  setRawCommitment(hotkey: string, data: string | undefined): void {
    if (data === undefined) this.commits.delete(hotkey);
    else this.commits.set(hotkey, { data, block: this.block });
  }

  private inclusion(): Inclusion {
    return {
      block: this.block,
      txHash: `0x${createHash('sha256').update(`tx-${this.block}`).digest('hex')}`,
    };
  }

  private neuronOf(signer: ChainSigner) {
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
