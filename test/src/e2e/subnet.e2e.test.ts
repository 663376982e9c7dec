import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
import { FalconDataset, HubModelStore, loadTokenizer } from '@pretrain/huggingface';
import { startHubTestServer, type HubTestServer } from '@pretrain/huggingface/testing';
import { startDevnetDemoChain } from '../../../packages/cli/src/demo/devnet-demo-chain.js';
import type { DemoChain } from '../../../packages/cli/src/demo/demo-chain.js';
import { withSeedSequence } from '../../../packages/cli/src/demo/seeded-dataset.js';
import {
  E2E_SCHEDULE,
  GPT2_FIXTURE,
  referenceMinerCommit,
  writeE2eModels,
  type E2eModels,
} from './support/e2e-models.js';

// Chopsticks logs every block unless told otherwise (read when the devnet first loads it).
process.env.LOG_LEVEL ??= 'fatal';

const HF_TOKEN = 'hf_e2e_write_token';
const TRIGGER_PLUGIN = fileURLToPath(new URL('./support/trigger-plugin.mjs', import.meta.url));
// The independent Python hash (hashlib + os.walk over a copy holding only the named files).
const DIR_HASH_PY = fileURLToPath(
  new URL('../../../packages/core/test-support/dir_hash.py', import.meta.url),
);
const MINERS = [
  'unigram',
  'flattened',
  'random',
  'copier',
  'hash',
  'oversize',
  'arch',
  'hang',
  'crash',
  'malformed',
  'reference',
  'fifth',
] as const;
type Miner = (typeof MINERS)[number];

/**
 * One devnet, the local hub + datasets-server, and ten miners, most of them bad in one
 * way: a validator run must score the good ones, refuse or zero the bad ones, and land
 * weights on chain that favour the lowest loss (issue 6 §4).
 */
describe('a subnet on the devnet and the local hub', () => {
  let root: string;
  let devnet: DemoChain;
  let hub: HubTestServer;
  let models: E2eModels;
  const uid = new Map<Miner, number>();
  const rejections: { reason: RejectionReason; hotkey: string }[] = [];
  let steps: StepResult[];
  let onChain: readonly (readonly [number, number])[];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pretrain-e2e-'));
    const tokenizer = await loadTokenizer('distilgpt2');
    models = await writeE2eModels(join(root, 'models'), tokenizer);
    hub = await startHubTestServer({ token: HF_TOKEN });
    devnet = await startDevnetDemoChain({ miners: MINERS.length, logger: silentLogger });
    const { chain, netuid } = devnet;
    const store = new HubModelStore({
      hubUrl: hub.url,
      accessToken: HF_TOKEN,
      retry: { attempts: 2, baseDelayMs: 10 },
    });
    const signer = (miner: Miner): ChainSigner => devnet.miners[MINERS.indexOf(miner)]!;
    const graph = await chain.metagraph(netuid);
    for (const miner of MINERS)
      uid.set(miner, graph.neurons.find((n) => n.hotkey === signer(miner).address)!.uid);
    const push = (miner: Miner, dir: string) =>
      pushModel({
        dir,
        repo: `e2e-${miner}/model`,
        chain,
        store,
        netuid,
        signer: signer(miner),
        schedule: E2E_SCHEDULE,
        retryDelayMs: 500,
      });

    const original = await push('unigram', models.unigram);
    await push('flattened', models.flattened);
    await push('random', models.random);
    await push('copier', models.unigram);
    await push('hang', models.hang);
    await push('crash', models.crash);
    // Bad claims that `push` itself would refuse go straight to the store and the chain.
    const wrongHash = await store.upload(models.flattened, { namespace: 'e2e-hash', name: 'model' });
    await chain.commit(netuid, signer('hash'), formatModelId({ ...wrongHash, hash: original.id.hash }));
    const big = await store.upload(models.oversize, { namespace: 'e2e-oversize', name: 'model' });
    await chain.commit(netuid, signer('oversize'), formatModelId(big));
    const gpt2 = await store.upload(GPT2_FIXTURE, { namespace: 'e2e-arch', name: 'model' });
    await chain.commit(netuid, signer('arch'), formatModelId(gpt2));
    await chain.commit(netuid, signer('malformed'), 'this is not a model id');
    // A commit as the reference miner leaves it (.gitattributes, README, tokenizer files
    // beside the model), hashed as the reference does, by Python over the fetched files.
    const reference = await referenceMinerCommit(models.random);
    const referenceCommit = hub.state.plant('e2e-reference/model', reference.files);
    const referenceHash = (
      JSON.parse(
        execFileSync('/usr/bin/python3', [DIR_HASH_PY, models.random, '--only', reference.loaded.join(',')], {
          encoding: 'utf8',
        }),
      ) as { hash: string }
    ).hash;
    await chain.commit(
      netuid,
      signer('reference'),
      `e2e-reference:model:${referenceCommit}:${referenceHash}`,
    );
    // Later reference versions append a competition id: a fifth field is read past.
    const fifth = await store.upload(models.flattened, { namespace: 'e2e-fifth', name: 'model' });
    await chain.commit(netuid, signer('fifth'), `${formatModelId(fifth)}:0`);

    // Two failing /rows answers and one rate limit during the step: pages are resampled.
    hub.inject({ path: '/rows', status: 500, times: 2 });
    hub.inject({ path: '/rows', status: 429, times: 1, headers: { 'Retry-After': '0' } });
    const dataset = withSeedSequence(
      new FalconDataset({ baseUrl: hub.url, attempts: 1, retryDelayMs: 10 }),
      'pretrain-e2e',
    );
    const validator = await Validator.create(
      {
        chain,
        signer: devnet.validator,
        store,
        local: new DiskLocalModelStore(join(root, 'validator')),
        // Seeded pages: a reproducible step (and sanity-check prompts) on every run.
        datasetFor: () => dataset,
        tokenizerFor: async () => tokenizer,
        evaluator: new ChildProcessEvaluator({
          backend: TRIGGER_PLUGIN,
          cwd: process.cwd(),
          timeoutMs: 60_000,
          // The hanging model spins while loading: without this, the 1200 s default holds the step.
          loadTimeoutMs: 30_000,
          backendOptions: { threads: 1 },
        }),
        logger: silentLogger,
        observer: { onRejection: (info) => rejections.push(info) },
        schedule: E2E_SCHEDULE,
      },
      {
        ...DEFAULT_VALIDATOR_OPTIONS,
        netuid,
        statePath: join(root, 'validator', 'state.json'),
        pagesPerEval: 2,
        blocksPerEpoch: 1,
      },
    );
    steps = await validator.runSteps(1);
    const graphAfter = await chain.metagraph(netuid);
    onChain = graphAfter.neurons.find((n) => n.hotkey === devnet.validator.address)!.weights;
  }, 900_000);

  afterAll(async () => {
    await devnet?.stop();
    await hub?.close();
    await rm(root, { recursive: true, force: true });
  });

  const row = (miner: Miner) => steps[0]!.rows.find((r) => r.uid === uid.get(miner));
  const weightOnChain = (miner: Miner) => onChain.find(([u]) => u === uid.get(miner))?.[1] ?? 0;
  const hotkeyOf = (miner: Miner) => devnet.miners[MINERS.indexOf(miner)]!.address;

  it('ranks the good models by loss and lands weights on chain that favour the lowest', () => {
    expect(steps).toHaveLength(1);
    expect(row('unigram')!.averageLoss).toBeLessThan(row('flattened')!.averageLoss);
    expect(row('flattened')!.averageLoss).toBeLessThan(row('random')!.averageLoss);
    const top = [...onChain].sort((a, b) => b[1] - a[1])[0]!;
    expect(top[0]).toBe(uid.get('unigram'));
    expect(weightOnChain('unigram')).toBe(65535);
  });

  it('lets a later-block copy lose to the original on epsilon', () => {
    expect(row('copier')!.averageLoss).toBe(row('unigram')!.averageLoss);
    expect(row('copier')!.block).toBeGreaterThan(row('unigram')!.block);
    expect(row('copier')!.wins).toBeLessThan(row('unigram')!.wins);
    expect(weightOnChain('copier')).toBeLessThan(weightOnChain('unigram'));
  });

  it('refuses hash mismatches, oversize repos, other architectures and malformed commitments', () => {
    const reasonOf = (miner: Miner) => rejections.find((r) => r.hotkey === hotkeyOf(miner))?.reason;
    expect(reasonOf('hash')).toBe('hash-mismatch');
    expect(reasonOf('oversize')).toBe('oversize');
    expect(reasonOf('arch')).toBe('unsupported-architecture');
    expect(reasonOf('malformed')).toBe('no-metadata');
    for (const miner of ['hash', 'oversize', 'arch', 'malformed'] as const) {
      expect(row(miner)?.averageLoss ?? Infinity).toBe(Infinity);
      expect(weightOnChain(miner)).toBe(0);
    }
    // No file of the oversize repo was fetched: the size check reads the file list only.
    const fetched = hub.requests.filter((r) => r.path.startsWith('/e2e-oversize/model/resolve/'));
    expect(fetched.filter((r) => /\.(safetensors|json)$/.test(r.path))).toEqual([]);
  });

  it('accepts and scores a model pushed as the reference miner does, fetching only what it hashes', () => {
    expect(rejections.filter((r) => r.hotkey === hotkeyOf('reference'))).toEqual([]);
    expect(row('reference')!.averageLoss).toBe(row('random')!.averageLoss);
    expect(Number.isFinite(row('reference')!.averageLoss)).toBe(true);
    const fetched = hub.requests
      .filter((r) => r.path.startsWith('/e2e-reference/model/resolve/'))
      .map((r) => r.path.split('/').pop());
    expect(fetched).toContain('model.safetensors');
    expect(fetched.filter((f) => /README|gitattributes|tokenizer/.test(f ?? ''))).toEqual([]);
  });

  it('evaluates a commitment with a fifth field', () => {
    expect(rejections.filter((r) => r.hotkey === hotkeyOf('fifth'))).toEqual([]);
    expect(row('fifth')!.averageLoss).toBe(row('flattened')!.averageLoss);
    expect(Number.isFinite(row('fifth')!.averageLoss)).toBe(true);
  });

  it('kills a hanging model at the time limit and survives a crashing one, scoring both +inf', () => {
    expect(row('hang')).toMatchObject({ averageLoss: Infinity, failure: 'eval-timeout' });
    expect(row('crash')).toMatchObject({ averageLoss: Infinity, failure: 'eval-failed' });
    expect(weightOnChain('hang')).toBe(0);
    expect(weightOnChain('crash')).toBe(0);
  });

  it('completes the step on resampled pages when the datasets-server answers 5xx and 429', () => {
    const rows = hub.requests.filter((r) => r.path === '/rows');
    expect(rows.filter((r) => r.status === 500)).toHaveLength(2);
    expect(rows.filter((r) => r.status === 429)).toHaveLength(1);
    expect(rows.filter((r) => r.status === 200)).toHaveLength(2);
    expect(steps[0]!.batchCount).toBeGreaterThan(10);
  });
});
