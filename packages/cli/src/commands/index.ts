import type { CliCommand } from './cli-command.js';
import { backendsCommand } from './backends/index.js';
import { chainCommand } from './chain/index.js';
import { configCommand } from './config.js';
import { dashboardCommand } from './dashboard.js';
import { devnetCommand } from './devnet/index.js';
import { downloadCommand } from './download/index.js';
import { conformanceCommand } from './conformance/index.js';
import { evalCommand } from './eval/index.js';
import { modelCommand } from './model/index.js';
import { pushCommand } from './push/index.js';
import { scoreCommand } from './score/index.js';
import { trainCommand } from './train/index.js';
import { validateCommand } from './validate.js';
import { walletCommand } from './wallet/index.js';

export type { CliCommand, CommandContext, GlobalArgs } from './cli-command.js';
export { defineCommand } from './cli-command.js';

/**
 * Every top-level command of `pretrain`, in `--help` order. To add a command group, write
 * `src/commands/<group>.ts` (or `src/commands/<group>/index.ts`) exporting
 * `export const <group>Command = defineCommand({...})`, import it here and append it.
 */
export const commands: readonly CliCommand[] = [
  validateCommand,
  dashboardCommand,
  pushCommand,
  downloadCommand,
  backendsCommand,
  modelCommand,
  scoreCommand,
  evalCommand,
  trainCommand,
  conformanceCommand,
  chainCommand,
  walletCommand,
  devnetCommand,
  configCommand,
];
