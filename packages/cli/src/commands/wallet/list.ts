import { defaultWalletPath, listWallets } from '@pretrain/subtensor';
import { escapeControl, writeJson } from '../../output/index.js';
import { defineCommand } from '../cli-command.js';

/** `pretrain wallet list [--wallet-path <dir>] [--json]`: wallets and hotkeys, public data only. */
export const walletListCommand = defineCommand({
  command: 'list',
  describe: 'List wallets with their coldkey and hotkey addresses',
  builder: (yargs) =>
    yargs
      .option('wallet-path', { type: 'string', describe: 'wallets directory (default ~/.bittensor/wallets)' })
      .option('json', { type: 'boolean', describe: 'print JSON' }),
  async run(args, { io, config }) {
    const path = args.walletPath ?? config.walletPath ?? defaultWalletPath();
    const wallets = await listWallets(path);
    if (args.json) {
      writeJson(io.stdout, { path, wallets });
      return;
    }
    if (wallets.length === 0) {
      io.stdout.write(`no wallets in ${path}\n`);
      return;
    }
    io.stdout.write(`${path}\n`);
    for (const wallet of wallets) {
      const coldkey =
        wallet.coldkeyAddress ??
        (wallet.coldkeyProblem === 'corrupt' ? '(coldkeypub.txt is corrupt)' : '(no coldkeypub.txt)');
      // Names and addresses are read from files: shown escaped, never interpreted.
      io.stdout.write(`${escapeControl(`${wallet.name}  coldkey ${coldkey}`)}\n`);
      for (const hotkey of wallet.hotkeys) {
        io.stdout.write(
          `${escapeControl(`  ${hotkey.name}  ${hotkey.address ?? '(encrypted or unreadable)'}`)}\n`,
        );
      }
    }
  },
});
