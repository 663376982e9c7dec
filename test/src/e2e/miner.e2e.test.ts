import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashModelDirectory, parseModelId } from '@pretrain/core';
import { startDevnet, type Devnet } from '@pretrain/devnet';
import { connectSubtensor, type SubtensorClient } from '@pretrain/subtensor';
import { downloadCommand } from '../../../packages/cli/src/commands/download/index.js';
import { pushCommand } from '../../../packages/cli/src/commands/push/index.js';
import { runCli } from '../../../packages/cli/src/testing/run-cli.js';
import { writeDemoModels } from '../../../packages/cli/src/demo/demo-models.js';

// Chopsticks logs every block unless told otherwise (read when the devnet first loads it).
process.env.LOG_LEVEL ??= 'fatal';

/** `pretrain push` and `pretrain download` against the devnet, as a miner runs them. */
describe('miner commands on the devnet', () => {
  let root: string;
  let devnet: Devnet;
  let chain: SubtensorClient;
  let modelDir: string;
  const cli = (argv: string[]) => runCli(argv, { commands: [pushCommand, downloadCommand], cwd: root });
  const chainFlags = () => ['--network', devnet.endpoint, '--model-store', `dir:${join(root, 'store')}`];
  const walletFlags = (wallet: string) => [
    '--wallet',
    wallet,
    '--hotkey',
    'default',
    '--wallet-path',
    devnet.walletPath,
  ];
  const miner = (i: number) => devnet.wallets.filter((w) => w.role === 'miner')[i]!;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pretrain-e2e-miner-'));
    devnet = await startDevnet({ miners: 2, validators: 1, port: 0 });
    chain = await connectSubtensor({ endpoint: devnet.endpoint });
    const docs = [Array.from({ length: 4000 }, (_, i) => (i * 7919) % 50000), [50256]];
    const [unigram] = await writeDemoModels({
      dir: join(root, 'models'),
      documents: docs,
      vocabSize: 50257,
      eosTokenId: 50256,
      sequenceLength: 1024,
    });
    modelDir = unigram!.dir;
  }, 180_000);

  afterAll(async () => {
    await chain?.close();
    await devnet?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('push uploads, commits and reads back; download fetches it with the validator checks', async () => {
    const pushed = await cli([
      'push',
      '--model-dir',
      modelDir,
      '--repo',
      'alice/unigram',
      ...walletFlags(miner(0).wallet),
      ...chainFlags(),
      '--json',
    ]);
    expect(pushed.stderr).not.toMatch(/error:/);
    expect(pushed.code).toBe(0);
    const result = JSON.parse(pushed.stdout) as { commitment: string; block: number; hotkey: string };
    expect(result.hotkey).toBe(miner(0).hotkeyAddress);
    const onChain = await chain.commitment(devnet.netuid, miner(0).hotkeyAddress);
    expect(onChain).toMatchObject({ data: result.commitment, block: result.block });

    const dest = join(root, 'downloaded');
    const got = await cli(['download', '--uid', String(miner(0).uid), '--dir', dest, ...chainFlags()]);
    expect(got.stderr).not.toMatch(/error:/);
    expect(got.code).toBe(0);
    expect(got.stdout).toContain('(verified)');
    expect(await hashModelDirectory(dest)).toBe(parseModelId(result.commitment)!.hash);
  }, 120_000);

  it('push against the commitment rate limit waits for the block the chain allows, then succeeds', async () => {
    const hotkey = miner(1).hotkeyAddress;
    const first = await cli([
      'push',
      '--model-dir',
      modelDir,
      '--repo',
      'bob/first',
      ...walletFlags(miner(1).wallet),
      ...chainFlags(),
      '--json',
    ]);
    expect(first.code).toBe(0);
    const firstBlock = (JSON.parse(first.stdout) as { block: number }).block;
    // The runtime allows one commitment per `RateLimit` blocks: the second push is refused
    // with the block it may retry at, and waits while the chain's clock (here: the test
    // building blocks as fast as it can) gets there.
    let pushing = true;
    const clock = (async () => {
      while (pushing) await devnet.newBlocks(1);
    })();
    const second = await cli([
      'push',
      '--model-dir',
      modelDir,
      '--repo',
      'bob/second',
      ...walletFlags(miner(1).wallet),
      ...chainFlags(),
      '--json',
    ]);
    pushing = false;
    await clock;
    expect(second.stderr).toMatch(/rate-limited/);
    expect(second.code).toBe(0);
    const result = JSON.parse(second.stdout) as { commitment: string; block: number; attempts: number };
    expect(result.attempts).toBeGreaterThanOrEqual(2);
    expect(result.block).toBeGreaterThanOrEqual(
      firstBlock + Number(chain.api.consts.commitments!.rateLimit!.toPrimitive()),
    );
    expect((await chain.commitment(devnet.netuid, hotkey))?.data).toBe(result.commitment);
    expect(parseModelId(result.commitment)?.name).toBe('second');
  }, 240_000);
});
