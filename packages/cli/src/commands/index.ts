import type { CliCommand } from './cli-command.js';
import { configCommand } from './config.js';

export type { CliCommand, CommandContext, GlobalArgs } from './cli-command.js';
export { defineCommand } from './cli-command.js';

/**
 * Every top-level command of `pretrain`, in `--help` order. To add a command group:
 * write `src/commands/<group>.ts` exporting `export const <group>Command = defineCommand({...})`,
 * import it here and append it to this array (one line each).
 */
export const commands: readonly CliCommand[] = [configCommand];
