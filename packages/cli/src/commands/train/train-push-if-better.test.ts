import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bind, DirectoryModelStore, formatModelId, SUBNET9_CONSTANTS, TOKENS } from '@pretrain/core';
import { MemoryChain, writeSuccessorModel } from '@pretrain/core/testing';
import { FIXTURES_DIR } from '@pretrain/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../testing/run-cli.js';
import { createTrainCommand } from './index.js';

let root: string;
let chain: MemoryChain;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pretrain-train-better-'));
  const path = fileURLToPath(new URL('../../../../backend-tfjs/src/index.ts', import.meta.url));
  await writeFile(join(root, 'tfjs-plugin.ts'), `export { default } from ${JSON.stringify(path)};\n`);
  const book = await readFile(join(FIXTURES_DIR, 'text', 'war-and-peace.txt'), 'utf8');
  const paragraphs = book
    .slice(100_000)
    .split(/\n\s*\n/)
    .filter((p) => p.trim().length > 200);
  await writeFile(join(root, 'corpus.txt'), paragraphs.slice(0, 40).join('\n\n'));
  // Successor models (core's test support; they pass the sanity check, unlike a tiny random
  // model once trained a little): on text a sure one has a higher loss than a modest one.
  // The top miner (highest incentive) serves the sure one; two miners train and push.
  for (const [name, boost] of [
    ['sure', 2],
    ['modest', 0.1],
  ] as const) {
    await writeSuccessorModel(join(root, name), { vocab: 50257, hidden: 32, boost, maxPositions: 1024 });
  }
  const hub = new DirectoryModelStore(join(root, 'hub'));
  chain = new MemoryChain(9);
  chain.register('5Validator', { stake: 100, validatorPermit: true });
  chain.register('5Winner', { incentive: 0.1 });
  chain.register('5Loser', { incentive: 0.1 });
  chain.register('5Top', { incentive: 0.8 });
  const id = await hub.upload(join(root, 'sure'), { namespace: 'top', name: 'sure' });
  await chain.commit(9, chain.signerFor('5Top'), formatModelId(id));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Train `model` two steps on the corpus, then `--push-if-better` from `hotkey`. */
const trainAndJudge = (hotkey: string, model: string, ...flags: string[]) =>
  runCli(
    [
      'train',
      '--backend',
      './tfjs-plugin.ts',
      '--model',
      model,
      '--dataset',
      'local:corpus.txt',
      '--steps',
      '2',
    ]
      .concat(['--tokenizer', 'distilgpt2', '--seq-len', '32', '--pages-per-epoch', '2', '--grad-accum', '1'])
      .concat(['--model-store', `dir:${join(root, 'hub')}`, '--repo', `me/${hotkey.toLowerCase()}`])
      .concat(['--push-if-better', '--out', join(root, hotkey), '--log-format', 'json', ...flags]),
    {
      cwd: root,
      commands: [
        createTrainCommand({
          compose: (c) => c.child([bind(TOKENS.ChainClient, { value: chain })]),
          openSession: async () => ({
            chain,
            signer: chain.signerFor(hotkey),
            endpoint: 'memory',
            close: async () => {},
          }),
        }),
      ],
    },
  );

const logLine = (stderr: string, prefix: string) =>
  stderr
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { msg: string; [key: string]: unknown })
    .find((l) => l.msg.startsWith(prefix));

describe('pretrain train --push-if-better (in-memory chain, directory store)', () => {
  it('pushes a trained model that beats the top miner on fresh pages', async () => {
    const run = await trainAndJudge('5Winner', 'modest');
    expect(run.code).toBe(0);
    const judged = logLine(run.stderr, 'the trained model beats the top miner');
    expect(judged).toMatchObject({ topUid: 3, trainedWinRate: 1, topWinRate: 0 });
    expect(judged?.trainedLoss as number).toBeLessThan(judged?.topLoss as number);
    expect(logLine(run.stderr, 'pushed the best model')).toMatchObject({ hotkey: '5Winner' });
    expect((await chain.commitment(9, '5Winner'))?.data).toMatch(/^me:5winner:/);
  });

  it('keeps a model within epsilon of the top: the later block carries the disadvantage', async () => {
    // Two steps at the reference's lr 1e-5 from the top's own model change its loss by far less than epsilon.
    const run = await trainAndJudge('5Loser', 'sure');
    expect(run.code).toBe(0);
    const judged = logLine(run.stderr, 'not pushing: the trained model would not beat');
    expect(judged).toMatchObject({ topUid: 3, trainedWinRate: 0, topWinRate: 1 });
    const [trained, top] = [judged?.trainedLoss as number, judged?.topLoss as number];
    expect(Math.abs(trained - top) / top).toBeLessThan(SUBNET9_CONSTANTS.epsilon);
    expect(logLine(run.stderr, 'pushed the best model')).toBeUndefined();
    expect(await chain.commitment(9, '5Loser')).toBeUndefined();
  });

  it('refuses --push-below beside it, and training without --dataset, before training', async () => {
    const both = await trainAndJudge('5Loser', 'sure', '--push-below', '5');
    expect(both.stderr).toMatch(/--push-below and --push-if-better are two rules for one push/);
    expect(both.code).toBe(2);
    await writeFile(join(root, 'batches.json'), JSON.stringify([[[1, 2, 3]]]));
    const tokens = await runCli(
      [
        'train',
        '--model',
        'sure',
        '--tokens',
        'batches.json',
        '--out',
        'x',
        '--push-if-better',
        '--repo',
        'a/b',
      ],
      { cwd: root },
    );
    expect(tokens.stderr).toMatch(/--push-if-better judges the model on fresh pages of --dataset/);
    expect(tokens.code).toBe(2);
  });
});
