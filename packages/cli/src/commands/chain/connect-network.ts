import { UsageError } from '@pretrain/core';
import { connectSubtensor, type SubtensorClient } from '@pretrain/subtensor';
import type { PretrainConfig } from '../../config/index.js';
import { configuredEndpoint, NETWORK_OPTIONS } from '../push/chain-session.js';

/** `--network`, `--chain-endpoint`, `--netuid` and `--timeout` of the read-only chain commands. */
export const READ_NETWORK_OPTIONS = {
  ...NETWORK_OPTIONS,
  timeout: {
    type: 'number',
    default: 30,
    describe: 'seconds to wait for the node (connection and each read)',
  },
} as const;

/** Connect to the configured network (else the endpoint, else finney) with the `--timeout` limit. */
export async function connectNetwork(
  args: { readonly timeout: number },
  config: PretrainConfig,
): Promise<SubtensorClient> {
  if (!(args.timeout > 0)) {
    throw new UsageError(`--timeout ${args.timeout} is not a positive number of seconds`);
  }
  return connectSubtensor({ endpoint: configuredEndpoint(config), timeoutMs: args.timeout * 1000 });
}
