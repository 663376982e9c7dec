/**
 * Identity of a miner's model: where it lives on the hub and what its bytes hash to.
 * Compressed on chain as `namespace:name:commit:hash[:competition_id]` (docs/SUBNET.md §2).
 */
export interface ModelId {
  /** Hugging Face user or organisation. */
  readonly namespace: string;
  /** Repository name. */
  readonly name: string;
  /** 40-hex git commit sha; absent for a model not uploaded yet. */
  readonly commit?: string | undefined;
  /** 44-char base64 sha256 directory hash (maybe hotkey-salted); absent locally. */
  readonly hash?: string | undefined;
  /** Competition of later subnet versions (5th field); absent in schema 2.2.2. */
  readonly competitionId?: string | undefined;
}

/** A {@link ModelId} as read from chain, with the block of its commitment. */
export interface ModelMetadata {
  /** The committed model. */
  readonly id: ModelId;
  /** Block at which the commitment was written: earlier = earlier claim. */
  readonly block: number;
}
