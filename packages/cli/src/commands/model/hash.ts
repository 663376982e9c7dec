import { resolve } from 'node:path';
import { hashModelDirectory, saltHash } from '@pretrain/core';
import { checkHotkeyAddress } from '../../input/hotkey-address.js';
import { defineCommand } from '../cli-command.js';

/** `pretrain model hash <dir> [--hotkey <ss58>]`: the directory hash as committed on chain. */
export const modelHashCommand = defineCommand({
  command: 'hash <dir>',
  describe: 'Print the base64 SHA-256 directory hash of a model (salted with --hotkey when given)',
  builder: (yargs) =>
    yargs
      .positional('dir', { type: 'string', demandOption: true, describe: 'model directory' })
      .option('hotkey', {
        type: 'string',
        describe: 'hotkey SS58 address: print sha256(hash + hotkey), base64',
      }),
  async run(args, { io, logger }) {
    const hotkey = args.hotkey === undefined ? undefined : checkHotkeyAddress(args.hotkey);
    const dir = resolve(io.cwd, args.dir);
    const hash = await hashModelDirectory(dir);
    logger.debug('hashed model directory', { dir, hash });
    io.stdout.write(`${hotkey === undefined ? hash : saltHash(hash, hotkey)}\n`);
  },
});
