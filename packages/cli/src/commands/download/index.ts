import { lstat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { criteriaForBlock, downloadCompetitor, TOKENS, UsageError } from '@pretrain/core';
import { composeCommand } from '../../compose/index.js';
import { escapeControl, writeJson } from '../../output/index.js';
import { checkHotkeyAddress } from '../../input/hotkey-address.js';
import { defineCommand } from '../cli-command.js';
import { NETWORK_OPTIONS, openChainSession } from '../push/chain-session.js';
import { MODEL_STORE_OPTIONS } from '../push/model-store-option.js';

/**
 * `pretrain download (--uid N | --hotkey X) --dir <d> --network <n>`: fetch a competitor's
 * committed model with every check a validator makes (size before download, hash,
 * architecture, parameters).
 */
export const downloadCommand = defineCommand({
  command: 'download',
  describe: "Download a competitor's committed model with the validator's checks",
  builder: (yargs) =>
    yargs
      .option('uid', { type: 'number', describe: 'the miner uid on the subnet' })
      .option('hotkey', { type: 'string', describe: 'the miner hotkey (SS58 address)' })
      .conflicts('uid', 'hotkey')
      .option('dir', { type: 'string', demandOption: true, describe: 'directory to create for the model' })
      .option(NETWORK_OPTIONS)
      .options(MODEL_STORE_OPTIONS)
      .option('hf-token', { type: 'string', describe: 'Hugging Face token for private repos (secret)' })
      .option('json', { type: 'boolean', describe: 'print JSON' }),
  async run(args, context) {
    const { io, config, logger } = context;
    if (args.uid === undefined && args.hotkey === undefined) {
      throw new UsageError('say whose model to download', { hint: 'pass --uid <n> or --hotkey <ss58>' });
    }
    if (args.hotkey !== undefined) checkHotkeyAddress(args.hotkey);
    if (args.uid !== undefined && (!Number.isSafeInteger(args.uid) || args.uid < 0)) {
      throw new UsageError(`--uid ${args.uid} is not a uid`, {
        hint: 'a uid is a whole number from 0 (`pretrain chain metagraph` lists them)',
      });
    }
    const dest = resolve(io.cwd, args.dir);
    // The same refusal the download makes, but before connecting to anything.
    if (
      await lstat(dest).then(
        () => true,
        () => false,
      )
    ) {
      throw new UsageError(`The download destination '${dest}' exists already`, {
        hint: 'download into a new directory (a complete copy is never overwritten)',
      });
    }
    const container = composeCommand(context, { modelStore: args.modelStore });
    try {
      const store = await container.resolve(TOKENS.ModelStore);
      const session = await openChainSession(config, { signer: false, io }, container);
      const got = await downloadCompetitor({
        chain: session.chain,
        netuid: config.netuid,
        store,
        dest,
        uid: args.uid,
        hotkey: args.hotkey,
        logger,
      });
      const { id, block } = got.metadata;
      if (args.json) {
        writeJson(io.stdout, { hotkey: got.hotkey, path: got.path, block, id });
        return;
      }
      const criteria = criteriaForBlock(block);
      // Repo names and hashes come from a miner's commitment: shown, never interpreted.
      const lines = [
        `downloaded ${id.namespace}/${id.name}@${id.commit} into ${got.path}`,
        `  hotkey  ${got.hotkey}`,
        `  block   ${block} (criteria: ${criteria.tokenizer}, sequence length ${criteria.sequenceLength})`,
        `  hash    ${id.hash} (verified)`,
      ];
      io.stdout.write(lines.map((line) => `${escapeControl(line)}\n`).join(''));
    } finally {
      await container.dispose();
    }
  },
});
