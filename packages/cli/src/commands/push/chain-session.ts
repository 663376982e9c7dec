import { TOKENS, UsageError, type ChainClient, type ChainSigner, type Container } from '@pretrain/core';
import { loadHotkey, resolveNetwork } from '@pretrain/subtensor';
import type { CliIo } from '../../cli-io.js';
import type { PretrainConfig } from '../../config/index.js';
import { DEFAULT_PASSWORD_ENV, readPassword } from '../wallet/password.js';

/** `--network` and `--netuid`, shared by the commands that read the chain. */
export const NETWORK_OPTIONS = {
  network: {
    type: 'string',
    describe:
      'finney | test | archive | local | devnet | a ws:// or wss:// endpoint (PRETRAIN_NETWORK, BT_SUBTENSOR_NETWORK; default: --chain-endpoint, else finney)',
  },
  'chain-endpoint': { type: 'string', describe: 'subtensor WebSocket endpoint (PRETRAIN_CHAIN_ENDPOINT)' },
  netuid: { type: 'number', describe: 'subnet id (default 9)' },
} as const;

/** `--wallet`, `--hotkey` and `--wallet-path` (btcli's wallet layout), plus the network options. */
export const CHAIN_OPTIONS = {
  ...NETWORK_OPTIONS,
  'wallet-name': { alias: 'wallet', type: 'string', describe: 'wallet (coldkey) name' },
  'wallet-hotkey': { alias: 'hotkey', type: 'string', describe: 'hotkey name inside the wallet' },
  'wallet-path': { type: 'string', describe: 'wallets directory (default ~/.bittensor/wallets)' },
} as const;

/**
 * The endpoint every chain command connects to: the configured `network` (flag, env or
 * file), else `chainEndpoint`, else finney. {@link loadConfig} already dropped whichever of
 * the two came from the weaker source.
 */
export function configuredEndpoint(config: PretrainConfig): string {
  if (config.network !== undefined) return resolveNetwork(config.network);
  return config.chainEndpoint ?? resolveNetwork('finney');
}

/** A chain connection and, when asked for, the hotkey that signs. */
export interface ChainSession {
  readonly chain: ChainClient;
  readonly signer: ChainSigner | undefined;
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Connect to the network of `--network` (or the configured endpoint) through the
 * container's `ChainClient` (the configured chain plugin), and load the configured hotkey
 * when `signer` is asked for. The hotkey is loaded first, so a wallet mistake is reported
 * before any connection is made. An encrypted hotkey is decrypted with
 * `PRETRAIN_WALLET_PASSWORD`, else a password prompt.
 */
export async function openChainSession(
  config: PretrainConfig,
  want: { readonly signer: boolean; readonly io: CliIo },
  container: Container,
): Promise<ChainSession> {
  let signer: ChainSigner | undefined;
  if (want.signer) {
    if (config.walletName === undefined || config.walletHotkey === undefined) {
      throw new UsageError('this command signs with a hotkey, but no wallet or hotkey is set', {
        hint: 'pass --wallet <name> --hotkey <name> (or set PRETRAIN_WALLET_NAME and PRETRAIN_WALLET_HOTKEY)',
      });
    }
    signer = await loadHotkey({
      wallet: config.walletName,
      hotkey: config.walletHotkey,
      path: config.walletPath,
      // Asked only when the hotkey file turns out to be encrypted.
      password: () =>
        readPassword(want.io, DEFAULT_PASSWORD_ENV, `Password for hotkey ${config.walletHotkey as string}: `),
    });
  }
  const endpoint = configuredEndpoint(config);
  const chain = await container.resolve(TOKENS.ChainClient);
  return { chain, signer, endpoint, close: () => chain.close() };
}
