import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '@pretrain/core';
import type { DevnetWallet } from '@pretrain/devnet';
import { connectSubtensor, resolveNetwork } from '@pretrain/subtensor';
import { renderTable, writeJson } from '../../output/index.js';
import { defineCommand } from '../cli-command.js';

/** What `devnet up` wrote into its data dir. */
interface DevnetInfo {
  readonly endpoint: string;
  readonly netuid: number;
  readonly wallets: readonly DevnetWallet[];
}

async function readDevnetInfo(dataDir: string): Promise<DevnetInfo> {
  const file = join(dataDir, 'devnet.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as DevnetInfo;
  } catch (cause) {
    throw new UsageError(`no devnet found in ${dataDir} (cannot read ${file})`, {
      cause,
      hint: 'pass the --data-dir given to `pretrain devnet up`',
    });
  }
}

/** `pretrain devnet status [--network devnet] [--data-dir D] [--netuid u] [--json]`. */
export const devnetStatusCommand = defineCommand({
  command: 'status',
  describe: "Show a devnet's block, its subnets and each hotkey's uid and commitment",
  builder: (yargs) =>
    yargs
      .option('network', {
        type: 'string',
        describe: "endpoint or network name (default: the data dir's, else devnet)",
      })
      .option('data-dir', { type: 'string', describe: 'data dir of `devnet up`: names the wallets' })
      .option('netuid', { type: 'number', describe: "subnet to show (default: the data dir's, else 9)" })
      .option('json', { type: 'boolean', describe: 'print JSON' }),
  async run(args, { io, config }) {
    const info = args.dataDir === undefined ? undefined : await readDevnetInfo(resolve(io.cwd, args.dataDir));
    const endpoint =
      args.network !== undefined
        ? resolveNetwork(args.network)
        : (info?.endpoint ?? resolveNetwork('devnet'));
    const netuid = args.netuid ?? info?.netuid ?? config.netuid;
    const client = await connectSubtensor({ endpoint, timeoutMs: 10_000 });
    try {
      const [block, subnets, metagraph, commitments] = await Promise.all([
        client.currentBlock(),
        client.listSubnets(),
        client.metagraph(netuid),
        client.commitments(netuid),
      ]);
      const names = new Map(info?.wallets.map((w) => [w.hotkeyAddress, w.wallet]) ?? []);
      const byHotkey = new Map(commitments.map((c) => [c.hotkey, c]));
      const neurons = metagraph.neurons.map((n) => ({
        uid: n.uid,
        wallet: names.get(n.hotkey) ?? null,
        hotkey: n.hotkey,
        validatorPermit: n.validatorPermit,
        commitment: byHotkey.get(n.hotkey)?.data ?? null,
        commitmentBlock: byHotkey.get(n.hotkey)?.block ?? null,
      }));
      if (args.json) {
        writeJson(io.stdout, { endpoint, block, subnets, netuid, neurons });
        return;
      }
      io.stdout.write(`${endpoint}: block ${block}; subnets ${subnets.join(', ')}\nnetuid ${netuid}:\n`);
      const rows = neurons.map((n) => [
        String(n.uid),
        n.wallet ?? '',
        n.hotkey,
        n.validatorPermit ? 'yes' : '',
        n.commitment === null ? '-' : `${n.commitment} (block ${n.commitmentBlock})`,
      ]);
      io.stdout.write(
        renderTable(
          [
            { header: 'uid', align: 'right' },
            { header: 'wallet' },
            { header: 'hotkey' },
            { header: 'permit' },
            { header: 'commitment' },
          ],
          rows,
        ),
      );
    } finally {
      await client.close();
    }
  },
});
