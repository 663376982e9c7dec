import { resolve } from 'node:path';
import { hashModelDirectory, saltHash, UsageError } from '@pretrain/core';
import { defineCommand } from '../cli-command.js';

// SS58 addresses are base58 (no 0, O, I, l); substrate's generic format is 47-48 characters.
const SS58 = /^[1-9A-HJ-NP-Za-km-z]{46,48}$/;

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
    if (args.hotkey !== undefined && !SS58.test(args.hotkey)) {
      throw new UsageError(`--hotkey ${JSON.stringify(args.hotkey)} is not an SS58 address`, {
        hint: 'pass the hotkey address (e.g. 5F...), not the wallet or hotkey name',
      });
    }
    const dir = resolve(io.cwd, args.dir);
    const hash = await hashModelDirectory(dir);
    logger.debug('hashed model directory', { dir, hash });
    io.stdout.write(`${args.hotkey === undefined ? hash : saltHash(hash, args.hotkey)}\n`);
  },
});
