/**
 * Something that signs extrinsics as a hotkey (sr25519). Chain adapters accept the
 * signers their own wallet code creates; core only needs the address.
 */
export interface ChainSigner {
  /** SS58 address of the hotkey. */
  readonly address: string;
}

/** One registered neuron of a subnet, as far as subnet 9 uses it. */
export interface Neuron {
  /** Position of the neuron in the subnet (0-based). */
  readonly uid: number;
  /** SS58 hotkey. */
  readonly hotkey: string;
  /** SS58 coldkey owning the hotkey. */
  readonly coldkey: string;
  /** Stake in TAO (or alpha, per runtime) as a float; only compared, never summed on chain. */
  readonly stake: number;
  /** Whether the neuron may set weights (held by the top-stake validators). */
  readonly validatorPermit: boolean;
  /** Incentive share in [0, 1]. */
  readonly incentive: number;
  /** Block of the neuron's last weight update. */
  readonly lastUpdate: number;
  /** Weights this neuron set, as `[uid, u16]` pairs (empty for miners). */
  readonly weights: readonly (readonly [number, number])[];
}

/** A snapshot of a subnet. */
export interface Metagraph {
  /** The subnet this is a snapshot of. */
  readonly netuid: number;
  /** Block at which it was read. */
  readonly block: number;
  /** Indexed by uid: `neurons[i].uid === i`. */
  readonly neurons: readonly Neuron[];
}

/** A hotkey's commitment: the raw string (undefined when not decodable) and its block. */
export interface Commitment {
  /** SS58 hotkey that made the commitment. */
  readonly hotkey: string;
  /** The UTF-8 string of the first Raw field; undefined for non-Raw or non-UTF-8 data. */
  readonly data: string | undefined;
  /** Block at which it was committed. */
  readonly block: number;
}

/** Where an extrinsic landed. */
export interface Inclusion {
  /** Block that included it. */
  readonly block: number;
  /** Hash of the extrinsic, hex. */
  readonly txHash: string;
}

/**
 * The subnet-9 view of a Bittensor chain (implemented by `@pretrain/subtensor`).
 *
 * Every method rejects with a `ChainError` (runtime error name included when the chain
 * gives one) and never hangs past the client's timeout.
 */
export interface ChainClient {
  /** The best block number. */
  currentBlock(): Promise<number>;
  /** Hash (hex) of a block, for seeding deterministic sampling. */
  blockHash(block: number): Promise<string>;
  /** Neurons of `netuid` with stake, permits, weights and incentive. */
  metagraph(netuid: number): Promise<Metagraph>;
  /** The commitment of one hotkey on `netuid`, or undefined when it has none. */
  commitment(netuid: number, hotkey: string): Promise<Commitment | undefined>;
  /** Every commitment on `netuid`. */
  commitments(netuid: number): Promise<Commitment[]>;
  /** Write `data` (≤ 128 UTF-8 bytes) as the signer's commitment; resolves once included. */
  commit(netuid: number, signer: ChainSigner, data: string): Promise<Inclusion>;
  /**
   * Set weights as u16 values (already converted, see `toU16Weights`) with a version
   * key; resolves once included.
   */
  setWeights(
    netuid: number,
    signer: ChainSigner,
    weights: { readonly uids: readonly number[]; readonly values: readonly number[] },
    versionKey: number,
  ): Promise<Inclusion>;
  /** Whether `hotkey` holds a uid on `netuid`. */
  isRegistered(netuid: number, hotkey: string): Promise<boolean>;
  /** Close the connection; the client is unusable afterwards. */
  close(): Promise<void>;
}
