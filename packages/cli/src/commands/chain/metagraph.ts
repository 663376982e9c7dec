import { renderTable, writeJson } from '../../output/index.js';
import { defineCommand } from '../cli-command.js';
import { connectNetwork, READ_NETWORK_OPTIONS } from './connect-network.js';

const short = (address: string) =>
  address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;

/** `pretrain chain metagraph --network <n> --netuid <u> [--json]`. */
export const chainMetagraphCommand = defineCommand({
  command: 'metagraph',
  describe: 'Print the neurons of a subnet: uid, keys, stake, permit, incentive, weights',
  builder: (yargs) =>
    yargs.option(READ_NETWORK_OPTIONS).option('json', { type: 'boolean', describe: 'print JSON' }),
  async run(args, context) {
    const { io, config } = context;
    const network = await connectNetwork(args, context);
    const { client } = network;
    try {
      const metagraph = await client.metagraph(config.netuid);
      if (args.json) {
        writeJson(io.stdout, { endpoint: network.endpoint, ...metagraph });
        return;
      }
      io.stdout.write(
        `netuid ${metagraph.netuid} at block ${metagraph.block} on ${network.endpoint}: ${metagraph.neurons.length} neurons\n`,
      );
      const rows = metagraph.neurons.map((n) => [
        String(n.uid),
        n.hotkey,
        short(n.coldkey),
        n.stake.toFixed(3),
        n.validatorPermit ? 'yes' : '',
        n.incentive.toFixed(4),
        String(n.lastUpdate),
        String(n.weights.length),
      ]);
      io.stdout.write(
        renderTable(
          [
            { header: 'uid', align: 'right' },
            { header: 'hotkey' },
            { header: 'coldkey' },
            { header: 'stake', align: 'right' },
            { header: 'permit' },
            { header: 'incentive', align: 'right' },
            { header: 'last update', align: 'right' },
            { header: 'weights', align: 'right' },
          ],
          rows,
        ),
      );
    } finally {
      await network.close();
    }
  },
});
