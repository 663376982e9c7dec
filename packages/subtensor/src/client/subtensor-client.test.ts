import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChainError } from '@pretrain/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevnet, type Devnet } from '@pretrain/devnet';
import { describeChainClientContract, type ChainClientHarness } from '@pretrain/conformance/vitest';
import { loadHotkey } from '../wallet/wallet-store.js';
import { connectSubtensor, type SubtensorClient } from './subtensor-client.js';

// chopsticks logs every block at info level unless LOG_LEVEL is set before it loads (lazily, in startDevnet).
process.env.LOG_LEVEL ??= 'error';

const CLIENT_TIMEOUT_MS = 30_000;

// One devnet for the whole file: chopsticks takes seconds and ~300 MiB to start.
let devnet: Devnet;
let client: SubtensorClient;
let harness: ChainClientHarness;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

beforeAll(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'pretrain-devnet-test-'));
  devnet = await startDevnet({ netuid: 3, miners: 2, validators: 1, port: await freePort(), dataDir });
  client = await connectSubtensor({
    endpoint: devnet.endpoint,
    timeoutMs: CLIENT_TIMEOUT_MS,
    reconnectDelayMs: 250,
  });
  const signer = (wallet: string) => loadHotkey({ wallet, hotkey: 'default', path: devnet.walletPath });
  const metagraph = await client.metagraph(devnet.netuid);
  const owner = metagraph.neurons.filter((n) => !devnet.wallets.some((w) => w.hotkeyAddress === n.hotkey));
  harness = {
    client,
    netuid: devnet.netuid,
    registered: [
      ...owner.map((n) => ({ uid: n.uid, hotkey: n.hotkey, coldkey: n.coldkey, validator: false })),
      ...devnet.wallets.map((w) => ({
        uid: w.uid,
        hotkey: w.hotkeyAddress,
        coldkey: w.coldkeyAddress,
        validator: w.role === 'validator',
      })),
    ],
    miners: [await signer('miner-0'), await signer('miner-1')],
    validator: await signer('validator-0'),
    commitmentRateLimit: Number(client.api.consts.commitments?.rateLimit?.toPrimitive()),
    resetCommitmentRateLimit: (hotkey) =>
      devnet.setStorage({ Commitments: { LastCommitment: [[[devnet.netuid, hotkey], null]] } }),
    writeRawCommitment: (hotkey, fields) =>
      devnet.setStorage({
        Commitments: {
          CommitmentOf: [[[devnet.netuid, hotkey], { deposit: 0, block: 1, info: { fields } }]],
        },
      }),
  };
});

afterAll(async () => {
  await client?.close();
  await devnet?.stop();
});

describeChainClientContract('SubtensorClient on a devnet', () => harness);

describe('SubtensorClient connection', () => {
  it('fails with a ChainError within its timeout when the endpoint is down', async () => {
    const started = Date.now();
    const error = await connectSubtensor({
      endpoint: `ws://127.0.0.1:${await freePort()}`,
      timeoutMs: 1_500,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ChainError);
    expect(error.message).toMatch(/timed out|cannot connect/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('reads storage garbage in a commitment slot as no metadata', async () => {
    const hotkey = devnet.wallets.find((w) => w.role === 'miner')?.hotkeyAddress as string;
    await devnet.setStorage({ Commitments: { CommitmentOf: [[[devnet.netuid, hotkey], '0x01ff']] } });
    expect((await client.commitment(devnet.netuid, hotkey))?.data).toBeUndefined();
  });

  it('reconnects by itself after the devnet restarts', async () => {
    const before = await client.currentBlock();
    const { port, dataDir } = devnet;
    await devnet.stop();
    const started = Date.now();
    await expect(client.currentBlock()).rejects.toBeInstanceOf(ChainError);
    expect(Date.now() - started).toBeLessThan(CLIENT_TIMEOUT_MS + 1_000);
    devnet = await startDevnet({ netuid: 3, miners: 2, validators: 1, port, dataDir });
    expect(devnet.resumed).toBe(true);
    let block: number | undefined;
    for (let i = 0; i < 120 && block === undefined; i += 1) {
      block = await client
        .currentBlock()
        .catch(() => new Promise<undefined>((done) => setTimeout(() => done(undefined), 250)));
    }
    expect(block).toBeGreaterThanOrEqual(before);
    expect(await client.isRegistered(devnet.netuid, harness.validator.address)).toBe(true);
  });
});
