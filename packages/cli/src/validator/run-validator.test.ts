import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bind,
  DirectoryModelStore,
  formatModelId,
  readStepHistory,
  silentLogger,
  TOKENS,
} from '@pretrain/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The validator's own test support (an in-memory chain passing the ChainClient contract
// suite, and a model with a closed-form loss) from core's sources.
import { MemoryChain, writeSuccessorModel } from '@pretrain/core/testing';
import type { CliIo } from '../cli-io.js';
import { composeCommand } from '../compose/index.js';
import { startWandbTestServer } from '../testing/wandb-test-server.js';
import type { WandbSettings } from '../wandb/index.js';
import { CONFIG_SCHEMA, type PretrainConfig } from '../config/index.js';
import { runValidator } from './run-validator.js';
import type { ValidateArgs } from './validate-options.js';
import { validatorSettings } from './validator-settings.js';

// Children run the compiled worker and backend: `npm test` builds before vitest.
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const defaults = Object.fromEntries(Object.entries(CONFIG_SCHEMA).map(([k, s]) => [k, s.default]));

describe('runValidator (in-memory chain, directory store, local text, onnx in child processes)', () => {
  let root: string;
  let chain: MemoryChain;
  const commitments: [string, string][] = [];
  /** A new chain (the validator closes its own on exit) with both miners committed. */
  const freshChain = async () => {
    chain = new MemoryChain(9);
    chain.register('5Validator', { stake: 100, validatorPermit: true });
    for (const [hotkey, data] of commitments) {
      chain.register(hotkey);
      await chain.commit(9, chain.signerFor(hotkey), data);
    }
  };
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pretrain-validate-'));
    const hub = new DirectoryModelStore(join(root, 'hub'));
    // GPT-2 vocabulary (the block-0 criteria tokenize with distilgpt2), 1024 positions.
    for (const [hotkey, boost] of [
      ['5Sure', 2],
      ['5Modest', 0.1],
    ] as const) {
      await writeSuccessorModel(join(root, hotkey), { vocab: 50257, hidden: 32, boost, maxPositions: 1024 });
      const id = await hub.upload(join(root, hotkey), {
        namespace: 'ns',
        name: hotkey.slice(1).toLowerCase(),
      });
      commitments.push([hotkey, formatModelId(id)]);
    }
    const paragraph = (i: number) =>
      `Paragraph ${i}. A validator samples pages of text, tokenizes every document, appends the end of text ` +
      'token, concatenates everything into one buffer and cuts it into rows, then asks each model for its loss.';
    await writeFile(
      join(root, 'corpus.txt'),
      Array.from({ length: 60 }, (_, i) => paragraph(i)).join('\n\n'),
    );
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function run(
    logFormat: 'pretty' | 'json',
    modelDir: string,
    dashboardPort?: number,
    wandb?: WandbSettings,
  ) {
    await freshChain();
    let stdout = '';
    const io: CliIo = {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
      env: {},
      cwd: repoRoot,
    };
    const config = { ...defaults, logFormat } as PretrainConfig;
    const args: ValidateArgs = {
      offline: false,
      dontSetWeights: false,
      modelStore: `dir:${join(root, 'hub')}`,
      dataset: `local:${join(root, 'corpus.txt')}`,
      seedFromChain: true,
      pagesPerEval: 1,
      blocksPerEpoch: 1,
      modelDir,
    };
    const context = { io, config, loadedConfig: { values: config } as never, logger: silentLogger };
    // The command's own composition root, with the chain rebound to the in-memory one.
    const container = composeCommand(context, {
      modelStore: args.modelStore,
      dataset: args.dataset,
      localModelDir: modelDir,
    }).child([bind(TOKENS.ChainClient, { value: chain })]);
    const code = await runValidator({
      args,
      container,
      settings: { ...validatorSettings(args, config, root), idleMs: 50 },
      session: {
        chain,
        signer: chain.signerFor('5Validator'),
        endpoint: 'memory',
        close: () => chain.close(),
      },
      context,
      maxSteps: 1,
      dashboardPort,
      wandb,
    });
    return { code, stdout };
  }

  it('runs a step, prints the tables, sets weights and saves its state', async () => {
    const { code, stdout } = await run('pretty', join(root, 'pretty'), 0);
    expect(code).toBe(0);
    // The step and the weight setting are in the history, for `pretrain dashboard`.
    const history = await readStepHistory(join(root, 'pretty', 'history'));
    expect(history.steps.map((s) => [s.step, s.rows.map((r) => r.uid)])).toEqual([[1, [1, 2]]]);
    expect(history.weights).toMatchObject([{ uids: [2], values: [65535] }]);
    expect(stdout).toMatch(/step 1 at block \d+: 2 models, \d+ batches/);
    expect(stdout).toMatch(/uid\s+avg loss\s+win rate\s+wins\s+weight\s+block/);
    expect(stdout).toMatch(/weights\nuid\s+weight\n\s+2\s+0\.5/);
    expect(chain.weightHistory.at(-1)).toMatchObject({ hotkey: '5Validator', uids: [2], values: [65535] });
    const state = JSON.parse(await readFile(join(root, 'pretty', 'validator-state.json'), 'utf8'));
    expect(state).toMatchObject({ version: 2022, step: 1, uidsToEval: [1, 2] });
  });

  it('writes JSON lines with --log-format json: step start, step result, final weights; logs the step to W&B', async () => {
    const apiKey = 'local-wandb-key-of-the-test';
    const wandb = await startWandbTestServer({ apiKey, viewerEntity: 'validator-team' });
    const { stdout } = await run('json', join(root, 'json'), undefined, {
      project: 'pretraining-subnet',
      apiKey,
      baseUrl: wandb.url,
    }).finally(() => wandb.close());
    // The step reached W&B with the reference's keys, the run's config and its end.
    expect(wandb.runs).toHaveLength(1);
    const [wandbRun] = wandb.runs;
    expect(wandbRun).toMatchObject({ entity: 'validator-team', project: 'pretraining-subnet', exitcode: 0 });
    expect(wandbRun!.displayName).toMatch(/^validator-0-\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d$/);
    expect(wandbRun!.config).toMatchObject({
      uid: { value: 0 },
      hotkey: { value: '5Validator' },
      version: { value: '2.2.2' },
      type: { value: 'validator' },
      netuid: { value: 9 },
      backend: { value: 'onnx' },
    });
    expect(wandbRun!.history).toHaveLength(1);
    const row = wandbRun!.history[0]!;
    expect(row).toMatchObject({
      _step: 1,
      block: expect.any(Number),
      original_format_json: expect.any(String),
    });
    expect(Object.keys(row.uid_data as object)).toEqual(['1', '2']);
    const weights = row.weight_data as Record<string, number>;
    expect(weights['2']).toBeGreaterThan(weights['1']!);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; step?: number; models?: unknown[] });
    expect(lines.map((l) => l.event)).toEqual(['step-start', 'step', 'weights']);
    expect(lines[0]?.step).toBe(1);
    expect(lines[1]?.models).toHaveLength(2);
  });
});
