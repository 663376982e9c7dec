import type { CliCommand } from '../cli-command.js';
import { devnetDemoCommand } from '../demo.js';
import { devnetStatusCommand } from './status.js';
import { devnetUpCommand } from './up.js';

/** `pretrain devnet <subcommand>`: a local chain running the real subtensor runtime. */
export const devnetCommand: CliCommand = {
  command: 'devnet',
  describe: 'Run a local devnet of the real subtensor runtime (chopsticks) and inspect it',
  subcommands: [devnetDemoCommand, devnetUpCommand, devnetStatusCommand],
};
