import type { CliCommand } from './cli-command.js';
import { backendsCommand } from './backends/index.js';
import { configCommand } from './config.js';
import { conformanceCommand } from './conformance/index.js';
import { evalCommand } from './eval/index.js';
import { modelCommand } from './model/index.js';
import { scoreCommand } from './score/index.js';
import { validateCommand } from './validate.js';

export type { CliCommand, CommandContext, GlobalArgs } from './cli-command.js';
export { defineCommand } from './cli-command.js';

/**
 * Every top-level command of `pretrain`, in `--help` order. To add a command group, write
 * `src/commands/<group>.ts` (or `src/commands/<group>/index.ts`) exporting
 * `export const <group>Command = defineCommand({...})`, import it here and append it.
 */
export const commands: readonly CliCommand[] = [
  validateCommand,
  backendsCommand,
  modelCommand,
  scoreCommand,
  evalCommand,
  conformanceCommand,
  configCommand,
];
