import type { CliCommand } from '../cli-command.js';
import { modelHashCommand } from './hash.js';
import { modelInspectCommand } from './inspect.js';

/**
 * `pretrain model <subcommand>`: tools on model directories. Other model subcommands
 * (upload, download, ...) go in this folder and are appended to `subcommands`.
 */
export const modelCommand: CliCommand = {
  command: 'model',
  describe: 'Hash and inspect model directories',
  subcommands: [modelHashCommand, modelInspectCommand],
};
