import { defineChainPlugin, PORT_PLUGIN_API_VERSION, z } from '@pretrain/core';
import { resolveNetwork } from '../networks.js';
import { connectSubtensor } from './subtensor-client.js';

/**
 * The default chain plugin: a {@link SubtensorClient} connected to `location`, a network
 * name (`finney`, `test`, `local`, `devnet`) or a `ws(s)://` endpoint (default finney).
 */
export const subtensorChainPlugin = defineChainPlugin({
  meta: { name: 'subtensor', version: '0.1.0', apiVersion: PORT_PLUGIN_API_VERSION },
  options: z.object({
    timeoutMs: z.int().min(100).optional().describe('connection and query time limit in ms (default 30000)'),
  }),
  async create({ location, timeoutMs }) {
    return connectSubtensor({
      endpoint: resolveNetwork(location ?? 'finney'),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  },
});
