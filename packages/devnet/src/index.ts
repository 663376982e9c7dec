/**
 * @pretrain/devnet: a local Bittensor devnet running the real subtensor runtime in
 * chopsticks, with a subnet, funded dev wallets and validator permits. The pinned chain
 * spec ships inside this package, so it starts offline.
 */
export * from './chain-spec.js';
export * from './start-devnet.js';
export type { DevnetRole } from './devnet-keys.js';
export type { StorageWrites } from './subnet-setup.js';
