import type { CliCommand } from '../cli-command.js';
import { chainCommitmentCommand } from './commitment.js';
import { chainMetagraphCommand } from './metagraph.js';

/** `pretrain chain <subcommand>`: read-only inspection of any subtensor network. */
export const chainCommand: CliCommand = {
  command: 'chain',
  describe: 'Inspect a subtensor network: metagraph and commitments (read-only)',
  subcommands: [chainMetagraphCommand, chainCommitmentCommand],
};
