import { TOKENS, UsageError, type ChainClient } from '@pretrain/core';
import type { CommandContext } from '../cli-command.js';
import { composeCommand } from '../../compose/index.js';
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

/** A chain client of the read commands, and how to close it. */
export interface ReadNetwork {
  readonly client: ChainClient;
  /** The endpoint the configured network resolves to, for the report. */
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Connect through the composition root's chain plugin (the configured network, else the
 * endpoint, else finney) with the `--timeout` limit.
 */
export async function connectNetwork(
  args: { readonly timeout: number },
  context: CommandContext,
): Promise<ReadNetwork> {
  if (!(args.timeout > 0)) {
    throw new UsageError(`--timeout ${args.timeout} is not a positive number of seconds`);
  }
  const container = composeCommand(context, { chainOptions: { timeoutMs: Math.round(args.timeout * 1000) } });
  try {
    const client = await container.resolve(TOKENS.ChainClient);
    return { client, endpoint: configuredEndpoint(context.config), close: () => container.dispose() };
  } catch (error) {
    await container.dispose();
    throw error;
  }
}
