import type { ChainClient, ChainSigner, Logger } from '@pretrain/core';

/** The chain side of the demo: a connected client, a subnet and its registered hotkeys. */
export interface DemoChain {
  readonly chain: ChainClient;
  readonly netuid: number;
  /** Where the chain listens (shown to the user). */
  readonly endpoint: string;
  /** The validator's hotkey: registered, staked, with a validator permit. */
  readonly validator: ChainSigner;
  /** Registered miner hotkeys. */
  readonly miners: readonly ChainSigner[];
  /** Close the client and stop the chain; idempotent. */
  stop(): Promise<void>;
}

/** Starts the chain of a demo with `miners` miner hotkeys (the devnet by default). */
export type DemoChainStarter = (options: {
  readonly miners: number;
  readonly logger: Logger;
}) => Promise<DemoChain>;
