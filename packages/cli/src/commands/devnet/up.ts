import { resolve } from 'node:path';
import type { Devnet } from '@pretrain/devnet';
import { DEVNET_DEFAULT_PORT } from '@pretrain/subtensor';
import type { CliIo } from '../../cli-io.js';
import { renderTable } from '../../output/index.js';
import { defineCommand } from '../cli-command.js';
import { loadDevnet } from './load-devnet.js';

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM. */
function untilInterrupted(): Promise<string> {
  return new Promise((done) => {
    const stop = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      done(signal);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

function printDevnet(io: CliIo, devnet: Devnet): void {
  io.stdout.write(
    `devnet ${devnet.resumed ? 'resumed' : 'started'}: netuid ${devnet.netuid}\n` +
      `  endpoint     ${devnet.endpoint}\n` +
      `  data dir     ${devnet.dataDir}\n` +
      `  wallet path  ${devnet.walletPath}\n` +
      `  chain spec   ${devnet.chainSpecPath}\n` +
      `  sudo         //Alice\n`,
  );
  const rows = devnet.wallets.map((w) => [w.role, w.wallet, w.hotkey, String(w.uid), w.hotkeyAddress]);
  io.stdout.write(
    renderTable(
      [
        { header: 'role' },
        { header: 'wallet' },
        { header: 'hotkey' },
        { header: 'uid', align: 'right' },
        { header: 'hotkey address' },
      ],
      rows,
    ),
  );
  io.stdout.write(
    `use: --network ${devnet.endpoint} --wallet-path ${devnet.walletPath} --wallet <wallet> --hotkey default\n`,
  );
  io.stdout.write('ready; press Ctrl-C to stop\n');
}

/** `pretrain devnet up [--netuid 9] [--miners N] [--validators M] [--port P] [--data-dir D]`. */
export const devnetUpCommand = defineCommand({
  command: 'up',
  describe: 'Start a devnet, create the subnet, register and fund dev wallets; runs until Ctrl-C',
  epilogue:
    'The chain spec is taken from --chain-spec, PRETRAIN_CHAIN_SPEC, or the pinned spec shipped with\n' +
    'the devnet package (spec_version 218, sha256-checked; downloaded to ~/.cache/pretrain/chain if missing).\n' +
    'Extrinsics are included at once; --block-time adds empty blocks so that the chain advances.\n' +
    'The commitment rate limit (100 blocks) is kept, as on mainnet; weights can be set at any block.',
  builder: (yargs) =>
    yargs
      .option('netuid', { type: 'number', describe: 'subnet to create (default 9)' })
      .option('miners', { type: 'number', default: 2, describe: 'miner hotkeys to register' })
      .option('validators', {
        type: 'number',
        default: 1,
        describe: 'validator hotkeys to register, stake and permit',
      })
      .option('port', { type: 'number', default: DEVNET_DEFAULT_PORT, describe: 'port on 127.0.0.1' })
      .option('data-dir', {
        type: 'string',
        describe: 'keep the chain and wallets here and resume from it (default: temporary)',
      })
      .option('chain-spec', {
        type: 'string',
        describe: 'raw subtensor chain spec JSON (PRETRAIN_CHAIN_SPEC)',
      })
      .option('block-time', {
        type: 'number',
        default: 12,
        describe: 'seconds between empty blocks (0: only on extrinsics)',
      }),
  async run(args, { io, config, logger }) {
    // chopsticks logs every block at info level; it reads LOG_LEVEL when it is first loaded.
    if (!config.verbose) process.env.LOG_LEVEL ??= 'error';
    const { startDevnet } = await loadDevnet();
    const devnet = await startDevnet({
      netuid: args.netuid ?? config.netuid,
      miners: args.miners,
      validators: args.validators,
      port: args.port,
      dataDir: args.dataDir === undefined ? undefined : resolve(io.cwd, args.dataDir),
      chainSpec: {
        chainSpec: args.chainSpec === undefined ? undefined : resolve(io.cwd, args.chainSpec),
        envChainSpec: io.env.PRETRAIN_CHAIN_SPEC,
      },
      blockTimeMs: Math.max(0, args.blockTime) * 1000,
      logger,
    });
    printDevnet(io, devnet);
    const signal = await untilInterrupted();
    logger.info('devnet: stopping', { signal });
    await devnet.stop();
    io.stdout.write('devnet stopped\n');
  },
});
