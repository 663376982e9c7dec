import type { CliCommand } from '../cli-command.js';
import { walletCreateCommand } from './create.js';
import { walletListCommand } from './list.js';

/** `pretrain wallet <subcommand>`: btcli-compatible wallets. */
export const walletCommand: CliCommand = {
  command: 'wallet',
  describe: 'Create and list bittensor wallets (btcli format, ~/.bittensor/wallets)',
  subcommands: [walletCreateCommand, walletListCommand],
};
