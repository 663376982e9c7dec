import { resolve } from 'node:path';
import { hashModelDirectory, hashPretrainedFileSet, saltHash } from '@pretrain/core';
import { checkHotkeyAddress } from '../../input/hotkey-address.js';
import { defineCommand } from '../cli-command.js';

/**
 * `pretrain model hash <dir> [--hotkey <ss58>] [--all-files]`: the hash a miner commits
 * for a model directory (only the files a model load reads, docs/SUBNET.md §3),
 * or with `--all-files` the directory hash of everything under `dir`.
 */
export const modelHashCommand = defineCommand({
  command: 'hash <dir>',
  describe:
    'Print the subnet hash of a model directory: base64 SHA-256 over config.json, generation_config.json and the safetensors weights a model load reads (salted with --hotkey when given)',
  builder: (yargs) =>
    yargs
      .positional('dir', { type: 'string', demandOption: true, describe: 'model directory' })
      .option('hotkey', {
        type: 'string',
        describe: 'hotkey SS58 address: print sha256(hash + hotkey), base64',
      })
      .option('all-files', {
        type: 'boolean',
        default: false,
        describe:
          'hash every file under the directory (the reference directory hash), not only the model files',
      }),
  async run(args, { io, logger }) {
    const hotkey = args.hotkey === undefined ? undefined : checkHotkeyAddress(args.hotkey);
    const dir = resolve(io.cwd, args.dir);
    const hash = args.allFiles ? await hashModelDirectory(dir) : await hashPretrainedFileSet(dir);
    logger.debug('hashed model directory', { dir, hash, allFiles: args.allFiles });
    io.stdout.write(`${hotkey === undefined ? hash : saltHash(hash, hotkey)}\n`);
  },
});
