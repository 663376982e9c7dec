import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelId, readDocuments, silentLogger } from '@pretrain/core';
import { startDevnet, type Devnet, type DevnetWallet } from '@pretrain/devnet';
import { loadTokenizer } from '@pretrain/huggingface';
import { connectSubtensor, type SubtensorClient } from '@pretrain/subtensor';
import { DEMO_CORPUS } from '../../../packages/cli/src/demo/run-demo.js';
import { writeDemoModels } from '../../../packages/cli/src/demo/demo-models.js';
import { runCli } from '../../../packages/cli/src/testing/run-cli.js';

// Chopsticks logs every block unless told otherwise (read when the devnet first loads it).
process.env.LOG_LEVEL ??= 'fatal';

const PLUGIN_DIR = fileURLToPath(new URL('../../fixtures/plugins/pretrain-store-tarball', import.meta.url));
const ONNX_BACKEND = fileURLToPath(new URL('../../../packages/backend-onnx', import.meta.url));

/**
 * Issue 15: a model store that is not part of pretrain, installed in a project as
 * `pretrain-store-tarball`, carries a subnet: two miners `pretrain push --model-store
 * tarball:<dir>`, and `pretrain validate --model-store tarball:<dir>` downloads, scores
 * and weighs both in one step. One devnet, two one-layer models, one step.
 */
describe('a third-party model store plugin through push and validate', () => {
  let root: string;
  let project: string;
  let devnet: Devnet;
  let chain: SubtensorClient;
  const pushed: { hotkey: string; commitment: string }[] = [];
  const store = () => `tarball:${join(root, 'tarballs')}`;
  const wallet = (w: DevnetWallet) => [
    '--wallet',
    w.wallet,
    '--hotkey',
    w.hotkey,
    '--wallet-path',
    devnet.walletPath,
  ];
  const pretrain = (argv: string[]) => runCli(argv, { cwd: project });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pretrain-e2e-store-plugin-'));
    // The user's project, with the plugin installed under its package name.
    project = join(root, 'project');
    await mkdir(join(project, 'node_modules'), { recursive: true });
    await symlink(PLUGIN_DIR, join(project, 'node_modules', 'pretrain-store-tarball'), 'dir');
    const tokenizer = await loadTokenizer('distilgpt2');
    const documents = (await readDocuments(DEMO_CORPUS)).map((t) => [
      ...tokenizer.encode(t, { truncation: true }),
      tokenizer.eosTokenId,
    ]);
    const models = await writeDemoModels({
      dir: join(root, 'models'),
      documents,
      vocabSize: tokenizer.vocabSize,
      eosTokenId: tokenizer.eosTokenId,
      sequenceLength: 1024,
    });
    devnet = await startDevnet({ miners: 2, validators: 1, port: 0, logger: silentLogger });
    chain = await connectSubtensor({ endpoint: devnet.endpoint });
    const miners = devnet.wallets.filter((w: DevnetWallet) => w.role === 'miner');
    for (const [i, miner] of miners.entries()) {
      const model = models[i]!;
      const result = await pretrain([
        'push',
        ...['--model-dir', model.dir, '--repo', `e2e-${model.label}/model`],
        ...wallet(miner),
        ...['--network', devnet.endpoint, '--model-store', store(), '--json'],
      ]);
      expect(result.stderr).not.toMatch(/error:/);
      expect(result.code).toBe(0);
      pushed.push({
        hotkey: miner.hotkeyAddress,
        commitment: (JSON.parse(result.stdout) as { commitment: string }).commitment,
      });
    }
  }, 300_000);

  afterAll(async () => {
    await chain?.close().catch(() => undefined);
    await devnet?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('stores each push as a tarball named by its commit, committed on chain', async () => {
    for (const { hotkey, commitment } of pushed) {
      const id = parseModelId(commitment)!;
      expect(await readdir(join(root, 'tarballs', id.namespace, id.name))).toEqual([`${id.commit}.tar`]);
      expect((await chain.commitment(devnet.netuid, hotkey))?.data).toBe(commitment);
    }
  });

  it('validate --model-store tarball:<dir> scores both models in one step and sets weights', async () => {
    const validator = devnet.wallets.find((w: DevnetWallet) => w.role === 'validator')!;
    const result = await pretrain([
      'validate',
      ...wallet(validator),
      ...['--network', devnet.endpoint, '--model-store', store(), '--dataset', `local:${DEMO_CORPUS}`],
      ...['--model-dir', join(root, 'validator'), '--backend', ONNX_BACKEND],
      ...['--pages-per-eval', '1', '--blocks-per-epoch', '1', '--max-steps', '1', '--log-format', 'json'],
      ...['--eval-timeout', '120', '--idle-wait', '1', '--weights-poll', '1'],
    ]);
    expect(result.code, result.stderr).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as { event: string; models?: { uid: number; averageLoss: number | null }[] },
      );
    const step = events.find((e) => e.event === 'step')!;
    const uids = (await chain.metagraph(devnet.netuid)).neurons
      .filter((n) => pushed.some((p) => p.hotkey === n.hotkey))
      .map((n) => n.uid);
    expect(step.models?.map((m) => m.uid).sort()).toEqual(uids.sort());
    for (const model of step.models ?? []) expect(Number.isFinite(model.averageLoss)).toBe(true);
    const weights = events.find((e) => e.event === 'weights') as { weights?: number[] } | undefined;
    expect(uids.some((uid) => (weights?.weights?.[uid] ?? 0) > 0)).toBe(true);
  }, 240_000);
});
