/**
 * @pretrain/subtensor: the `ChainClient` over @polkadot/api, btcli-compatible wallets and
 * a local devnet running the real subtensor runtime in chopsticks.
 */
export * from './networks.js';
export * from './client/subtensor-client.js';
export {
  decodeCommitment,
  encodeCommitmentFields,
  MAX_RAW_COMMITMENT_BYTES,
} from './client/commitment-codec.js';
export * from './wallet/keypair-signer.js';
export * from './wallet/wallet-store.js';
export type { PasswordSource } from './wallet/read-keyfile.js';
export {
  detectKeyfileFormat,
  KEYFILE_FORMAT_NAMES,
  type KeyfileFormat,
  type KeyfileJson,
} from './wallet/keyfile-format.js';
export * from './devnet/chain-spec.js';
export * from './devnet/start-devnet.js';
export type { DevnetRole } from './devnet/devnet-keys.js';
export type { StorageWrites } from './devnet/subnet-setup.js';
