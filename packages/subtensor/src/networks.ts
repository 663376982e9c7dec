import { UsageError } from '@pretrain/core';

/** Port the local devnet (`pretrain devnet up`) listens on unless told otherwise. */
export const DEVNET_DEFAULT_PORT = 9945;

/** The named networks and their WebSocket endpoints. */
export const NETWORKS: Readonly<Record<string, string>> = {
  finney: 'wss://entrypoint-finney.opentensor.ai:443',
  test: 'wss://test.finney.opentensor.ai:443',
  // bittensor's archive node: finney with every historical state kept.
  archive: 'wss://archive.chain.opentensor.ai:443',
  local: 'ws://127.0.0.1:9944',
  devnet: `ws://127.0.0.1:${DEVNET_DEFAULT_PORT}`,
};

/**
 * Turn a network name (`finney`, `test`, `archive`, `local`, `devnet`) or a `ws://` / `wss://` URL
 * into an endpoint URL.
 *
 * @throws UsageError for anything else.
 */
export function resolveNetwork(network: string): string {
  const name = network.toLowerCase();
  // Own keys only: `--network constructor` is an unknown network, not Object's constructor.
  if (Object.hasOwn(NETWORKS, name)) return NETWORKS[name] as string;
  if (/^wss?:\/\//i.test(network)) {
    try {
      return new URL(network).toString().replace(/\/$/, '');
    } catch (cause) {
      throw new UsageError(`network '${network}' is not a valid WebSocket URL`, {
        hint: 'write it as ws://host:port or wss://host:port',
        cause,
      });
    }
  }
  throw new UsageError(`unknown network '${network}'`, {
    hint: `use one of ${Object.keys(NETWORKS).join(', ')} or a ws:// / wss:// URL`,
  });
}
