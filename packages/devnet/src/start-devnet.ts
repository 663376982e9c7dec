import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, UsageError, type Logger } from '@pretrain/core';
import {
  connectSubtensor,
  createWallet,
  DEVNET_DEFAULT_PORT,
  ExtrinsicSender,
  type SubtensorClient,
} from '@pretrain/subtensor';
import { resolveChainSpec, type ChainSpecSources } from './chain-spec.js';
import { alicePair, devnetKeys, devnetSeed, type DevnetRole } from './devnet-keys.js';
import { launchChopsticks, type ChopsticksHandle } from './launch-chopsticks.js';
import { setupSubnet, type StorageWrites } from './subnet-setup.js';

/** Options of {@link startDevnet}. */
export interface DevnetOptions {
  /** Subnet to create and populate (default 9). */
  readonly netuid?: number;
  /** Miner hotkeys to register (default 2). */
  readonly miners?: number;
  /** Validator hotkeys to register, stake and permit (default 1). */
  readonly validators?: number;
  /** Port to listen on, 127.0.0.1 only (default {@link DEVNET_DEFAULT_PORT}). */
  readonly port?: number;
  /** Keeps the chain database and the wallets; a later start resumes from it. Default: a temporary directory removed by `stop()`. */
  readonly dataDir?: string;
  /** Where to find the subtensor chain spec (see `resolveChainSpec`). */
  readonly chainSpec?: ChainSpecSources;
  /** Also build an empty block every this many ms, so the chain advances when idle (default 0: blocks only for extrinsics). */
  readonly blockTimeMs?: number;
  readonly logger?: Logger;
}

/** A wallet the devnet registered. */
export interface DevnetWallet {
  readonly role: DevnetRole;
  /** btcli wallet name under {@link Devnet.walletPath}; its hotkey is `default`. */
  readonly wallet: string;
  readonly hotkey: 'default';
  readonly hotkeyAddress: string;
  readonly coldkeyAddress: string;
  readonly uid: number;
}

/** A running devnet. */
export interface Devnet {
  /** WebSocket endpoint, e.g. `ws://127.0.0.1:9945`. */
  readonly endpoint: string;
  readonly port: number;
  readonly netuid: number;
  readonly dataDir: string;
  /** btcli wallets directory holding {@link wallets}. */
  readonly walletPath: string;
  readonly wallets: readonly DevnetWallet[];
  /** Whether the chain continued from `dataDir` instead of starting at genesis. */
  readonly resumed: boolean;
  readonly chainSpecPath: string;
  /** Write storage directly (chopsticks `dev_setStorage` object form). */
  setStorage(writes: StorageWrites): Promise<void>;
  /** Build `count` blocks now (default 1); resolves with the new best block number. */
  newBlocks(count?: number): Promise<number>;
  /** Make block `number` the best block again, dropping later ones. */
  setHead(number: number): Promise<void>;
  /** Stop serving and release everything (the temporary data directory included). */
  stop(): Promise<void>;
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(
      `devnet ${name} ${value} is out of range: expected an integer from ${min} to ${max}`,
      {
        hint: `pass --${name} with a value from ${min} to ${max}`,
      },
    );
  }
}

const ALICE_FUNDS = 10n ** 18n;
const WALLET_FUNDS = 10n ** 15n;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Start a devnet: the subtensor runtime of the chain spec, run by chopsticks in this
 * process and served on `ws://127.0.0.1:<port>`; `//Alice` is sudo, the subnet is created
 * and populated (see `setupSubnet`), and btcli wallets are written under the data dir.
 * Extrinsics are included within ~0.1 s of arriving (chopsticks' batch mode: one block per
 * burst of extrinsics); `blockTimeMs` adds empty blocks when idle.
 */
export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const netuid = options.netuid ?? 9;
  checkInteger('netuid', netuid, 1, 1024);
  checkInteger('miners', options.miners ?? 2, 0, 200);
  checkInteger('validators', options.validators ?? 1, 0, 64);
  checkInteger('port', options.port ?? DEVNET_DEFAULT_PORT, 0, 65535);
  const logger = options.logger ?? silentLogger;
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'pretrain-devnet-')));
  await mkdir(dataDir, { recursive: true });
  const walletPath = join(dataDir, 'wallets');
  const dbPath = join(dataDir, 'chain.sqlite');
  const keys = devnetKeys(options.miners ?? 2, options.validators ?? 1);
  const spec = await resolveChainSpec(options.chainSpec);
  logger.info('devnet: chain spec', { path: spec.path, source: spec.source });

  const resumed = await exists(dbPath);
  const funds = [
    [alicePair().address, ALICE_FUNDS],
    ...keys.map((k) => [k.coldkey.address, WALLET_FUNDS] as const),
  ];
  const chopsticks: ChopsticksHandle = await launchChopsticks({
    specPath: spec.path,
    port: options.port ?? DEVNET_DEFAULT_PORT,
    dbPath,
    resume: resumed,
    importStorage: {
      Sudo: { Key: alicePair().address },
      System: {
        Account: funds.map(([address, free]) => [
          [address],
          { providers: 1, data: { free: free.toString() } },
        ]),
      },
      // "0" in the object form would delete the item (falling back to its default); hex keeps it.
      SubtensorModule: { NetworkRateLimit: '0x0000000000000000' },
    },
  });
  let client: SubtensorClient | undefined;
  try {
    client = await connectSubtensor({ endpoint: chopsticks.endpoint, timeoutMs: 60_000 });
    // Generous: creating several subnets in one block takes seconds, and far more on a busy machine.
    const sender = new ExtrinsicSender(client.api, 300_000);
    const uids = await setupSubnet(
      { api: client.api, sender, setStorage: chopsticks.setStorage, pinStorage: chopsticks.pinStorage },
      netuid,
      keys,
    );
    const wallets: DevnetWallet[] = [];
    for (const [i, key] of keys.entries()) {
      await createWallet({
        wallet: key.wallet,
        hotkey: 'default',
        path: walletPath,
        overwrite: true,
        keys: {
          coldkey: { seed: devnetSeed(key.wallet, 'coldkey') },
          hotkey: { seed: devnetSeed(key.wallet, 'hotkey') },
        },
      });
      wallets.push({
        role: key.role,
        wallet: key.wallet,
        hotkey: 'default',
        hotkeyAddress: key.hotkey.address,
        coldkeyAddress: key.coldkey.address,
        uid: uids[i] as number,
      });
    }
    await client.close();
    const info = { endpoint: chopsticks.endpoint, port: chopsticks.port, netuid, walletPath, wallets };
    await writeFile(join(dataDir, 'devnet.json'), `${JSON.stringify(info, null, 2)}\n`);
    const timer = options.blockTimeMs
      ? setInterval(() => void chopsticks.newBlocks(1).catch(() => undefined), options.blockTimeMs)
      : undefined;
    logger.info('devnet: ready', { endpoint: chopsticks.endpoint, netuid, resumed });
    return {
      ...info,
      dataDir,
      resumed,
      chainSpecPath: spec.path,
      setStorage: chopsticks.setStorage,
      newBlocks: (count = 1) => chopsticks.newBlocks(count),
      setHead: chopsticks.setHead,
      async stop() {
        clearInterval(timer);
        await chopsticks.stop();
        if (temporary) await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await client?.close();
    await chopsticks.stop();
    throw error;
  }
}
