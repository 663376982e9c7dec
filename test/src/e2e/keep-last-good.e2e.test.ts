import { cp, mkdtemp, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChildProcessEvaluator,
  DEFAULT_VALIDATOR_OPTIONS,
  DiskLocalModelStore,
  formatModelId,
  pushModel,
  silentLogger,
  Validator,
  type ChainSigner,
  type RejectionReason,
  type StepResult,
} from '@pretrain/core';
import { startDevnet, type Devnet } from '@pretrain/devnet';
import { FalconDataset, HubModelStore, loadTokenizer } from '@pretrain/huggingface';
import { startHubTestServer, type HubTestServer } from '@pretrain/huggingface/testing';
import { connectSubtensor, loadHotkey, type SubtensorClient } from '@pretrain/subtensor';
import { withSeedSequence } from '../../../packages/cli/src/demo/seeded-dataset.js';
import { E2E_SCHEDULE, writeE2eModels } from './support/e2e-models.js';

// Chopsticks logs every block unless told otherwise (read when the devnet first loads it).
process.env.LOG_LEVEL ??= 'fatal';

const HF_TOKEN = 'hf_e2e_write_token';

/**
 * Issue 13.2 on the devnet with the hub double: the best miner commits a broken second
 * model; the validator refuses it once, keeps evaluating the first model and keeps its
 * weight on chain, and does not fetch the broken repo again at the next sync.
 */
describe('a miner that pushes a broken second model keeps its first model', () => {
  let root: string;
  let devnet: Devnet;
  let chain: SubtensorClient;
  let hub: HubTestServer;
  let validator: Validator;
  let best: ChainSigner;
  let other: ChainSigner;
  const rejections: { reason: RejectionReason; hotkey: string }[] = [];
  let before: StepResult;
  let after: StepResult;
  let weightsAfter: readonly (readonly [number, number])[];
  let brokenRequests: () => number;
  let uidOf: (signer: ChainSigner) => number;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pretrain-e2e-keep-'));
    const tokenizer = await loadTokenizer('distilgpt2');
    const models = await writeE2eModels(join(root, 'models'), tokenizer);
    hub = await startHubTestServer({ token: HF_TOKEN });
    devnet = await startDevnet({ miners: 2, validators: 1, port: 0, logger: silentLogger });
    chain = await connectSubtensor({ endpoint: devnet.endpoint });
    const signer = (role: string, index: number) => {
      const wallet = devnet.wallets.filter((w) => w.role === role)[index]!;
      return loadHotkey({ wallet: wallet.wallet, hotkey: wallet.hotkey, path: devnet.walletPath });
    };
    [best, other] = [await signer('miner', 0), await signer('miner', 1)];
    const graph = await chain.metagraph(devnet.netuid);
    uidOf = (s) => graph.neurons.find((n) => n.hotkey === s.address)!.uid;
    const store = new HubModelStore({
      hubUrl: hub.url,
      accessToken: HF_TOKEN,
      retry: { attempts: 2, baseDelayMs: 10 },
    });
    const push = (s: ChainSigner, miner: string, dir: string) =>
      pushModel({
        dir,
        repo: `e2e-${miner}/model`,
        chain,
        store,
        netuid: devnet.netuid,
        signer: s,
        schedule: E2E_SCHEDULE,
        retryDelayMs: 500,
      });
    await push(best, 'best', models.unigram);
    await push(other, 'other', models.flattened);

    const dataset = withSeedSequence(
      new FalconDataset({ baseUrl: hub.url, attempts: 1, retryDelayMs: 10 }),
      'pretrain-e2e-keep',
    );
    validator = await Validator.create(
      {
        chain,
        signer: await signer('validator', 0),
        store,
        local: new DiskLocalModelStore(join(root, 'validator')),
        datasetFor: () => dataset,
        tokenizerFor: async () => tokenizer,
        evaluator: new ChildProcessEvaluator({ backend: 'onnx', cwd: process.cwd(), timeoutMs: 120_000 }),
        logger: silentLogger,
        observer: { onRejection: (info) => rejections.push(info) },
        schedule: E2E_SCHEDULE,
      },
      {
        ...DEFAULT_VALIDATOR_OPTIONS,
        netuid: devnet.netuid,
        statePath: join(root, 'validator', 'state.json'),
        pagesPerEval: 2,
        blocksPerEpoch: 1,
      },
    );
    before = (await validator.runSteps(1))[0]!;

    // The second model: the first one with its weights cut in half, uploaded as it is
    // (so its hash is right) and committed once the chain's rate limit allows.
    const broken = join(root, 'models', 'broken');
    await cp(models.unigram, broken, { recursive: true });
    const weights = join(broken, 'model.safetensors');
    await truncate(weights, Math.floor((await stat(weights)).size / 2));
    const id = await store.upload(broken, { namespace: 'e2e-broken', name: 'model' });
    await devnet.newBlocks(Number(chain.api.consts.commitments!.rateLimit!.toPrimitive()) + 1);
    await chain.commit(devnet.netuid, best, formatModelId(id));
    brokenRequests = () => hub.requests.filter((r) => r.path.startsWith('/e2e-broken/model/')).length;

    after = (await validator.runSteps(1))[0]!;
    weightsAfter = (await chain.metagraph(devnet.netuid)).neurons.find(
      (n) => n.hotkey === devnet.wallets.find((w) => w.role === 'validator')!.hotkeyAddress,
    )!.weights;
  }, 600_000);

  afterAll(async () => {
    await chain?.close().catch(() => undefined);
    await devnet?.stop();
    await hub?.close();
    await rm(root, { recursive: true, force: true });
  });

  const row = (step: StepResult, s: ChainSigner) => step.rows.find((r) => r.uid === uidOf(s))!;

  it('refuses the broken commitment once, as corrupt', () => {
    expect(rejections.filter((r) => r.hotkey === best.address).map((r) => r.reason)).toEqual(['corrupt']);
  });

  it('goes on evaluating the first model, which keeps the top weight', () => {
    expect(row(before, best).averageLoss).toBeLessThan(row(before, other).averageLoss);
    expect(row(after, best).failure).toBeUndefined();
    // The tracked claim is still the first commitment (each step samples new pages, so
    // the losses themselves differ between steps).
    expect(row(after, best).block).toBe(row(before, best).block);
    expect(row(after, best).averageLoss).toBeLessThan(row(after, other).averageLoss);
    expect(after.weights[uidOf(best)]).toBeGreaterThan(after.weights[uidOf(other)]!);
    const top = [...weightsAfter].sort((a, b) => b[1] - a[1])[0]!;
    expect(top).toEqual([uidOf(best), 65535]);
  });

  it('does not fetch the refused repo again at the next sync', async () => {
    const fetched = brokenRequests();
    expect(fetched).toBeGreaterThan(0);
    await validator.syncAllModels();
    expect(brokenRequests()).toBe(fetched);
    expect(rejections.filter((r) => r.hotkey === best.address)).toHaveLength(1);
  });
});
