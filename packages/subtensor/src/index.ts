/**
 * @pretrain/subtensor: the `ChainClient` over @polkadot/api and btcli-compatible wallets.
 * The local devnet is `@pretrain/devnet`.
 */
export * from './networks.js';
export * from './client/subtensor-client.js';
export * from './client/subtensor-chain-plugin.js';
export {
  decodeCommitment,
  encodeCommitmentFields,
  MAX_RAW_COMMITMENT_BYTES,
} from './client/commitment-codec.js';
export * from './wallet/keypair-signer.js';
export * from './wallet/wallet-store.js';
export type { PasswordSource } from './wallet/read-keyfile.js';
export {
  BITTENSOR_SS58_FORMAT,
  detectKeyfileFormat,
  KEYFILE_FORMAT_NAMES,
  type KeyfileFormat,
  type KeyfileJson,
} from './wallet/keyfile-format.js';
export { ExtrinsicSender, dispatchErrorName, type RetryAtBlock } from './client/extrinsic-sender.js';
export { toNumber as storageNumber } from './client/storage-access.js';
