import type { Commitment } from '@pretrain/core';
import { checkHotkeyAddress } from '../../input/hotkey-address.js';
import { renderTable, writeJson } from '../../output/index.js';
import { defineCommand } from '../cli-command.js';
import { connectNetwork, READ_NETWORK_OPTIONS } from './connect-network.js';

/** `pretrain chain commitment --network <n> --netuid <u> [--hotkey <ss58>] [--json]`. */
export const chainCommitmentCommand = defineCommand({
  command: 'commitment',
  describe: "Print a hotkey's commitment (or every commitment of the subnet) with its block",
  builder: (yargs) =>
    yargs
      .option(READ_NETWORK_OPTIONS)
      .option('hotkey', { type: 'string', describe: 'hotkey SS58 address (default: all hotkeys)' })
      .option('json', { type: 'boolean', describe: 'print JSON' }),
  async run(args, context) {
    const { io, config } = context;
    if (args.hotkey !== undefined) checkHotkeyAddress(args.hotkey);
    const network = await connectNetwork(args, context);
    const { client } = network;
    try {
      let commitments: Commitment[];
      if (args.hotkey !== undefined) {
        const one = await client.commitment(config.netuid, args.hotkey);
        commitments = one === undefined ? [] : [one];
      } else {
        commitments = await client.commitments(config.netuid);
      }
      commitments.sort((a, b) => a.block - b.block || (a.hotkey < b.hotkey ? -1 : 1));
      if (args.json) {
        writeJson(
          io.stdout,
          commitments.map((c) => ({ hotkey: c.hotkey, block: c.block, data: c.data ?? null })),
        );
        return;
      }
      if (commitments.length === 0) {
        io.stdout.write(
          `no commitment${args.hotkey ? ` for ${args.hotkey}` : 's'} on netuid ${config.netuid}\n`,
        );
        return;
      }
      const rows = commitments.map((c) => [
        c.hotkey,
        String(c.block),
        c.data ?? '(not a readable Raw field: no metadata)',
      ]);
      io.stdout.write(
        renderTable([{ header: 'hotkey' }, { header: 'block', align: 'right' }, { header: 'data' }], rows),
      );
    } finally {
      await network.close();
    }
  },
});
