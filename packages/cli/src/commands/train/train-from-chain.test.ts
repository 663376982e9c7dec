import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bind, DirectoryModelStore, formatModelId, hashModelDirectory, TOKENS } from '@pretrain/core';
import { MemoryChain } from '@pretrain/core/testing';
import { FIXTURES_DIR } from '@pretrain/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../testing/run-cli.js';
import { createTrainCommand } from './index.js';

const MODELS = join(FIXTURES_DIR, 'models');
const BATCHES = join(FIXTURES_DIR, 'train-batches.json');
let root: string;
let chain: MemoryChain;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pretrain-train-chain-'));
  const path = fileURLToPath(new URL('../../../../backend-tfjs/src/index.ts', import.meta.url));
  await writeFile(join(root, 'tfjs-plugin.ts'), `export { default } from ${JSON.stringify(path)};\n`);
  // The in-memory chain: uid 1 has little incentive, uid 2 the most, uid 3 a forged hash.
  const hub = new DirectoryModelStore(join(root, 'hub'));
  chain = new MemoryChain(9);
  chain.register('5Validator', { stake: 100, validatorPermit: true });
  const gpt2 = await hub.upload(join(MODELS, 'gpt2-tied-f32'), { namespace: 'low', name: 'gpt2' });
  const llama = await hub.upload(join(MODELS, 'llama-gqa-f32-sharded'), { namespace: 'top', name: 'llama' });
  const forged = { ...gpt2, hash: await hashModelDirectory(join(MODELS, 'llama-gqa-f32-sharded')) };
  for (const [hotkey, incentive, id] of [
    ['5Low', 0.1, gpt2],
    ['5Top', 0.8, llama],
    ['5Forger', 0.1, forged],
  ] as const) {
    chain.register(hotkey, { incentive });
    await chain.commit(9, chain.signerFor(hotkey), formatModelId(id));
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** `pretrain train` on fixed batches, its chain the in-memory one, its store `dir:<root>/hub`. */
const train = (...flags: string[]) =>
  runCli(
    ['train', '--backend', './tfjs-plugin.ts', '--tokens', BATCHES, '--lr', '1e-3', '--grad-accum', '1']
      .concat(['--steps', '1', '--model-store', `dir:${join(root, 'hub')}`, '--log-format', 'json'])
      .concat(flags),
    {
      cwd: root,
      commands: [
        createTrainCommand({ compose: (c) => c.child([bind(TOKENS.ChainClient, { value: chain })]) }),
      ],
    },
  );

const startLog = (stderr: string) =>
  stderr
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { msg: string; uid?: number; hotkey?: string })
    .find((l) => l.msg === 'downloaded the starting model');

describe('pretrain train --from-uid / --from-best (in-memory chain, directory store)', () => {
  it('--from-uid trains the committed model of that uid, downloaded and verified', async () => {
    const out = join(root, 'from-uid');
    const run = await train('--from-uid', '1', '--out', out, '--json');
    expect(run.code).toBe(0);
    expect(startLog(run.stderr)).toMatchObject({ uid: 1, hotkey: '5Low' });
    expect(await hashModelDirectory(`${out}.init`)).toBe(
      await hashModelDirectory(join(MODELS, 'gpt2-tied-f32')),
    );
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
  });

  it('--from-best takes the uid with the highest incentive, as the reference miner does', async () => {
    const out = join(root, 'from-best');
    const run = await train('--from-best', '--out', out, '--json');
    expect(run.code).toBe(0);
    expect(startLog(run.stderr)).toMatchObject({ uid: 2, hotkey: '5Top' });
    expect(await hashModelDirectory(`${out}.init`)).toBe(
      await hashModelDirectory(join(MODELS, 'llama-gqa-f32-sharded')),
    );
  });

  it("refuses a model validators refuse, with download's reason, and trains nothing", async () => {
    const out = join(root, 'forged');
    const run = await train('--from-uid', '3', '--out', out);
    // Exit 1, as `pretrain download` exits for a model that fails a check.
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refused.*hash/i);
    expect(existsSync(join(out, 'model.safetensors'))).toBe(false);
    expect(existsSync(`${out}.init`)).toBe(false);
  });

  it.each([
    [['--from-uid', '1', '--from-best'], /--from-uid and --from-best each name a starting model/],
    [['--model', 'x', '--from-uid', '1'], /--model and --from-uid each name a starting model/],
    [['--init', 'x.json', '--model', 'x'], /--model and --init each name a starting model/],
    [['--from-uid', '-1'], /--from-uid -1 is not a uid/],
    [['--from-uid', '9'], /uid 9 is not on subnet 9/],
  ])('refuses %j with one line and exit 2', async (flags, message) => {
    const run = await train('--out', join(root, 'bad'), ...flags);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
  });
});
