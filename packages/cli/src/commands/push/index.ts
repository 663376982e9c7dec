import { resolve } from 'node:path';
import { pushModel, TOKENS } from '@pretrain/core';
import { composeCommand } from '../../compose/index.js';
import { writeJson } from '../../output/index.js';
import { defineCommand } from '../cli-command.js';
import { CHAIN_OPTIONS, openChainSession } from './chain-session.js';
import { MODEL_STORE_OPTIONS, PUSH_OPTIONS, requireHubToken } from './model-store-option.js';

/**
 * `pretrain push --model-dir <dir> --repo ns/name --wallet <w> --hotkey <h> --network <n>`:
 * check the model against the criteria, upload it, commit it from the hotkey, read the
 * commitment back; rate limits are waited out (docs/SUBNET.md §9).
 */
export const pushCommand = defineCommand({
  command: 'push',
  describe: 'Upload a model and commit it on chain from your hotkey (checks the criteria first)',
  epilogue:
    'The hub store needs a write token (--hf-token or PRETRAIN_HF_TOKEN). The hotkey must be registered on ' +
    'the subnet. One commitment per hotkey is allowed about every 100 blocks: push waits for the block ' +
    'the chain names, then retries.',
  builder: (yargs) =>
    yargs
      .option('model-dir', {
        type: 'string',
        demandOption: true,
        describe: 'model directory (config.json + *.safetensors)',
      })
      .option('repo', {
        type: 'string',
        demandOption: true,
        describe: 'repo id namespace/name (at most 41 characters)',
      })
      .option(CHAIN_OPTIONS)
      .options(PUSH_OPTIONS)
      .option('competition-id', { type: 'string', describe: 'competition to enter (later subnet versions)' })
      .options(MODEL_STORE_OPTIONS)
      .option('json', { type: 'boolean', describe: 'print JSON' }),
  async run(args, context) {
    const { io, config, logger } = context;
    requireHubToken(args.modelStore, config.hfToken);
    const container = composeCommand(context, { modelStore: args.modelStore });
    try {
      // The store first: a plugin that does not load fails before any wallet or connection.
      const store = await container.resolve(TOKENS.ModelStore);
      const session = await openChainSession(config, { signer: true, io }, container);
      const result = await pushModel({
        dir: resolve(io.cwd, args.modelDir),
        repo: args.repo,
        chain: session.chain,
        store,
        netuid: config.netuid,
        signer: session.signer!,
        useHotkeyInHash: args.useHotkeyInHash,
        competitionId: args.competitionId,
        logger,
      });
      if (args.json) {
        writeJson(io.stdout, { ...result, hotkey: session.signer!.address });
        return;
      }
      io.stdout.write(
        `pushed ${result.id.namespace}/${result.id.name}@${result.id.commit}\n` +
          `  hash        ${result.id.hash}\n` +
          `  parameters  ${result.parameters}\n` +
          `  bytes       ${result.bytes}\n` +
          `  commitment  ${result.commitment}\n` +
          `  block       ${result.block} (hotkey ${session.signer!.address}, ${result.attempts} attempt(s))\n`,
      );
    } finally {
      await container.dispose();
    }
  },
});
