import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChildProcessEvaluator,
  DEFAULT_VALIDATOR_OPTIONS,
  DiskLocalModelStore,
  encodeSafetensors,
  pushModel,
  silentLogger,
  Validator,
  type ChainSigner,
  type CompetitionSchedule,
  type RejectionReason,
  type StepResult,
  type Tokenizer,
} from '@pretrain/core';
import { startDevnet, type Devnet } from '@pretrain/devnet';
import { FalconDataset, HubModelStore, loadTokenizer } from '@pretrain/huggingface';
import { startHubTestServer, type HubTestServer } from '@pretrain/huggingface/testing';
import { connectSubtensor, loadHotkey, type SubtensorClient } from '@pretrain/subtensor';
import { withSeedSequence } from '../../../packages/cli/src/demo/seeded-dataset.js';
import { FIXTURE_MODELS, type FixtureModel } from '../fixtures/fixture-models.js';
import { fixtureWeights } from '../fixtures/fixture-weights.js';
import { E2E_SCHEDULE, E2E_SEQUENCE_LENGTH } from './support/e2e-models.js';

// Chopsticks logs every block unless told otherwise (read when the devnet first loads it).
process.env.LOG_LEVEL ??= 'fatal';

const HF_TOKEN = 'hf_e2e_write_token';
/** The architectures added for docs/SUBNET.md §4 after the first four. */
const NEW_ARCHITECTURES = [
  'GPTJForCausalLM',
  'PhiForCausalLM',
  'GemmaForCausalLM',
  'FalconForCausalLM',
  'BartForCausalLM',
];
const architectureOf = (m: FixtureModel) => (m.config['architectures'] as string[])[0]!;
/** One conformance fixture per layout: GPT-J, Phi, Gemma, Falcon's three, Bart. */
const LAYOUTS = FIXTURE_MODELS.filter((m) => NEW_ARCHITECTURES.includes(architectureOf(m)));

/** The end-to-end competition with every architecture the subnet allows. */
const SCHEDULE: CompetitionSchedule = E2E_SCHEDULE.map((entry) => ({
  ...entry,
  competitions: entry.competitions.map((c) => ({
    ...c,
    constraints: {
      ...c.constraints,
      allowedArchitectures: [...c.constraints.allowedArchitectures, ...NEW_ARCHITECTURES],
    },
  })),
}));

/**
 * A layout fixture widened to the competition's tokenizer (its vocabulary and EOS) and
 * sequence length: the same layout and init, random weights from the fixture PRNG. Heads
 * are untied: a random tied head scores each token's own embedding highest, so greedy
 * decoding repeats the last token and the validator's sanity check fails the model.
 */
async function writeMinerModel(root: string, fixture: FixtureModel, tokenizer: Tokenizer): Promise<string> {
  const eos = tokenizer.eosTokenId;
  const config: Record<string, unknown> = {
    ...fixture.config,
    vocab_size: tokenizer.vocabSize,
    tie_word_embeddings: false,
    bos_token_id: eos,
    eos_token_id: eos,
  };
  for (const key of ['n_positions', 'n_ctx', 'max_position_embeddings']) {
    if (key in config) config[key] = E2E_SEQUENCE_LENGTH;
  }
  const model: FixtureModel = { ...fixture, name: `e2e-${fixture.name}`, untied: true, config };
  const dir = join(root, model.name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  await writeFile(
    join(dir, 'generation_config.json'),
    JSON.stringify({ bos_token_id: eos, eos_token_id: eos }, null, 2),
  );
  await writeFile(join(dir, 'model.safetensors'), encodeSafetensors(fixtureWeights(model), { format: 'pt' }));
  return dir;
}

/**
 * Issue 16 on the devnet with the hub double: one miner per layout of GPT-J, Phi, Gemma,
 * Falcon (new decoder, multi-query, RW/ALiBi) and Bart commits its model; one validator
 * step with the onnx backend scores every one of them with a finite loss.
 */
describe('a validator scores a model of every architecture the subnet allows', () => {
  let root: string;
  let devnet: Devnet;
  let chain: SubtensorClient;
  let hub: HubTestServer;
  let step: StepResult;
  let miners: ChainSigner[];
  let uidOf: (signer: ChainSigner) => number;
  const rejections: { reason: RejectionReason; hotkey: string }[] = [];

  beforeAll(async () => {
    expect(LAYOUTS).toHaveLength(7);
    root = await mkdtemp(join(tmpdir(), 'pretrain-e2e-archs-'));
    const tokenizer = await loadTokenizer('distilgpt2');
    const dirs = await Promise.all(LAYOUTS.map((m) => writeMinerModel(join(root, 'models'), m, tokenizer)));
    hub = await startHubTestServer({ token: HF_TOKEN });
    devnet = await startDevnet({ miners: LAYOUTS.length, validators: 1, port: 0, logger: silentLogger });
    chain = await connectSubtensor({ endpoint: devnet.endpoint });
    const signer = (role: string, index: number) => {
      const wallet = devnet.wallets.filter((w) => w.role === role)[index]!;
      return loadHotkey({ wallet: wallet.wallet, hotkey: wallet.hotkey, path: devnet.walletPath });
    };
    miners = await Promise.all(LAYOUTS.map((_, i) => signer('miner', i)));
    const graph = await chain.metagraph(devnet.netuid);
    uidOf = (s) => graph.neurons.find((n) => n.hotkey === s.address)!.uid;
    const store = new HubModelStore({
      hubUrl: hub.url,
      accessToken: HF_TOKEN,
      retry: { attempts: 2, baseDelayMs: 10 },
    });
    for (const [i, dir] of dirs.entries()) {
      await pushModel({
        dir,
        repo: `e2e-${LAYOUTS[i]!.name}/model`,
        chain,
        store,
        netuid: devnet.netuid,
        signer: miners[i]!,
        schedule: SCHEDULE,
        retryDelayMs: 500,
      });
    }
    const dataset = withSeedSequence(
      new FalconDataset({ baseUrl: hub.url, attempts: 1, retryDelayMs: 10 }),
      'pretrain-e2e-archs',
    );
    const validator = await Validator.create(
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
        schedule: SCHEDULE,
      },
      {
        ...DEFAULT_VALIDATOR_OPTIONS,
        netuid: devnet.netuid,
        statePath: join(root, 'validator', 'state.json'),
        pagesPerEval: 1,
        blocksPerEpoch: 1,
      },
    );
    step = (await validator.runSteps(1))[0]!;
  }, 240_000);

  afterAll(async () => {
    await chain?.close().catch(() => undefined);
    await devnet?.stop();
    await hub?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('refuses none of them', () => {
    expect(rejections).toEqual([]);
  });

  it.each(LAYOUTS.map((m, i) => [m.name, i] as const))('scores the %s miner with a finite loss', (_, i) => {
    const row = step.rows.find((r) => r.uid === uidOf(miners[i]!));
    expect(row?.failure).toBeUndefined();
    expect(Number.isFinite(row?.averageLoss)).toBe(true);
    expect(step.weights[uidOf(miners[i]!)]).toBeGreaterThanOrEqual(0);
  });
});
